package seq2seq

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/fast"
)

// stackForward runs one ConvLSTM stack and, on the training paths, records
// its tape (nil at inference): bptt.Forward and bptt.ForwardFast have this
// signature, and the inference forwards are wrapped to it.
type stackForward func(m *convlstm.ConvLSTM, x *convlstm.Tensor, hs []convlstm.State) (*bptt.Tape, []*convlstm.Tensor, []convlstm.State, error)

// noTape wraps an inference forward ((*ConvLSTM).Forward or fast.Forward)
// as a stackForward.
func noTape(f func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)) stackForward {
	return func(m *convlstm.ConvLSTM, x *convlstm.Tensor, hs []convlstm.State) (*bptt.Tape, []*convlstm.Tensor, []convlstm.State, error) {
		outs, states, err := f(m, x, hs)
		return nil, outs, states, err
	}
}

// Pass is one forward pass of the whole model, with what Backward needs.
// It refers to the model's weights: call Backward before they change.
type Pass struct {
	// Pred holds the predicted frames (B, K, C, H, W).
	Pred *convlstm.Tensor
	// EncoderStates holds the encoder's last (h, c) of every layer, each
	// (B, Hidden[l], H/p, W/p): the forecaster's initial states.
	EncoderStates []convlstm.State

	model          *Model
	encTape        *bptt.Tape       // nil at inference
	fcTape         *bptt.Tape       // nil at inference
	hcat           *convlstm.Tensor // (B, K, sum(Hidden), h, w), the head's input
	y              *convlstm.Tensor // (B, K, C*p*p, h, w), the sigmoid's output
	batch, frames  int              // B and J of the input
	future, hh, ww int              // K and the patch grid h x w
}

// Predict returns the K = future frames (B, K, C, H, W) the model predicts
// after frames (B, J, C, H, W). It runs fast.Forward on both stacks, or the
// readable (*ConvLSTM).Forward when m.Readable.
func (m *Model) Predict(frames *convlstm.Tensor, future int) (*convlstm.Tensor, error) {
	f := noTape(fast.Forward)
	if m != nil && m.Readable {
		f = noTape((*convlstm.ConvLSTM).Forward)
	}
	p, err := m.forward(frames, future, f)
	if err != nil {
		return nil, err
	}
	return p.Pred, nil
}

// Forward is the training forward: Predict that also records both stacks'
// tapes (bptt.ForwardFast, or bptt.Forward when m.Readable) for Backward.
func (m *Model) Forward(frames *convlstm.Tensor, future int) (*Pass, error) {
	f := stackForward(bptt.ForwardFast)
	if m != nil && m.Readable {
		f = bptt.Forward
	}
	return m.forward(frames, future, f)
}

// CheckFrames validates an input sequence (B, J, C, H, W) for m: C the
// model's channels, H and W multiples of the patch size, J and future
// positive.
func (m *Model) CheckFrames(frames *convlstm.Tensor, future int) error {
	if err := m.check(); err != nil {
		return err
	}
	cfg := m.Config
	if frames == nil || frames.Dim() != 5 {
		return fmt.Errorf("seq2seq: frames must be (B, J, C, H, W), got shape %v", shapeOf(frames))
	}
	s := frames.Shape
	n := 1
	for _, d := range s {
		if d <= 0 {
			return fmt.Errorf("seq2seq: frames have shape %v: every size must be positive", s)
		}
		n *= d
	}
	if len(frames.Data) != n {
		return fmt.Errorf("seq2seq: frames have shape %v but %d values", s, len(frames.Data))
	}
	if s[2] != cfg.Channels {
		return fmt.Errorf("seq2seq: frames have shape %v: %d channels, the model reads %d", s, s[2], cfg.Channels)
	}
	if s[3]%cfg.Patch != 0 || s[4]%cfg.Patch != 0 {
		return fmt.Errorf("seq2seq: frames have shape %v: height and width must be multiples of the patch size %d", s, cfg.Patch)
	}
	if future < 1 {
		return fmt.Errorf("seq2seq: future (frames to predict) must be positive, got %d", future)
	}
	p := cfg.Patch
	b, h, w := s[0], s[3]/p, s[4]/p
	return convlstm.CheckAlloc("seq2seq: the forward's predictions and head",
		[]int{b, future, cfg.sumHidden(), h, w}, []int{b, future, cfg.patchChannels(), h, w}, []int{b, future, cfg.Channels, s[3], s[4]})
}

