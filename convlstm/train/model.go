// Package train is a next-frame model on moving shapes: a ConvLSTM
// followed by a 1x1 conv head with a sigmoid, trained with BPTT and Adam.
//
//	gen, _ := movingshapes.New(movingshapes.Config{Size: 16, Frames: 10}, 1)
//	m, _ := train.NewModel([]int{16}, 3, 1)
//	res, _ := train.Train(m, gen, train.Options{Seconds: 60})
//	pred, _ := m.Predict(frames) // pred[:, t] is the guess for frames[:, t+1]
//
// The API is free of generics so that notebooks (gophernotes) can call it.
package train

import (
	"fmt"
	"math"
	"math/rand"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/frameops"
)

// Model predicts the next frame of a one-channel sequence:
//
//	h = ConvLSTM(x)                    (B, T, hid, H, W), the last layer's outputs
//	pred = sigmoid(head(h))            (B, T, 1, H, W), head a 1x1 conv hid -> 1
//
// pred[:, t] is the model's guess for x[:, t+1]. In PyTorch this is
//
//	class NextFrame(nn.Module):
//	    def __init__(self, hidden, k):
//	        super().__init__()
//	        self.convlstm = ConvLSTM(1, hidden, (k, k), len(hidden), True, True, False)
//	        self.head = nn.Conv2d(hidden[-1], 1, 1)
//	    def forward(self, x):
//	        h = self.convlstm(x)[0][0]
//	        B, T, C, H, W = h.shape
//	        return torch.sigmoid(self.head(h.reshape(B * T, C, H, W))).reshape(B, T, 1, H, W)
//
// and StateDict uses that module's names (convlstm.cell_list.<l>.conv.*,
// head.weight, head.bias).
type Model struct {
	RNN        *convlstm.ConvLSTM
	HeadWeight *convlstm.Tensor // (1, hid, 1, 1)
	HeadBias   *convlstm.Tensor // (1)
	// Readable runs the readable forward and BPTT (m.RNN.Forward,
	// bptt.Forward) instead of the fast path (fast.Forward,
	// bptt.ForwardFast), the default.
	Readable bool

	step *step // LossAndGrad's memory, made at its first call
}

// NewModel builds a next-frame model with the given hidden channels per
// layer and a kernel x kernel conv in every layer, initialised as PyTorch
// would (uniform with bound 1/sqrt(fan_in)) from seed.
func NewModel(hidden []int, kernel int, seed int64) (*Model, error) {
	if len(hidden) == 0 {
		return nil, fmt.Errorf("train: NewModel: need at least one layer")
	}
	ks := make([][2]int, len(hidden))
	for i := range ks {
		ks[i] = [2]int{kernel, kernel}
	}
	convlstm.ManualSeed(seed)
	rnn, err := convlstm.New(convlstm.Config{InputDim: 1, HiddenDim: append([]int(nil), hidden...), KernelSize: ks,
		NumLayers: len(hidden), BatchFirst: true, Bias: true})
	if err != nil {
		return nil, fmt.Errorf("train: NewModel: %w", err)
	}
	hid := hidden[len(hidden)-1]
	m := &Model{RNN: rnn, HeadWeight: convlstm.Zeros(1, hid, 1, 1), HeadBias: convlstm.Zeros(1)}
	r := rand.New(rand.NewSource(seed + 1))
	bound := 1 / math.Sqrt(float64(hid))
	for i := range m.HeadWeight.Data {
		m.HeadWeight.Data[i] = float32((2*r.Float64() - 1) * bound)
	}
	m.HeadBias.Data[0] = float32((2*r.Float64() - 1) * bound)
	return m, nil
}

// NewPeepholeModel is NewModel with the paper's peephole cell (Shi et al.
// 2015, eq. 3; convlstm.Config.Peephole) for frames of size x size: the
// same random draws as NewModel(hidden, kernel, seed), so the two models
// start from the same convolutions and head, and the peephole weights
// W_ci, W_cf, W_co start at zero, where the peephole model computes what
// the seed's does.
func NewPeepholeModel(hidden []int, kernel, size int, seed int64) (*Model, error) {
	m, err := NewModel(hidden, kernel, seed)
	if err != nil {
		return nil, err
	}
	cfg := m.RNN.Config
	cfg.Peephole, cfg.ImageSize = true, [2]int{size, size}
	convlstm.ManualSeed(seed)
	rnn, err := convlstm.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("train: NewPeepholeModel: %w", err)
	}
	m.RNN = rnn
	return m, nil
}

