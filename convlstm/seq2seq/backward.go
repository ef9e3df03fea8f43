package seq2seq

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
)

// Grads holds the gradients Backward computes.
type Grads struct {
	// Weights holds dL/dparameter under the StateDict names.
	Weights map[string]*convlstm.Tensor
	// Frames is dL/dframes, the shape of the input frames (B, J, C, H, W).
	Frames *convlstm.Tensor
}

// Backward returns the gradients of a loss L given gradPred = dL/dPred
// (B, K, C, H, W) for the pass's predictions. It undoes the forward in
// reverse:
//
//  1. the head by hand: depth-to-space is a permutation, so its backward is
//     space-to-depth; then the sigmoid (dz = dy * y * (1 - y)) and the 1x1
//     conv (dW = dz · hcat^T, db = sum of dz, dhcat = W^T · dz);
//  2. BPTT over the forecaster with dhcat cut back into one gradient per
//     layer output; it also yields dL/d(initial states), and the initial
//     states are the encoder's last states;
//  3. BPTT over the encoder with bptt.BackwardStates, given those
//     last-state gradients (the encoder's outputs do not reach the loss
//     otherwise), which yields the encoder's weight gradients and dL/dx.
//
// Each stack's backward is the one its tape was recorded for (readable or
// fast). The pass must be from Forward (not Predict) of this model, and
// the weights unchanged since.
func (m *Model) Backward(pass *Pass, gradPred *convlstm.Tensor) (*Grads, error) {
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("seq2seq: Backward: %w", err)
	}
	if pass == nil || pass.encTape == nil || pass.fcTape == nil {
		return nil, fmt.Errorf("seq2seq: Backward: the pass has no tapes; get it from Forward")
	}
	if pass.model != m {
		return nil, fmt.Errorf("seq2seq: Backward: the pass was recorded by another model")
	}
	if gradPred == nil || !convlstm.SameShape(gradPred.Shape, pass.Pred.Shape) || len(gradPred.Data) != len(pass.Pred.Data) {
		return nil, fmt.Errorf("seq2seq: Backward: gradPred has shape %v, want the predictions' %v", shapeOf(gradPred), pass.Pred.Shape)
	}
	cfg := m.Config
	p := cfg.Patch

	// 1. The head. py: F.pixel_shuffle(torch.sigmoid(z), p)
	dy, err := SpaceToDepth(gradPred, p) // (B, K, C*p*p, h, w)
	if err != nil {
		return nil, err
	}
	dHead, dBias, dhcat := m.headBackward(pass.hcat, pass.y, dy) // dhcat: (B, K, sum(Hidden), h, w)

	// 2. The forecaster. py: hcat = torch.cat(outs, dim=2)
	gradOuts := splitChannels(dhcat, cfg.Hidden) // [(B, K, hid_l, h, w)]
	// Its input is zeros: no dL/dinput is needed, only the weights and
	// dL/d(initial states).
	fg, err := bptt.BackwardWeights(pass.fcTape, gradOuts)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: Backward: forecaster: %w", err)
	}

	// 3. The encoder: its last states started the forecaster, so
	// dL/d(encoder last states) = dL/d(forecaster initial states).
	eg, err := bptt.BackwardStates(pass.encTape, make([]*convlstm.Tensor, len(cfg.Hidden)), fg.HiddenState)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: Backward: encoder: %w", err)
	}
	// py: x = F.pixel_unshuffle(frames, p); its backward is pixel_shuffle.
	dFrames, err := DepthToSpace(eg.Input, p) // (B, J, C, H, W)
	if err != nil {
		return nil, err
	}

	g := &Grads{Weights: map[string]*convlstm.Tensor{"head.weight": dHead, "head.bias": dBias}, Frames: dFrames}
	for k, v := range eg.Weights {
		g.Weights["encoder."+k] = v
	}
	for k, v := range fg.Weights {
		g.Weights["forecaster."+k] = v
	}
	return g, nil
}

