package fast

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
	"example.com/convlstm/convlstm/internal/par"
)

// maxDiff returns the largest |a-b| over two tensors of the same shape.
func maxDiff(t *testing.T, name string, a, b *convlstm.Tensor) float64 {
	t.Helper()
	if !convlstm.SameShape(a.Shape, b.Shape) {
		t.Fatalf("%s: shape %v vs %v", name, a.Shape, b.Shape)
	}
	d := 0.0
	for i := range a.Data {
		x, y := float64(a.Data[i]), float64(b.Data[i])
		switch {
		case math.IsNaN(x) && math.IsNaN(y), x == y:
		case math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0):
			return math.Inf(1) // a NaN or an infinity on one side only
		default:
			d = max(d, math.Abs(x-y))
		}
	}
	return d
}

// seededLayer returns convlstm.NewConvLSTM(cin, hid, k, 1, true, true,
// false), its weights drawn after convlstm.ManualSeed(seed), and an input
// of the given shape holding wave(i) at index i.
func seededLayer(t *testing.T, seed int64, cin, hid int, k [2]int, wave func(float64) float64, shape ...int) (*convlstm.ConvLSTM, *convlstm.Tensor) {
	t.Helper()
	convlstm.ManualSeed(seed)
	m, err := convlstm.NewConvLSTM(cin, hid, k, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := convlstm.Zeros(shape...)
	for i := range x.Data {
		x.Data[i] = float32(wave(float64(i)))
	}
	return m, x
}

// forEachMode runs f in each convMode in turn, restoring the previous mode
// after it (even when f stops the test).
func forEachMode(f func(mode convMode)) {
	for _, mode := range convModes {
		func() {
			defer mode.set()()
			f(mode)
		}()
	}
}

// TestFastMatchesNaive runs both paths on shapes the goldens do not cover
// (wide channels, K above one KC block, frames wider than a tile, odd
// sizes, traces and given states) and compares every output and traced
// activation.
func TestFastMatchesNaive(t *testing.T) {
	cases := []vsCase{
		{3, 2, 3, 13, 21, []int{5, 7}, [2]int{3, 5}, true, true, false},
		{40, 1, 2, 9, 9, []int{33}, [2]int{3, 3}, false, false, true},     // K = 73*9 > 256
		{2, 3, 2, 17, 16, []int{8, 4, 3}, [2]int{1, 1}, true, true, true}, // 272 pixels > one tile
		{1, 1, 1, 1, 1, []int{1}, [2]int{3, 3}, true, true, false},
		{4, 2, 2, 6, 40, []int{12}, [2]int{5, 7}, false, true, true},
		{20, 2, 3, 11, 50, []int{16, 9}, [2]int{5, 3}, false, true, true}, // taps path, bands, rows wider than a strip
		{17, 1, 1, 3, 2, []int{18, 17}, [2]int{1, 1}, true, false, false}, // taps path, 1x1, tiny frame
		{64, 1, 2, 70, 9, []int{10}, [2]int{3, 7}, true, true, true},      // taps path, several bands per frame
	}
	// Every case on the default split between the im2col and the taps
	// input phase, then with every layer forced onto each of them.
	// All of it at each kernel level.
	forEachLevel(t, func(t *testing.T) {
		forEachMode(func(mode convMode) {
			for ci, c := range cases {
				t.Run(fmt.Sprintf("%d/%s", ci, mode.name), func(t *testing.T) {
					m, x := c.model(t, int64(ci+1))
					var hs []convlstm.State
					if c.hs {
						hs = c.states()
					}
					r := runBoth(t, m, x, hs)
					worst := 0.0
					r.pairs(func(key string, fast, naive *convlstm.Tensor) {
						worst = max(worst, maxDiff(t, key, fast, naive))
					})
					t.Logf("max |fast-naive| %.3g", worst)
					if worst > 2e-5 {
						t.Errorf("fast and naive differ by %g", worst)
					}
				})
			}
		})
	})
}

// vsCase is a shape on which the fast path is compared with the readable
// one: input channels, batch, steps, frame height and width, hidden sizes
// (one layer each), the kernel of every layer, batch first, bias, and
// whether an initial state is given.
type vsCase struct {
	cin, b, tt, h, w int
	hid              []int
	k                [2]int
	bf, bias, hs     bool
}

// model returns c's model, its weights drawn after convlstm.ManualSeed(seed)
// and returning every layer, and an input of smooth values in (-2, 2).
func (c vsCase) model(t *testing.T, seed int64) (*convlstm.ConvLSTM, *convlstm.Tensor) {
	t.Helper()
	convlstm.ManualSeed(seed)
	ks := make([][2]int, len(c.hid))
	for i := range ks {
		ks[i] = c.k
	}
	m, err := convlstm.New(convlstm.Config{InputDim: c.cin, HiddenDim: c.hid, KernelSize: ks, NumLayers: len(c.hid), BatchFirst: c.bf, Bias: c.bias, ReturnAllLayers: true})
	if err != nil {
		t.Fatal(err)
	}
	shape := []int{c.tt, c.b, c.cin, c.h, c.w}
	if c.bf {
		shape = []int{c.b, c.tt, c.cin, c.h, c.w}
	}
	x := convlstm.Zeros(shape...)
	for i := range x.Data {
		x.Data[i] = float32(math.Sin(float64(i)*0.37)) * 2
	}
	return m, x
}

// states returns an initial state of smooth values for each of c's layers.
func (c vsCase) states() []convlstm.State {
	var hs []convlstm.State
	for l, hid := range c.hid {
		s := convlstm.State{H: convlstm.Zeros(c.b, hid, c.h, c.w), C: convlstm.Zeros(c.b, hid, c.h, c.w)}
		for i := range s.H.Data {
			s.H.Data[i] = float32(math.Cos(float64(i+l)*0.11)) * 0.9
			s.C.Data[i] = float32(math.Sin(float64(i+l)*0.23)) * 1.5
		}
		hs = append(hs, s)
	}
	return hs
}

// both holds what the readable Forward (naive) and fast.Forward (fast)
// return on the same model, input and states, with their traces.
type both struct {
	on, of   []*convlstm.Tensor
	sn, sf   []convlstm.State
	trn, trf *convlstm.Trace
}

// runBoth runs the readable Forward and fast.Forward on m, x and hs, each
// with a new trace.
func runBoth(t *testing.T, m *convlstm.ConvLSTM, x *convlstm.Tensor, hs []convlstm.State) both {
	t.Helper()
	run := func(fwd func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)) ([]*convlstm.Tensor, []convlstm.State, *convlstm.Trace) {
		m.Trace = &convlstm.Trace{}
		o, s, err := fwd(m, x, hs)
		if err != nil {
			t.Fatal(err)
		}
		return o, s, m.Trace
	}
	var r both
	r.on, r.sn, r.trn = run((*convlstm.ConvLSTM).Forward)
	r.of, r.sf, r.trf = run(Forward)
	return r
}

