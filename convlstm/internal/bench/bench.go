// Package bench holds the benchmark shapes of make bench and make
// bench-torch (testdata/bench_torch.py runs the same three in PyTorch):
// their models, inputs and FLOP counts. The benchmarks themselves are in
// convlstm/fast and convlstm/bptt.
package bench

import "example.com/convlstm/convlstm"

// Config is one forward-pass shape of the benchmarks (make bench,
// BenchmarkForward and the fast-path notebook): a ConvLSTM with
// hidden_dim Hidden (one entry per layer) and kernel Kernel, run on a
// random input of B sequences of T frames of C x H x W.
type Config struct {
	Name       string
	B, T, C    int
	H, W       int
	Hidden     []int
	Kernel     [2]int
	BatchFirst bool
}

// Configs returns the three shapes of the benchmarks:
//
//	mnist: B=4, T=10, C=1,  64x64, hidden [16, 16], kernel (3, 3), batch_first
//	wide:  B=2, T=10, C=3,  32x32, hidden [64, 64], kernel (5, 5)
//	deep:  B=4, T=10, C=64, 64x64, hidden [16],     kernel (3, 3)
func Configs() []Config {
	return []Config{
		{Name: "mnist", B: 4, T: 10, C: 1, H: 64, W: 64, Hidden: []int{16, 16}, Kernel: [2]int{3, 3}, BatchFirst: true},
		{Name: "wide", B: 2, T: 10, C: 3, H: 32, W: 32, Hidden: []int{64, 64}, Kernel: [2]int{5, 5}},
		{Name: "deep", B: 4, T: 10, C: 64, H: 64, W: 64, Hidden: []int{16}, Kernel: [2]int{3, 3}},
	}
}

// FLOPs is the multiply-add count of the convolutions of one forward pass,
// 2 per multiply-add: the sum over layers of
// 2*(cin+hid)*4*hid*kh*kw*H*W*B*T.
func (c Config) FLOPs() float64 {
	var f float64
	cin := c.C
	for _, hid := range c.Hidden {
		f += 2 * float64(cin+hid) * 4 * float64(hid) * float64(c.Kernel[0]*c.Kernel[1]) * float64(c.H*c.W*c.B*c.T)
		cin = hid
	}
	return f
}

// Model builds the benchmark's model (seeded weights) and a random input
// in its layout.
func (c Config) Model() (*convlstm.ConvLSTM, *convlstm.Tensor, error) {
	convlstm.ManualSeed(0)
	ks := make([][2]int, len(c.Hidden))
	for i := range ks {
		ks[i] = c.Kernel
	}
	m, err := convlstm.New(convlstm.Config{InputDim: c.C, HiddenDim: c.Hidden, KernelSize: ks, NumLayers: len(c.Hidden), BatchFirst: c.BatchFirst, Bias: true})
	if err != nil {
		return nil, nil, err
	}
	shape := []int{c.T, c.B, c.C, c.H, c.W}
	if c.BatchFirst {
		shape = []int{c.B, c.T, c.C, c.H, c.W}
	}
	x, err := convlstm.NewTensor(shape...)
	if err != nil {
		return nil, nil, err
	}
	s := uint32(12345)
	for i := range x.Data {
		s = s*1664525 + 1013904223
		x.Data[i] = float32(s>>8)/float32(1<<24)*2 - 1
	}
	return m, x, nil
}