// headBackward is the backward of head: given the head's input hcat
// (B, K, Cin, h, w), its output y (B, K, Cout, h, w) and dy = dL/dy, it
// returns dL/dweight (Cout, Cin, 1, 1), dL/dbias (Cout) and dL/dhcat.
//
//	dz[bk, o, pix]   = dy * y * (1 - y)                   (the sigmoid)
//	dweight[o, c]    = sum over bk, pix of dz[bk, o, pix] * hcat[bk, c, pix]
//	dbias[o]         = sum over bk, pix of dz[bk, o, pix]
//	dhcat[bk, c, pix] = sum over o of weight[o, c] * dz[bk, o, pix]
//
// The sums over bk and pixels accumulate in float64.
//
// reference: head (forward.go).
func (m *Model) headBackward(hcat, y, dy *convlstm.Tensor) (dW, dB, dhcat *convlstm.Tensor) {
	B, K, Cin, h, w := hcat.Shape[0], hcat.Shape[1], hcat.Shape[2], hcat.Shape[3], hcat.Shape[4]
	Cout, hw := y.Shape[2], h*w
	dz := make([]float32, len(y.Data))
	for k, v := range y.Data {
		dz[k] = dy.Data[k] * v * (1 - v)
	}
	sw := make([]float64, Cout*Cin)
	sb := make([]float64, Cout)
	dhcat = convlstm.Zeros(hcat.Shape...)
	for bk := 0; bk < B*K; bk++ {
		in := hcat.Data[bk*Cin*hw : (bk+1)*Cin*hw]
		din := dhcat.Data[bk*Cin*hw : (bk+1)*Cin*hw]
		for o := 0; o < Cout; o++ {
			g := dz[(bk*Cout+o)*hw : (bk*Cout+o+1)*hw]
			var s float64
			for _, v := range g {
				s += float64(v)
			}
			sb[o] += s
			for c := 0; c < Cin; c++ {
				wt := m.HeadWeight.Data[o*Cin+c]
				hc, dc := in[c*hw:(c+1)*hw], din[c*hw:(c+1)*hw]
				var s float64
				for k, v := range g {
					s += float64(v * hc[k])
					dc[k] += wt * v
				}
				sw[o*Cin+c] += s
			}
		}
	}
	dW, dB = convlstm.Zeros(Cout, Cin, 1, 1), convlstm.Zeros(Cout)
	for i, v := range sw {
		dW.Data[i] = float32(v)
	}
	for i, v := range sb {
		dB.Data[i] = float32(v)
	}
	return dW, dB, dhcat
}

// LossAndGrad runs the training forward on input (B, J, C, H, W), compares
// the K predicted frames with target (B, K, C, H, W) and returns the mean
// squared error and its gradient with respect to every parameter (by
// StateDict name).
func (m *Model) LossAndGrad(input, target *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
	if target == nil || target.Dim() != 5 {
		return 0, nil, fmt.Errorf("seq2seq: LossAndGrad: target must be (B, K, C, H, W), got shape %v", shapeOf(target))
	}
	pass, err := m.Forward(input, target.Shape[1])
	if err != nil {
		return 0, nil, err
	}
	if !convlstm.SameShape(target.Shape, pass.Pred.Shape) || len(target.Data) != len(pass.Pred.Data) {
		return 0, nil, fmt.Errorf("seq2seq: LossAndGrad: target has shape %v, the predictions %v (input %v)", target.Shape, pass.Pred.Shape, input.Shape)
	}
	// loss = mean((pred - target)^2); dL/dpred = 2 (pred - target) / n.
	n := float64(len(target.Data))
	var loss float64
	dPred := convlstm.Zeros(target.Shape...)
	for k, p := range pass.Pred.Data {
		d := p - target.Data[k]
		loss += float64(d) * float64(d)
		dPred.Data[k] = float32(2 * float64(d) / n)
	}
	g, err := m.Backward(pass, dPred)
	// The tapes' memory serves the next step's (bptt.Tape.Release).
	pass.encTape.Release()
	pass.fcTape.Release()
	if err != nil {
		return 0, nil, err
	}
	return loss / n, g.Weights, nil
}