// pairs calls f on each pair of tensors (fast, naive) of r, named as the
// goldens name them: every layer's output and last h and c, and its traced
// activations i, f, o, g, c, h at every step.
func (r both) pairs(f func(key string, fast, naive *convlstm.Tensor)) {
	for l := range r.on {
		f(fmt.Sprintf("layer_output.%d", l), r.of[l], r.on[l])
		f(fmt.Sprintf("last_state.%d.h", l), r.sf[l].H, r.sn[l].H)
		f(fmt.Sprintf("last_state.%d.c", l), r.sf[l].C, r.sn[l].C)
		for st := range r.trn.Layers[l] {
			a, b := r.trf.Layers[l][st], r.trn.Layers[l][st]
			for k, p := range [][2]*convlstm.Tensor{{a.I, b.I}, {a.F, b.F}, {a.O, b.O}, {a.G, b.G}, {a.C, b.C}, {a.H, b.H}} {
				f(fmt.Sprintf("trace.%d.%d.%c", l, st, "ifogch"[k]), p[0], p[1])
			}
		}
	}
}

// cellForwardGates is CellForward that also returns the gates: the step
// as a traced sequence of length 1.
func cellForwardGates(c *convlstm.Cell, input *convlstm.Tensor, cur convlstm.State) (*convlstm.Step, error) {
	if err := checkStep(c, input, cur); err != nil {
		return nil, err
	}
	var ws fastWorkspace
	ws.pool.reset(par.Workers())
	l := ws.layer(0, c, input.Data, input.Shape[0], 1, input.Shape[2], input.Shape[3], cur.H.Data, cur.C.Data, true)
	l.runInput(&ws.pool)
	l.runStep(&ws.pool, 0)
	return &l.steps[0], ws.pool.err
}

