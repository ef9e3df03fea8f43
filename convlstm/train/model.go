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
	"io"
	"math"
	"math/rand"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/atomicfile"
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

// StateDict returns the parameters (the model's own tensors) under the
// names of the PyTorch NextFrame module above; none for a model that is
// not whole (zero, or with a nil part).
func (m *Model) StateDict() map[string]*convlstm.Tensor {
	if m.check() != nil {
		return map[string]*convlstm.Tensor{}
	}
	sd := map[string]*convlstm.Tensor{"head.weight": m.HeadWeight, "head.bias": m.HeadBias}
	for k, v := range m.RNN.StateDict() {
		sd["convlstm."+k] = v
	}
	return sd
}

// LoadStateDict copies parameters by name, strictly: every key of
// StateDict must be present with its shape, and no other.
func (m *Model) LoadStateDict(sd map[string]*convlstm.Tensor) error {
	if err := m.check(); err != nil {
		return err
	}
	return convlstm.LoadParams(m.StateDict(), sd)
}

// SaveNPZ writes the state_dict as an .npz that numpy.load reads (see the
// README for the lines that load it into PyTorch). The file is replaced
// atomically: until SaveNPZ returns nil, a previous file at path is left
// as it was.
func (m *Model) SaveNPZ(path string) error {
	if err := m.check(); err != nil {
		return err
	}
	return SaveStateDict(path, m.StateDict())
}

// SaveStateDict writes a state_dict as an .npz file, atomically (a
// temporary file in the same folder, synced, then renamed over path): a
// failed write leaves a previous file at path whole.
func SaveStateDict(path string, sd map[string]*convlstm.Tensor) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return convlstm.EncodeNPZ(w, sd) })
}

// LoadNPZ reads weights written by SaveNPZ (or by numpy.savez of the
// PyTorch module's state_dict).
func (m *Model) LoadNPZ(path string) error {
	if err := m.check(); err != nil {
		return err
	}
	sd, err := convlstm.ReadNPZ(path)
	if err != nil {
		return err
	}
	return m.LoadStateDict(sd)
}

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
	return m.head(outs[0]), nil
}

// head applies the 1x1 conv and the sigmoid to h (B, T, hid, H, W).
func (m *Model) head(h *convlstm.Tensor) *convlstm.Tensor {
	B, T, C, H, W := h.Shape[0], h.Shape[1], h.Shape[2], h.Shape[3], h.Shape[4]
	hw := H * W
	out := convlstm.Zeros(B, T, 1, H, W)
	for bt := 0; bt < B*T; bt++ {
		z := out.Data[bt*hw : (bt+1)*hw]
		for k := range z {
			z[k] = m.HeadBias.Data[0]
		}
		for c := 0; c < C; c++ {
			w := m.HeadWeight.Data[c]
			hc := h.Data[(bt*C+c)*hw : (bt*C+c+1)*hw]
			for k, v := range hc {
				z[k] += w * v
			}
		}
		for k, v := range z {
			z[k] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	}
	return out
}

// LossAndGrad runs the model on frames[:, :T-1], compares with
// frames[:, 1:] and returns the mean squared error and its gradient with
// respect to every parameter (by StateDict name).
func (m *Model) LossAndGrad(frames *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
	if err := m.check(); err != nil {
		return 0, nil, err
	}
	if err := checkFrames(frames, 2); err != nil {
		return 0, nil, err
	}
	in, target := timeRange(frames, 0, frames.Shape[1]-1), timeRange(frames, 1, frames.Shape[1])
	forward := bptt.ForwardFast
	if m.Readable {
		forward = bptt.Forward
	}
	tape, outs, _, err := forward(m.RNN, in, nil)
	if err != nil {
		return 0, nil, err
	}
	h := outs[0] // (B, T-1, hid, H, W)
	pred := m.head(h)
	B, T, C, H, W := h.Shape[0], h.Shape[1], h.Shape[2], h.Shape[3], h.Shape[4]
	hw := H * W
	n := float64(len(pred.Data))
	// loss = mean((p - y)^2); dz = dL/dp * p*(1-p) through the sigmoid.
	var loss float64
	dz := make([]float32, len(pred.Data))
	for k, p := range pred.Data {
		d := p - target.Data[k]
		loss += float64(d) * float64(d)
		dz[k] = float32(2*float64(d)/n) * p * (1 - p)
	}
	loss /= n
	// The 1x1 conv backward: z = b + sum_c w[c]*h[c].
	dW := convlstm.Zeros(1, C, 1, 1)
	dB := convlstm.Zeros(1)
	dh := convlstm.Zeros(h.Shape...)
	var sb float64
	sw := make([]float64, C)
	for bt := 0; bt < B*T; bt++ {
		g := dz[bt*hw : (bt+1)*hw]
		for _, v := range g {
			sb += float64(v)
		}
		for c := 0; c < C; c++ {
			w := m.HeadWeight.Data[c]
			hc := h.Data[(bt*C+c)*hw : (bt*C+c+1)*hw]
			dhc := dh.Data[(bt*C+c)*hw : (bt*C+c+1)*hw]
			var s float64
			for k, v := range g {
				s += float64(v * hc[k])
				dhc[k] = v * w
			}
			sw[c] += s
		}
	}
	dB.Data[0] = float32(sb)
	for c, v := range sw {
		dW.Data[c] = float32(v)
	}
	g, err := bptt.BackwardWeights(tape, []*convlstm.Tensor{dh})
	tape.Release() // its memory serves the next step's tape
	if err != nil {
		return 0, nil, err
	}
	grads := map[string]*convlstm.Tensor{"head.weight": dW, "head.bias": dB}
	for k, v := range g.Weights {
		grads["convlstm."+k] = v
	}
	return loss, grads, nil
}

// timeRange returns x[:, t0:t1] of a (B, T, C, H, W) tensor as a copy.
func timeRange(x *convlstm.Tensor, t0, t1 int) *convlstm.Tensor {
	B, T := x.Shape[0], x.Shape[1]
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4]
	out := convlstm.Zeros(B, t1-t0, x.Shape[2], x.Shape[3], x.Shape[4])
	for b := 0; b < B; b++ {
		copy(out.Data[b*(t1-t0)*inner:(b+1)*(t1-t0)*inner], x.Data[(b*T+t0)*inner:(b*T+t1)*inner])
	}
	return out
}