// forward runs the model with run as each stack's forward.
//
// reference: EncoderForecaster.forward in testdata/gen_golden_seq2seq.py.
func (m *Model) forward(frames *convlstm.Tensor, future int, run stackForward) (*Pass, error) {
	if err := m.CheckFrames(frames, future); err != nil {
		return nil, err
	}
	cfg := m.Config
	p := cfg.Patch
	B, J, H, W := frames.Shape[0], frames.Shape[1], frames.Shape[3], frames.Shape[4]
	h, w := H/p, W/p
	// py: x = F.pixel_unshuffle(frames.reshape(B * J, C, H, W), p).reshape(B, J, C*p*p, h, w)
	x, err := SpaceToDepth(frames, p) // (B, J, C*p*p, h, w)
	if err != nil {
		return nil, err
	}
	// py: _, states = self.encoder(x)
	encTape, _, states, err := run(m.Encoder, x, nil) // states[l]: (B, hid_l, h, w) each
	if err != nil {
		return nil, fmt.Errorf("seq2seq: encoder: %w", err)
	}
	// py: outs, _ = self.forecaster(x.new_zeros(B, future, 1, h, w), states)
	zeros := convlstm.Zeros(B, future, 1, h, w)
	fcTape, outs, _, err := run(m.Forecaster, zeros, states) // outs[l]: (B, K, hid_l, h, w)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: forecaster: %w", err)
	}
	// py: hcat = torch.cat(outs, dim=2)
	hcat := catChannels(outs) // (B, K, sum(Hidden), h, w)
	// py: z = self.head(hcat.reshape(B * future, -1, h, w)); torch.sigmoid(z)
	y := m.head(hcat) // (B, K, C*p*p, h, w)
	// py: F.pixel_shuffle(torch.sigmoid(z), p).reshape(B, future, C, H, W)
	pred, err := DepthToSpace(y, p) // (B, K, C, H, W)
	if err != nil {
		return nil, err
	}
	return &Pass{Pred: pred, EncoderStates: states, model: m, encTape: encTape, fcTape: fcTape, hcat: hcat, y: y,
		batch: B, frames: J, future: future, hh: h, ww: w}, nil
}

// catChannels concatenates (B, T, C_l, h, w) tensors along axis 2.
func catChannels(xs []*convlstm.Tensor) *convlstm.Tensor {
	B, T, h, w := xs[0].Shape[0], xs[0].Shape[1], xs[0].Shape[3], xs[0].Shape[4]
	sum := 0
	for _, x := range xs {
		sum += x.Shape[2]
	}
	hw := h * w
	out := convlstm.Zeros(B, T, sum, h, w)
	for bt := 0; bt < B*T; bt++ {
		off := bt * sum * hw
		for _, x := range xs {
			n := x.Shape[2] * hw
			off += copy(out.Data[off:off+n], x.Data[bt*n:(bt+1)*n])
		}
	}
	return out
}

// splitChannels is the inverse of catChannels: it cuts g (B, T, sum, h, w)
// into (B, T, sizes[l], h, w) tensors.
func splitChannels(g *convlstm.Tensor, sizes []int) []*convlstm.Tensor {
	B, T, sum, h, w := g.Shape[0], g.Shape[1], g.Shape[2], g.Shape[3], g.Shape[4]
	hw := h * w
	parts := make([]*convlstm.Tensor, len(sizes))
	for l, c := range sizes {
		parts[l] = convlstm.Zeros(B, T, c, h, w)
	}
	for bt := 0; bt < B*T; bt++ {
		off := bt * sum * hw
		for l, c := range sizes {
			n := c * hw
			off += copy(parts[l].Data[bt*n:(bt+1)*n], g.Data[off:off+n])
		}
	}
	return parts
}

// head is the 1x1 conv and the sigmoid over hcat (B, K, Cin, h, w):
//
//	y[bk, o, pix] = sigmoid(bias[o] + sum_c weight[o, c] * hcat[bk, c, pix])
//
// returned as (B, K, Cout, h, w).
func (m *Model) head(hcat *convlstm.Tensor) *convlstm.Tensor {
	B, K, Cin, h, w := hcat.Shape[0], hcat.Shape[1], hcat.Shape[2], hcat.Shape[3], hcat.Shape[4]
	Cout, hw := m.HeadWeight.Shape[0], h*w
	y := convlstm.Zeros(B, K, Cout, h, w)
	for bk := 0; bk < B*K; bk++ {
		in := hcat.Data[bk*Cin*hw : (bk+1)*Cin*hw]
		for o := 0; o < Cout; o++ {
			z := y.Data[(bk*Cout+o)*hw : (bk*Cout+o+1)*hw]
			for k := range z {
				z[k] = m.HeadBias.Data[o]
			}
			for c := 0; c < Cin; c++ {
				wt := m.HeadWeight.Data[o*Cin+c]
				for k, v := range in[c*hw : (c+1)*hw] {
					z[k] += wt * v
				}
			}
			for k, v := range z {
				z[k] = float32(1 / (1 + math.Exp(-float64(v))))
			}
		}
	}
	return y
}