// check verifies that m is a model NewModel could have built (the fields
// are exported and may be zero or replaced): every method calls it first.
func (m *Model) check() error {
	if m == nil || m.RNN == nil || m.HeadWeight == nil || m.HeadBias == nil {
		return fmt.Errorf("train: the model is nil or has a nil part (RNN, HeadWeight, HeadBias); build it with NewModel")
	}
	if err := m.RNN.Check(); err != nil {
		return fmt.Errorf("train: the model's RNN: %w (build the model with NewModel)", err)
	}
	r := m.RNN
	if r.InputDim != 1 || !r.BatchFirst || r.ReturnAllLayers {
		return fmt.Errorf("train: the model's RNN must read 1 channel, batch first, and return the last layer only; build the model with NewModel")
	}
	hid := r.HiddenDim[r.NumLayers-1]
	if !convlstm.SameShape(m.HeadWeight.Shape, []int{1, hid, 1, 1}) || len(m.HeadWeight.Data) != hid ||
		!convlstm.SameShape(m.HeadBias.Shape, []int{1}) || len(m.HeadBias.Data) != 1 {
		return fmt.Errorf("train: head.weight must be (1, %d, 1, 1) and head.bias (1), got shapes %v and %v (build the model with NewModel)",
			hid, m.HeadWeight.Shape, m.HeadBias.Shape)
	}
	return nil
}

// params is the model's state_dict side (frameops.Params), after check.
func (m *Model) params() frameops.Params {
	if err := m.check(); err != nil {
		return frameops.Params{Err: err}
	}
	return frameops.Params{Stacks: map[string]*convlstm.ConvLSTM{"convlstm.": m.RNN}, HeadWeight: m.HeadWeight, HeadBias: m.HeadBias}
}

// StateDict returns the parameters (the model's own tensors) under the
// names of the PyTorch NextFrame module above; none for a model that is
// not whole (zero, or with a nil part).
func (m *Model) StateDict() map[string]*convlstm.Tensor { return m.params().StateDict() }

// LoadStateDict copies parameters by name, strictly: every key of
// StateDict must be present with its shape, and no other. On error
// nothing is changed.
func (m *Model) LoadStateDict(sd map[string]*convlstm.Tensor) error { return m.params().Load(sd) }

// SaveNPZ writes the state_dict as an .npz that numpy.load reads (see the
// README for the lines that load it into PyTorch). The file is replaced
// atomically: until SaveNPZ returns nil, a previous file at path is left
// as it was.
func (m *Model) SaveNPZ(path string) error { return m.params().Save(path) }

// LoadNPZ reads weights written by SaveNPZ (or by numpy.savez of the
// PyTorch module's state_dict).
func (m *Model) LoadNPZ(path string) error { return m.params().LoadFile(path) }

// checkFrames validates a (B, T, 1, H, W) sequence batch: every size
// positive, as many values as the shape says.
func checkFrames(x *convlstm.Tensor, minT int) error {
	if x == nil || x.Dim() != 5 || x.Shape[2] != 1 {
		var s []int
		if x != nil {
			s = x.Shape
		}
		return fmt.Errorf("train: frames must be (B, T, 1, H, W), got shape %v", s)
	}
	n := 1
	for _, d := range x.Shape {
		if d <= 0 {
			return fmt.Errorf("train: frames have shape %v: every size must be positive", x.Shape)
		}
		n *= d
	}
	if len(x.Data) != n {
		return fmt.Errorf("train: frames have shape %v but %d values", x.Shape, len(x.Data))
	}
	if x.Shape[1] < minT {
		return fmt.Errorf("train: frames have T = %d, need at least %d", x.Shape[1], minT)
	}
	return nil
}

// Predict returns the next-frame predictions for every step of frames
// (B, T, 1, H, W): pred[:, t] (B, T, 1, H, W) is the guess for frame t+1
// given frames 0..t.
func (m *Model) Predict(frames *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkFrames(frames, 1); err != nil {
		return nil, err
	}
	forward := fast.Forward
	if m.Readable {
		forward = (*convlstm.ConvLSTM).Forward
	}
	outs, _, err := forward(m.RNN, frames, nil)
	if err != nil {
		return nil, err
	}
	return m.head(nil, outs[0]), nil
}

// head applies the 1x1 conv and the sigmoid to h (B, T, hid, H, W), into
// dst when it has the shape (B, T, 1, H, W).
func (m *Model) head(dst, h *convlstm.Tensor) *convlstm.Tensor {
	B, T, C, H, W := h.Shape[0], h.Shape[1], h.Shape[2], h.Shape[3], h.Shape[4]
	out := frameops.Reuse(dst, []int{B, T, 1, H, W})
	// py: torch.sigmoid(self.head(h.reshape(B * T, C, H, W))).reshape(B, T, 1, H, W)
	frameops.Head(out.Data, h.Data, m.HeadWeight.Data, m.HeadBias.Data, C, 1, H*W)
	return out
}

