package seq2seq

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/frameops"
)

// stack runs one ConvLSTM stack forward and, on the training paths, back
// through what its forward recorded. A bptt.Trainer is one (the fast
// training step, in memory of its own); tapeStack records a bptt.Tape;
// inference runs fast.Forward or the readable (*ConvLSTM).Forward.
type stack interface {
	Forward(x *convlstm.Tensor, hs []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)
	Backward(gradOutputs []*convlstm.Tensor, gradLastStates []convlstm.State, needInput bool) (*bptt.Grads, error)
}

// tapeStack is a stack that records a bptt.Tape with record
// (bptt.ForwardFast or bptt.Forward) for bptt.BackwardStates, or, when
// record is nil, runs the inference forward infer and cannot go back.
type tapeStack struct {
	m      *convlstm.ConvLSTM
	record func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) (*bptt.Tape, []*convlstm.Tensor, []convlstm.State, error)
	infer  func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)
	tape   *bptt.Tape
}

func (s *tapeStack) Forward(x *convlstm.Tensor, hs []convlstm.State) (outs []*convlstm.Tensor, states []convlstm.State, err error) {
	if s.record == nil {
		return s.infer(s.m, x, hs)
	}
	s.tape, outs, states, err = s.record(s.m, x, hs)
	return outs, states, err
}

func (s *tapeStack) Backward(gradOutputs []*convlstm.Tensor, gradLastStates []convlstm.State, needInput bool) (*bptt.Grads, error) {
	if s.tape == nil {
		return nil, fmt.Errorf("the pass has no tapes; get it from Forward")
	}
	if !needInput && gradLastStates == nil {
		return bptt.BackwardWeights(s.tape, gradOutputs)
	}
	return bptt.BackwardStates(s.tape, gradOutputs, gradLastStates)
}

// Pass is one forward pass of the whole model, with what Backward needs,
// and the memory both write into. It refers to the model's weights: call
// Backward before they change.
type Pass struct {
	// Pred holds the predicted frames (B, K, C, H, W).
	Pred *convlstm.Tensor
	// EncoderStates holds the encoder's last (h, c) of every layer, each
	// (B, Hidden[l], H/p, W/p): the forecaster's initial states.
	EncoderStates []convlstm.State

	model    *Model
	enc, fc  stack
	recorded bool             // a training forward succeeded: Backward may run
	x        *convlstm.Tensor // (B, J, C*p*p, h, w), the frames as patches
	zeros    *convlstm.Tensor // (B, K, 1, h, w), the forecaster's input
	hcat     *convlstm.Tensor // (B, K, sum(Hidden), h, w), the head's input
	y        *convlstm.Tensor // (B, K, C*p*p, h, w), the sigmoid's output
	back     backMemory
}

// newPass returns a pass whose stacks run forward with the readable or
// fast inference forward (train false), or record tapes for Backward.
func (m *Model) newPass(train bool) *Pass {
	p := &Pass{model: m}
	enc, fc := &tapeStack{m: m.Encoder, infer: fast.Forward}, &tapeStack{m: m.Forecaster, infer: fast.Forward}
	if m.Readable {
		enc.infer, fc.infer = (*convlstm.ConvLSTM).Forward, (*convlstm.ConvLSTM).Forward
	}
	if train {
		enc.record, fc.record = bptt.ForwardFast, bptt.ForwardFast
		if m.Readable {
			enc.record, fc.record = bptt.Forward, bptt.Forward
		}
	}
	p.enc, p.fc = enc, fc
	return p
}

// Predict returns the K = future frames (B, K, C, H, W) the model predicts
// after frames (B, J, C, H, W). It runs fast.Forward on both stacks, or the
// readable (*ConvLSTM).Forward when m.Readable.
func (m *Model) Predict(frames *convlstm.Tensor, future int) (*convlstm.Tensor, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	p := m.newPass(false)
	if err := m.forward(p, frames, future); err != nil {
		return nil, err
	}
	return p.Pred, nil
}

