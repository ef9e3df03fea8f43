package seq2seq

import (
	"fmt"
	"maps"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/internal/frameops"
)

// Grads holds the gradients Backward computes.
type Grads struct {
	// Weights holds dL/dparameter under the StateDict names.
	Weights map[string]*convlstm.Tensor
	// Frames is dL/dframes, the shape of the input frames (B, J, C, H, W).
	Frames *convlstm.Tensor
}

// backMemory is the memory of a pass's backward, kept between the steps of
// a training loop (LossAndGrad).
type backMemory struct {
	dPred         *convlstm.Tensor   // (B, K, C, H, W), LossAndGrad's dL/dPred
	dy, dhcat     *convlstm.Tensor   // (B, K, C*p*p, h, w), (B, K, sum(Hidden), h, w)
	dW, dB        *convlstm.Tensor   // the head's gradients
	dz            []float32          // the sigmoid's gradient
	sw            []float64          // the head's sums
	gradOuts      []*convlstm.Tensor // dhcat cut per forecaster layer
	encOuts       []*convlstm.Tensor // all nil: the encoder's outputs reach no loss
	weights       map[string]*convlstm.Tensor
	grads         Grads             // what backward returns
	encKey, fcKey map[string]string // stack state_dict name -> model name
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
	if pass == nil || !pass.recorded {
		return nil, fmt.Errorf("seq2seq: Backward: the pass has no tapes; get it from Forward")
	}
	if pass.model != m {
		return nil, fmt.Errorf("seq2seq: Backward: the pass was recorded by another model")
	}
	if gradPred == nil || !convlstm.SameShape(gradPred.Shape, pass.Pred.Shape) || len(gradPred.Data) != len(pass.Pred.Data) {
		return nil, fmt.Errorf("seq2seq: Backward: gradPred has shape %v, want the predictions' %v", shapeOf(gradPred), pass.Pred.Shape)
	}
	g, err := m.backward(pass, gradPred, true)
	if err != nil {
		return nil, err
	}
	// The map is the pass's memory; the caller gets its own.
	return &Grads{Weights: maps.Clone(g.Weights), Frames: g.Frames}, nil
}

// backward is Backward of a checked pass, into the pass's memory; dL/dframes
// only when needFrames. The returned Grads and their tensors are the
// pass's.
func (m *Model) backward(pass *Pass, gradPred *convlstm.Tensor, needFrames bool) (*Grads, error) {
	cfg := m.Config
	p, mem := cfg.Patch, &pass.back
	cin, cout, hw := cfg.sumHidden(), cfg.patchChannels(), pass.hcat.Shape[3]*pass.hcat.Shape[4]

	// 1. The head. py: F.pixel_shuffle(torch.sigmoid(z), p)
	mem.dy = spaceToDepth(mem.dy, gradPred, p) // (B, K, C*p*p, h, w)
	mem.dhcat = frameops.Reuse(mem.dhcat, pass.hcat.Shape)
	if mem.dW == nil {
		mem.dW, mem.dB = convlstm.Zeros(cout, cin, 1, 1), convlstm.Zeros(cout)
		mem.sw = make([]float64, cout*cin+cout)
	}
	if len(mem.dz) != len(pass.y.Data) {
		mem.dz = make([]float32, len(pass.y.Data))
	}
	frameops.HeadBackward(mem.dhcat.Data, mem.dW.Data, mem.dB.Data, mem.dz, mem.sw,
		pass.hcat.Data, pass.y.Data, mem.dy.Data, m.HeadWeight.Data, cin, cout, hw) // dhcat: (B, K, sum(Hidden), h, w)

	// 2. The forecaster. py: hcat = torch.cat(outs, dim=2)
	mem.gradOuts = splitChannels(mem.gradOuts, mem.dhcat, cfg.Hidden) // [(B, K, hid_l, h, w)]
	// Its input is zeros: no dL/dinput is needed, only the weights and
	// dL/d(initial states).
	fg, err := pass.fc.Backward(mem.gradOuts, nil, false)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: Backward: forecaster: %w", err)
	}

	// 3. The encoder: its last states started the forecaster, so
	// dL/d(encoder last states) = dL/d(forecaster initial states).
	if len(mem.encOuts) != len(cfg.Hidden) {
		mem.encOuts = make([]*convlstm.Tensor, len(cfg.Hidden))
	}
	eg, err := pass.enc.Backward(mem.encOuts, fg.HiddenState, needFrames)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: Backward: encoder: %w", err)
	}

	if mem.weights == nil {
		mem.weights = map[string]*convlstm.Tensor{"head.weight": mem.dW, "head.bias": mem.dB}
		mem.encKey, mem.fcKey = map[string]string{}, map[string]string{}
		for k := range eg.Weights {
			mem.encKey[k] = "encoder." + k
		}
		for k := range fg.Weights {
			mem.fcKey[k] = "forecaster." + k
		}
	}
	for k, v := range eg.Weights {
		mem.weights[mem.encKey[k]] = v
	}
	for k, v := range fg.Weights {
		mem.weights[mem.fcKey[k]] = v
	}
	mem.grads = Grads{Weights: mem.weights}
	if needFrames {
		// py: x = F.pixel_unshuffle(frames, p); its backward is pixel_shuffle.
		mem.grads.Frames = depthToSpace(nil, eg.Input, p) // (B, J, C, H, W)
	}
	return &mem.grads, nil
}

