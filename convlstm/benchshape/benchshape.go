// Package benchshape holds the forward-pass shapes of the timings: the three
// of make bench and make bench-torch (testdata/bench_torch.py runs the same
// three in PyTorch), their models, inputs and FLOP counts. The benchmarks of
// convlstm/fast and convlstm/bptt (through convlstm/internal/bench) and the
// timings of the notebooks (notebooks/nbfast.Shape) share it.
package benchshape

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// Shape is one forward-pass shape: a ConvLSTM with hidden_dim Hidden (one
// entry per layer) and the kernel Kernel in every layer, run on a random
// input of B sequences of T frames of C x H x W, batch first (B, T, C, H, W)
// or not (T, B, C, H, W). Direct asks a timing to run every conv direct,
// Winograd's algorithm off (the notebooks' timings read it; the benchmarks
// do not).
type Shape struct {
	Name       string
	B, T, C    int
	H, W       int
	Hidden     []int
	Kernel     [2]int
	BatchFirst bool
	Direct     bool
}

// Bench returns the three shapes of the benchmarks:
//
//	mnist: B=4, T=10, C=1,  64x64, hidden [16, 16], kernel (3, 3), batch_first
//	wide:  B=2, T=10, C=3,  32x32, hidden [64, 64], kernel (5, 5)
//	deep:  B=4, T=10, C=64, 64x64, hidden [16],     kernel (3, 3)
func Bench() []Shape {
	return []Shape{
		{Name: "mnist", B: 4, T: 10, C: 1, H: 64, W: 64, Hidden: []int{16, 16}, Kernel: [2]int{3, 3}, BatchFirst: true},
		{Name: "wide", B: 2, T: 10, C: 3, H: 32, W: 32, Hidden: []int{64, 64}, Kernel: [2]int{5, 5}},
		{Name: "deep", B: 4, T: 10, C: 64, H: 64, W: 64, Hidden: []int{16}, Kernel: [2]int{3, 3}},
	}
}

// FLOPs is the multiply-add count of the convolutions of one forward pass,
// 2 per multiply-add: the sum over layers of
// 2*(cin+hid)*4*hid*kh*kw*H*W*B*T, where cin is C for the first layer and
// the previous layer's hid after it.
func (s Shape) FLOPs() float64 {
	var f float64
	cin := s.C
	for _, hid := range s.Hidden {
		f += 2 * float64(cin+hid) * 4 * float64(hid) * float64(s.Kernel[0]*s.Kernel[1]) * float64(s.H*s.W*s.B*s.T)
		cin = hid
	}
	return f
}

// TrainFLOPs is the FLOP count of one training step, as BenchmarkTrainStep
// counts it: 3x FLOPs (the forward's convolutions, and the two products of
// the backward, the weight gradient and the gradient of the conv's input).
func (s Shape) TrainFLOPs() float64 { return 3 * s.FLOPs() }

// Model builds the shape's model, with the weights of
// convlstm.ManualSeed(0) and a bias, and a deterministic random input in
// (-1, 1), laid out (B, T, C, H, W) if BatchFirst, else (T, B, C, H, W).
// The same shape always gives the same model and input.
func (s Shape) Model() (*convlstm.ConvLSTM, *convlstm.Tensor, error) {
	if s.B <= 0 || s.T <= 0 || s.C <= 0 || s.H <= 0 || s.W <= 0 || len(s.Hidden) == 0 {
		return nil, nil, fmt.Errorf("Shape %q: B, T, C, H, W = %d, %d, %d, %d, %d and hidden %v, want positive sizes and at least one layer",
			s.Name, s.B, s.T, s.C, s.H, s.W, s.Hidden)
	}
	convlstm.ManualSeed(0)
	ks := make([][2]int, len(s.Hidden))
	for i := range ks {
		ks[i] = s.Kernel
	}
	m, err := convlstm.New(convlstm.Config{InputDim: s.C, HiddenDim: append([]int(nil), s.Hidden...), KernelSize: ks,
		NumLayers: len(s.Hidden), BatchFirst: s.BatchFirst, Bias: true})
	if err != nil {
		return nil, nil, fmt.Errorf("Shape %q: %w", s.Name, err)
	}
	shape := []int{s.T, s.B, s.C, s.H, s.W}
	if s.BatchFirst {
		shape = []int{s.B, s.T, s.C, s.H, s.W}
	}
	x, err := convlstm.NewTensor(shape...)
	if err != nil {
		return nil, nil, fmt.Errorf("Shape %q: %w", s.Name, err)
	}
	r := uint32(12345)
	for i := range x.Data {
		r = r*1664525 + 1013904223
		x.Data[i] = float32(r>>8)/float32(1<<24)*2 - 1
	}
	return m, x, nil
}
