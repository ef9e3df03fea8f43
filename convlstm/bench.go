package convlstm

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// BenchConfig is one forward-pass shape of the benchmarks (make bench,
// BenchmarkForward and the fast-path notebook): a ConvLSTM with
// hidden_dim Hidden (one entry per layer) and kernel Kernel, run on a
// random input of B sequences of T frames of C x H x W.
type BenchConfig struct {
	Name       string
	B, T, C    int
	H, W       int
	Hidden     []int
	Kernel     [2]int
	BatchFirst bool
}

// BenchConfigs returns the three shapes of the benchmarks:
//
//	mnist: B=4, T=10, C=1,  64x64, hidden [16, 16], kernel (3, 3), batch_first
//	wide:  B=2, T=10, C=3,  32x32, hidden [64, 64], kernel (5, 5)
//	deep:  B=4, T=10, C=64, 64x64, hidden [16],     kernel (3, 3)
func BenchConfigs() []BenchConfig {
	return []BenchConfig{
		{Name: "mnist", B: 4, T: 10, C: 1, H: 64, W: 64, Hidden: []int{16, 16}, Kernel: [2]int{3, 3}, BatchFirst: true},
		{Name: "wide", B: 2, T: 10, C: 3, H: 32, W: 32, Hidden: []int{64, 64}, Kernel: [2]int{5, 5}},
		{Name: "deep", B: 4, T: 10, C: 64, H: 64, W: 64, Hidden: []int{16}, Kernel: [2]int{3, 3}},
	}
}

// FLOPs is the multiply-add count of the convolutions of one forward pass,
// 2 per multiply-add: the sum over layers of
// 2*(cin+hid)*4*hid*kh*kw*H*W*B*T.
func (c BenchConfig) FLOPs() float64 {
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
func (c BenchConfig) Model() (*ConvLSTM, *Tensor, error) {
	ManualSeed(0)
	ks := make([][2]int, len(c.Hidden))
	for i := range ks {
		ks[i] = c.Kernel
	}
	m, err := New(Config{InputDim: c.C, HiddenDim: c.Hidden, KernelSize: ks, NumLayers: len(c.Hidden), BatchFirst: c.BatchFirst, Bias: true})
	if err != nil {
		return nil, nil, err
	}
	shape := []int{c.T, c.B, c.C, c.H, c.W}
	if c.BatchFirst {
		shape = []int{c.B, c.T, c.C, c.H, c.W}
	}
	x, err := NewTensor(shape...)
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

// TimeForward runs the forward pass of cfg on the given path reps times
// (after one warm-up run on the fast path) and returns the best time and
// the GFLOP/s it gives.
func TimeForward(cfg BenchConfig, path ConvPath, reps int) (best time.Duration, gflops float64, err error) {
	m, x, err := cfg.Model()
	if err != nil {
		return 0, 0, err
	}
	m.Path = path
	if reps < 1 {
		reps = 1
	}
	if path == Fast {
		if _, _, err := m.Forward(x, nil); err != nil {
			return 0, 0, err
		}
	}
	for r := 0; r < reps; r++ {
		start := time.Now()
		if _, _, err := m.Forward(x, nil); err != nil {
			return 0, 0, err
		}
		if d := time.Since(start); r == 0 || d < best {
			best = d
		}
	}
	return best, cfg.FLOPs() / best.Seconds() / 1e9, nil
}

// PeakGFLOPS measures the machine's float32 peak: independent vector FMA
// chains (AVX-512 when the CPU has it, else scalar Go) on every core. It
// runs 10 trials of about d/10 each and returns the best, in GFLOP/s over
// all cores (the best trial is the one least disturbed by other work).
func PeakGFLOPS(d time.Duration) float64 {
	nw := runtime.GOMAXPROCS(0)
	const iters = 1 << 18
	start := time.Now()
	fmaLoop(iters)
	calls := max(1, int(d/10/max(time.Since(start), time.Microsecond)))
	best := 0.0
	for trial := 0; trial < 10; trial++ {
		var wg sync.WaitGroup
		start = time.Now()
		for w := 0; w < nw; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < calls; i++ {
					fmaLoop(iters)
				}
			}()
		}
		wg.Wait()
		best = max(best, float64(nw*calls*iters)*fmaLoopFLOPs/time.Since(start).Seconds()/1e9)
	}
	return best
}

// GemmGFLOPS times one sgemm C = A.B of m x k by k x n (the fast path's
// product, on all cores) and returns its GFLOP/s, best of reps.
func GemmGFLOPS(m, n, k, reps int) (float64, error) {
	if m <= 0 || n <= 0 || k <= 0 || float64(m)*float64(n)+float64(m)*float64(k)+float64(k)*float64(n) > 1<<28 {
		return 0, fmt.Errorf("convlstm: GemmGFLOPS: bad or too large sizes %d x %d x %d", m, n, k)
	}
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range b {
		b[i] = float32(i%5) - 2
	}
	best := time.Duration(0)
	for r := 0; r < max(reps, 1)+1; r++ {
		start := time.Now()
		sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
		if d := time.Since(start); r > 0 && (best == 0 || d < best) {
			best = d
		}
	}
	return 2 * float64(m) * float64(n) * float64(k) / best.Seconds() / 1e9, nil
}

// FastStepGFLOPS times one time step of the recurrent part of the fast
// path, the fused product (4hid x hid*kh*kw by hid*kh*kw x B*H*W, plus the
// gate epilogue) of the given benchmark's first layer, on all cores, and
// returns its GFLOP/s counting the product's FLOPs only. On the taps path
// (fast_taps.go) a step also computes its input product, and the FLOPs
// count both.
func FastStepGFLOPS(cfg BenchConfig, reps int) (float64, error) {
	m, x, err := cfg.Model()
	if err != nil {
		return 0, err
	}
	if !cfg.BatchFirst {
		x = permute10(x)
	}
	cell := m.CellList[0]
	ws := &fastWorkspace{}
	pool := newFastPool(runtime.GOMAXPROCS(0))
	defer pool.close()
	l := newFastLayer(cell, ws, x.Data, cfg.B, cfg.T, cfg.H, cfg.W, nil, nil, false)
	l.runInput(pool)
	l.runStep(pool, 0)
	best := time.Duration(0)
	for r := 0; r < max(reps, 1); r++ {
		start := time.Now()
		for t := 1; t < cfg.T; t++ {
			l.runStep(pool, t)
		}
		if d := time.Since(start) / time.Duration(cfg.T-1); best == 0 || d < best {
			best = d
		}
	}
	if pool.err != nil {
		return 0, pool.err
	}
	hid := cell.HiddenDim
	k := hid
	if l.taps { // the input product is done within the steps too
		k += cell.InputDim
	}
	flops := 2 * float64(4*hid) * float64(k*cell.KernelSize[0]*cell.KernelSize[1]) * float64(cfg.B*cfg.H*cfg.W)
	return flops / best.Seconds() / 1e9, nil
}