// step is the memory of the training step (LossAndGrad), kept from one
// call to the next: the fast path's bptt.Trainer, the copies of the input
// and target frames, the head's output and gradients, and the map of
// gradients LossAndGrad returns.
type step struct {
	rnn         *convlstm.ConvLSTM // the RNN tr was made for
	tr          *bptt.Trainer
	in, target  *convlstm.Tensor // (B, T-1, 1, H, W)
	pred, dPred *convlstm.Tensor // (B, T-1, 1, H, W)
	dh          *convlstm.Tensor // (B, T-1, hid, H, W)
	dhs         []*convlstm.Tensor
	dW, dB      *convlstm.Tensor
	dz          []float32
	sw          []float64
	grads       map[string]*convlstm.Tensor
	names       map[string]string // RNN state_dict name -> "convlstm." + name
}

// LossAndGrad runs the model on x[:, :T-1] of a batch x (B, T, 1, H, W),
// compares with x[:, 1:] and returns the mean squared error and its gradient with
// respect to every parameter (by StateDict name). On the fast path (the
// default) the step runs through a bptt.Trainer and, after the first call
// at a size, allocates nothing (TestStepAllocs); on the readable path it
// runs bptt.Forward and bptt.BackwardWeights. The gradients are the
// model's own memory, overwritten by the next LossAndGrad: copy what must
// outlive it. A Model serves one goroutine at a time.
func (m *Model) LossAndGrad(x *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
	if err := m.check(); err != nil {
		return 0, nil, err
	}
	if err := checkFrames(x, 2); err != nil {
		return 0, nil, err
	}
	s := m.stepMemory()
	T := x.Shape[1]
	s.in = frameops.TimeRange(s.in, x, 0, T-1)
	s.target = frameops.TimeRange(s.target, x, 1, T)
	var outs []*convlstm.Tensor
	var tape *bptt.Tape
	var err error
	if m.Readable {
		tape, outs, _, err = bptt.Forward(m.RNN, s.in, nil)
	} else {
		outs, _, err = s.tr.Forward(s.in, nil)
	}
	if err != nil {
		return 0, nil, err
	}
	h := outs[0] // (B, T-1, hid, H, W)
	s.pred = m.head(s.pred, h)
	s.dPred = frameops.Reuse(s.dPred, s.pred.Shape)
	// loss = mean((p - y)^2), dL/dp = 2 (p - y) / n
	loss := frameops.MSE(s.dPred.Data, s.pred.Data, s.target.Data)
	// The head's backward: the sigmoid, then the 1x1 conv.
	C, hw := h.Shape[2], h.Shape[3]*h.Shape[4]
	s.dh = frameops.Reuse(s.dh, h.Shape)
	s.dz = reuseFloats(s.dz, len(s.pred.Data))
	if len(s.sw) != C+1 {
		s.sw = make([]float64, C+1)
	}
	frameops.HeadBackward(s.dh.Data, s.dW.Data, s.dB.Data, s.dz, s.sw, h.Data, s.pred.Data, s.dPred.Data, m.HeadWeight.Data, C, 1, hw)
	s.dhs[0] = s.dh
	var g *bptt.Grads
	if m.Readable {
		g, err = bptt.BackwardWeights(tape, s.dhs)
	} else {
		g, err = s.tr.Backward(s.dhs, nil, false)
	}
	if err != nil {
		return 0, nil, err
	}
	for k, v := range g.Weights {
		s.grads[s.names[k]] = v
	}
	return loss, s.grads, nil
}

// stepMemory returns the step memory for the model as it is now: it is
// made again when the RNN was replaced.
func (m *Model) stepMemory() *step {
	if m.step != nil && m.step.rnn == m.RNN && len(m.step.dW.Data) == len(m.HeadWeight.Data) {
		return m.step
	}
	s := &step{rnn: m.RNN, tr: bptt.NewTrainer(m.RNN), dhs: make([]*convlstm.Tensor, 1),
		dW: convlstm.Zeros(m.HeadWeight.Shape...), dB: convlstm.Zeros(m.HeadBias.Shape...),
		grads: map[string]*convlstm.Tensor{}, names: map[string]string{}}
	s.grads["head.weight"], s.grads["head.bias"] = s.dW, s.dB
	for k := range m.RNN.StateDict() {
		s.names[k] = "convlstm." + k
	}
	m.step = s
	return s
}

// reuseFloats returns b when it has length n, else a new slice.
func reuseFloats(b []float32, n int) []float32 {
	if len(b) == n {
		return b
	}
	return make([]float32, n)
}

// timeRange returns x[:, t0:t1] of a (B, T, C, H, W) tensor as a copy.
func timeRange(x *convlstm.Tensor, t0, t1 int) *convlstm.Tensor {
	return frameops.TimeRange(nil, x, t0, t1)
}