// TestCellFastMatchesNaive checks the fast cell step (its gates, h and c)
// against the readable Cell.ForwardGates, and CellForward's h and c
// against it bit for bit.
func TestCellFastMatchesNaive(t *testing.T) {
	convlstm.ManualSeed(7)
	cell, err := convlstm.NewCell(3, 6, [2]int{3, 5}, true)
	if err != nil {
		t.Fatal(err)
	}
	x, cur := convlstm.Zeros(2, 3, 7, 9), convlstm.State{H: convlstm.Zeros(2, 6, 7, 9), C: convlstm.Zeros(2, 6, 7, 9)}
	for i := range x.Data {
		x.Data[i] = float32(math.Sin(float64(i)))
	}
	for i := range cur.H.Data {
		cur.H.Data[i], cur.C.Data[i] = float32(math.Cos(float64(i))), float32(math.Sin(float64(i)*0.5))
	}
	hBefore := cur.H.Clone()
	sn, err := cell.ForwardGates(x, cur)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := cellForwardGates(cell, x, cur)
	if err != nil {
		t.Fatal(err)
	}
	st, err := CellForward(cell, x, cur)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "CellForward h", sf.H, st.H)
	sameBits(t, "CellForward c", sf.C, st.C)
	for _, p := range [][2]*convlstm.Tensor{{sf.I, sn.I}, {sf.F, sn.F}, {sf.O, sn.O}, {sf.G, sn.G}, {sf.C, sn.C}, {sf.H, sn.H}, {cur.H, hBefore}} {
		if d := maxDiff(t, "cell", p[0], p[1]); d > 2e-6 {
			t.Errorf("cell fast vs naive: max diff %g", d)
		}
	}
	if _, err := CellForward(cell, x, convlstm.State{H: cur.H}); err == nil {
		t.Error("CellForward accepted a nil c")
	}
}

// TestFastStepAllocs checks that a time step of the fast path allocates
// nothing once the layer is set up: the workspace, the packed weights and
// the worker pool are reused from step to step.
func TestFastStepAllocs(t *testing.T) {
	cfg := bench.Config{Name: "small", B: 2, T: 4, C: 3, H: 16, W: 24, Hidden: []int{8}, Kernel: [2]int{3, 3}, BatchFirst: true}
	m, x, err := cfg.Model()
	if err != nil {
		t.Fatal(err)
	}
	ws := &fastWorkspace{}
	pool := &ws.pool
	pool.reset(2)
	l := ws.layer(0, m.CellList[0], x.Data, cfg.B, cfg.T, cfg.H, cfg.W, nil, nil, false)
	l.runInput(pool)
	allocs := testing.AllocsPerRun(20, func() {
		for step := 0; step < cfg.T; step++ {
			l.runStep(pool, step)
		}
	})
	if allocs != 0 {
		t.Errorf("fast path time loop: %v allocations per run of %d steps, want 0", allocs, cfg.T)
	}
	if pool.err != nil {
		t.Fatal(pool.err)
	}
}