// Forward is the training forward: Predict that also records both stacks'
// tapes (bptt.ForwardFast, or bptt.Forward when m.Readable) for Backward.
func (m *Model) Forward(frames *convlstm.Tensor, future int) (*Pass, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	p := m.newPass(true)
	if err := m.forward(p, frames, future); err != nil {
		return nil, err
	}
	return p, nil
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

// forward runs the model on frames into p's memory, with p's stacks.
//
// reference: EncoderForecaster.forward in testdata/gen_golden_seq2seq.py.
func (m *Model) forward(p *Pass, frames *convlstm.Tensor, future int) error {
	p.recorded = false
	if err := m.CheckFrames(frames, future); err != nil {
		return err
	}
	cfg := m.Config
	P := cfg.Patch
	B, H, W := frames.Shape[0], frames.Shape[3], frames.Shape[4]
	h, w := H/P, W/P
	// py: x = F.pixel_unshuffle(frames.reshape(B * J, C, H, W), p).reshape(B, J, C*p*p, h, w)
	p.x = spaceToDepth(p.x, frames, P) // (B, J, C*p*p, h, w)
	// py: _, states = self.encoder(x)
	_, states, err := p.enc.Forward(p.x, nil) // states[l]: (B, hid_l, h, w) each
	if err != nil {
		return fmt.Errorf("seq2seq: encoder: %w", err)
	}
	// py: outs, _ = self.forecaster(x.new_zeros(B, future, 1, h, w), states)
	p.zeros = frameops.Reuse(p.zeros, []int{B, future, 1, h, w}) // never written: stays zero
	outs, _, err := p.fc.Forward(p.zeros, states)                // outs[l]: (B, K, hid_l, h, w)
	if err != nil {
		return fmt.Errorf("seq2seq: forecaster: %w", err)
	}
	// py: hcat = torch.cat(outs, dim=2)
	p.hcat = catChannels(p.hcat, outs) // (B, K, sum(Hidden), h, w)
	// py: z = self.head(hcat.reshape(B * future, -1, h, w)); torch.sigmoid(z)
	p.y = frameops.Reuse(p.y, []int{B, future, cfg.patchChannels(), h, w})
	frameops.Head(p.y.Data, p.hcat.Data, m.HeadWeight.Data, m.HeadBias.Data, cfg.sumHidden(), cfg.patchChannels(), h*w)
	// py: F.pixel_shuffle(torch.sigmoid(z), p).reshape(B, future, C, H, W)
	p.Pred = depthToSpace(p.Pred, p.y, P) // (B, K, C, H, W)
	p.EncoderStates = states
	p.recorded = true
	return nil
}

// catChannels concatenates (B, T, C_l, h, w) tensors along axis 2, into
// dst when it has the shape.
func catChannels(dst *convlstm.Tensor, xs []*convlstm.Tensor) *convlstm.Tensor {
	B, T, h, w := xs[0].Shape[0], xs[0].Shape[1], xs[0].Shape[3], xs[0].Shape[4]
	sum := 0
	for _, x := range xs {
		sum += x.Shape[2]
	}
	hw := h * w
	out := frameops.Reuse(dst, []int{B, T, sum, h, w})
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
// into (B, T, sizes[l], h, w) tensors, into dst's when they have the
// shapes.
func splitChannels(dst []*convlstm.Tensor, g *convlstm.Tensor, sizes []int) []*convlstm.Tensor {
	B, T, sum, h, w := g.Shape[0], g.Shape[1], g.Shape[2], g.Shape[3], g.Shape[4]
	hw := h * w
	if len(dst) != len(sizes) {
		dst = make([]*convlstm.Tensor, len(sizes))
	}
	for l, c := range sizes {
		dst[l] = frameops.Reuse(dst[l], []int{B, T, c, h, w})
	}
	for bt := 0; bt < B*T; bt++ {
		off := bt * sum * hw
		for l, c := range sizes {
			n := c * hw
			off += copy(dst[l].Data[bt*n:(bt+1)*n], g.Data[off:off+n])
		}
	}
	return dst
}