// LossAndGrad runs the training forward on input (B, J, C, H, W), compares
// the K predicted frames with target (B, K, C, H, W) and returns the mean
// squared error and its gradient with respect to every parameter (by
// StateDict name). It runs in memory the model keeps between calls: on
// the fast path (the default) both stacks run through a bptt.Trainer and a
// step allocates nothing after the first at a size (TestStepAllocs); on
// the readable path the stacks record bptt tapes. The gradients are the
// model's memory, overwritten by the next LossAndGrad: copy what must
// outlive it. A Model serves one goroutine at a time.
func (m *Model) LossAndGrad(input, target *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
	if err := m.check(); err != nil {
		return 0, nil, err
	}
	if target == nil || target.Dim() != 5 {
		return 0, nil, fmt.Errorf("seq2seq: LossAndGrad: target must be (B, K, C, H, W), got shape %v", shapeOf(target))
	}
	pass := m.trainPass()
	if err := m.forward(pass, input, target.Shape[1]); err != nil {
		return 0, nil, err
	}
	if !convlstm.SameShape(target.Shape, pass.Pred.Shape) || len(target.Data) != len(pass.Pred.Data) {
		return 0, nil, fmt.Errorf("seq2seq: LossAndGrad: target has shape %v, the predictions %v (input %v)", target.Shape, pass.Pred.Shape, input.Shape)
	}
	// loss = mean((pred - target)^2); dL/dpred = 2 (pred - target) / n.
	pass.back.dPred = frameops.Reuse(pass.back.dPred, target.Shape)
	loss := frameops.MSE(pass.back.dPred.Data, pass.Pred.Data, target.Data)
	g, err := m.backward(pass, pass.back.dPred, false)
	if err != nil {
		return 0, nil, err
	}
	return loss, g.Weights, nil
}

// trainPass returns the pass LossAndGrad runs in, kept in the model: made
// again when the stacks or the path (Readable) changed. (check has made
// sure that the head fits the stacks.)
func (m *Model) trainPass() *Pass {
	if t := m.train; t != nil && t.readable == m.Readable && t.enc == m.Encoder && t.fc == m.Forecaster {
		return t.pass
	}
	p := m.newPass(true)
	if !m.Readable {
		p.enc, p.fc = bptt.NewTrainer(m.Encoder), bptt.NewTrainer(m.Forecaster)
	}
	m.train = &trainState{pass: p, readable: m.Readable, enc: m.Encoder, fc: m.Forecaster}
	return p
}

// trainState is the pass LossAndGrad reuses and what it was made for.
type trainState struct {
	pass     *Pass
	readable bool
	enc, fc  *convlstm.ConvLSTM
}