// TestForwardReadsCurrentWeights: a weight change between two calls (as an
// optimiser step or npz.Load makes) is seen by the next call, on both
// kernels: the packed weights are never cached across calls.
func TestForwardReadsCurrentWeights(t *testing.T) {
	forEachMode(func(mode convMode) {
		m, x := seededLayer(t, 4, 2, 16, [2]int{3, 3}, math.Cos, 1, 3, 2, 6, 7)
		first, _, err := Forward(m, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := first[0].Clone()
		for i := range m.CellList[0].Conv.Weight.Data {
			m.CellList[0].Conv.Weight.Data[i] *= -0.5
		}
		second, _, err := Forward(m, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := m.Forward(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(t, "after the change", second[0], want[0]); d > 2e-5 {
			t.Errorf("%s: after a weight change fast.Forward differs from m.Forward by %g", mode.name, d)
		}
		if d := maxDiff(t, "before vs after", second[0], before); d == 0 {
			t.Errorf("%s: the output did not change with the weights", mode.name)
		}
	})
}

// TestSameErrors: after an exported field is changed so that the model no
// longer matches its weights, or given bad arguments, fast.Forward returns
// the readable Forward's error (and neither panics).
func TestSameErrors(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(m *convlstm.ConvLSTM)
		x      []int
		want   string
	}{
		{"cell hidden_dim", func(m *convlstm.ConvLSTM) { m.CellList[0].HiddenDim++ }, nil, "hidden_dim"},
		{"cell input_dim", func(m *convlstm.ConvLSTM) { m.CellList[1].InputDim = 7 }, nil, "input_dim"},
		{"model input_dim", func(m *convlstm.ConvLSTM) { m.InputDim = 3 }, []int{2, 3, 3, 6, 5}, "input_dim"},
		{"kernel", func(m *convlstm.ConvLSTM) { m.CellList[0].KernelSize = [2]int{5, 5} }, nil, "kernel_size"},
		{"padding", func(m *convlstm.ConvLSTM) { m.CellList[0].Conv.Padding = [2]int{0, 0} }, nil, "padding"},
		{"nil cell", func(m *convlstm.ConvLSTM) { m.CellList[0] = nil }, nil, "cell_list.0 is nil"},
		{"weight", func(m *convlstm.ConvLSTM) { m.CellList[1].Conv.Weight = convlstm.Zeros(3) }, nil, "conv.weight"},
		{"4-D input", func(*convlstm.ConvLSTM) {}, []int{2, 3, 6, 5}, "5-D"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := convlstm.New(convlstm.Config{InputDim: 2, HiddenDim: []int{4, 16}, KernelSize: [][2]int{{3, 3}, {3, 3}}, NumLayers: 2, BatchFirst: true, Bias: true})
			if err != nil {
				t.Fatal(err)
			}
			c.mutate(m)
			shape := c.x
			if shape == nil {
				shape = []int{2, 3, 2, 6, 5}
			}
			x := convlstm.Zeros(shape...)
			_, _, errR := m.Forward(x, nil)
			_, _, errF := Forward(m, x, nil)
			if errR == nil || errF == nil || errR.Error() != errF.Error() {
				t.Fatalf("readable: %v\nfast:     %v", errR, errF)
			}
			if !strings.Contains(errR.Error(), c.want) {
				t.Errorf("error %q does not mention %q", errR, c.want)
			}
		})
	}
}

// TestSizeLimitsFast: the fast path and the training forward refuse what
// would pass the size limits, with the readable path's error, before
// allocating.
func TestSizeLimitsFast(t *testing.T) {
	m, err := convlstm.NewConvLSTM(1, 1024, [2]int{1, 1}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := convlstm.Zeros(1, 64, 1, 256, 256)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, errF := Forward(m, x, nil)
	runtime.ReadMemStats(&after)
	_, _, errR := m.Forward(x, nil)
	if errF == nil || errR == nil || errF.Error() != errR.Error() || !strings.Contains(errF.Error(), "MaxElements") {
		t.Fatalf("fast: %v\nreadable: %v", errF, errR)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("fast.Forward allocated %d bytes before failing", n)
	}
}

// TestInfWeightZeroState: an infinite weight of the h half meets the zero
// initial h, 0*Inf = NaN, on both kernels as on the readable path (the
// fast path must not skip the product with a zero h then).
func TestInfWeightZeroState(t *testing.T) {
	forEachMode(func(mode convMode) {
		m, err := convlstm.NewConvLSTM(1, 4, [2]int{3, 3}, 1, true, true, false)
		if err != nil {
			t.Fatal(err)
		}
		w := m.CellList[0].Conv.Weight // (16, 1+4, 3, 3): channel 1 is the first of h
		w.Set(float32(math.Inf(1)), 2, 1, 1, 1)
		x := convlstm.Zeros(1, 2, 1, 5, 6)
		want, _, err := m.Forward(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := Forward(m, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(float64(want[0].Data[2*30+2*6+2])) {
			t.Fatalf("readable path: want NaN in h of channel 2, got %g", want[0].Data[2*30+2*6+2])
		}
		if d := maxDiff(t, "inf weight", got[0], want[0]); d > 2e-5 {
			t.Errorf("%s: fast differs from readable (NaN placement or values): %g", mode.name, d)
		}
	})
}
