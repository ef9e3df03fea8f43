package fast

import (
	"math/rand"
	"runtime"
	"strings"
	"sync"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/testutil"
)

// TestRunnerOwnOutputAsInput: a Runner fed what its last call returned
// (the layer output as the next input, the last states as the next hidden
// state: a stream, or truncated BPTT) gives fast.Forward's numbers on
// copies of them, bit for bit, in every conv mode, with a trace and
// without. Its next call writes the memory those tensors are in.
func TestRunnerOwnOutputAsInput(t *testing.T) {
	forEachMode(func(mode convMode) {
		for _, trace := range []bool{false, true} {
			// input_dim = hidden_dim, so that the output can be the input.
			m, err := convlstm.New(convlstm.Config{InputDim: 16, HiddenDim: []int{16}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true})
			if err != nil {
				t.Fatal(err)
			}
			x := randTensor(1, 2, 3, 16, 7, 9)
			var r Runner
			var tr *convlstm.Trace
			if trace {
				tr = &convlstm.Trace{}
			}
			outs, states, err := r.ForwardTrace(m, x, nil, tr)
			if err != nil {
				t.Fatal(err)
			}
			for step := 0; step < 3; step++ {
				in := outs[0]
				hs := []convlstm.State{{H: states[0].H, C: states[0].C}}
				want, wantS, err := Forward(m, in.Clone(), []convlstm.State{{H: hs[0].H.Clone(), C: hs[0].C.Clone()}})
				if err != nil {
					t.Fatal(err)
				}
				if outs, states, err = r.ForwardTrace(m, in, hs, tr); err != nil {
					t.Fatal(err)
				}
				sameBits(t, mode.name+": output", want[0], outs[0])
				sameBits(t, mode.name+": h", wantS[0].H, states[0].H)
				sameBits(t, mode.name+": c", wantS[0].C, states[0].C)
			}
		}
	})
}

// TestNilAndZeroValues: nil and zero-value models, cells and Runners give
// the fast path's entry points an error, not a panic.
func TestNilAndZeroValues(t *testing.T) {
	m, err := convlstm.NewConvLSTM(1, 4, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := convlstm.Zeros(1, 2, 1, 4, 4)
	x4 := convlstm.Zeros(1, 1, 4, 4)
	var nilRunner *Runner
	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"Forward(nil)", func() error { _, _, err := Forward(nil, x, nil); return err }, "model is nil"},
		{"ForwardTrace(nil)", func() error { _, _, err := ForwardTrace(nil, x, nil, &convlstm.Trace{}); return err }, "model is nil"},
		{"Forward(zero model)", func() error { _, _, err := Forward(&convlstm.ConvLSTM{}, x, nil); return err }, "input_dim"},
		{"Runner.Forward(nil)", func() error { var r Runner; _, _, err := r.Forward(nil, x, nil); return err }, "model is nil"},
		{"Runner.ForwardTrace(nil)", func() error { var r Runner; _, _, err := r.ForwardTrace(nil, x, nil, nil); return err }, "model is nil"},
		{"nil Runner", func() error { _, _, err := nilRunner.Forward(m, x, nil); return err }, "Runner is nil"},
		{"nil Runner trace", func() error { _, _, err := nilRunner.ForwardTrace(m, x, nil, nil); return err }, "Runner is nil"},
		{"CellForward(nil)", func() error { _, err := CellForward(nil, x4, convlstm.State{}); return err }, "cell is nil"},
		{"CellForward(zero cell)", func() error { _, err := CellForward(&convlstm.Cell{}, x4, convlstm.State{}); return err }, "conv is nil"},
		{"StepGFLOPS(nil)", func() error { _, err := StepGFLOPS(nil, x, 1); return err }, "model is nil"},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.ErrorNotPanic(t, c.call, c.want) })
	}
}

// withMaxCallBytes runs f with convlstm.MaxCallBytes set to n.
func withMaxCallBytes(n int64, f func()) {
	saved := convlstm.MaxCallBytes
	convlstm.MaxCallBytes = n
	defer func() { convlstm.MaxCallBytes = saved }()
	f()
}

// TestCallLimitsWithTrace: an explicit trace (ForwardTrace, a Runner's
// ForwardTrace) and a cell step (CellForward, which records the step's
// gates) count against convlstm.MaxCallBytes before anything is
// allocated: with a limit that the untraced forward fits in and the
// traced one does not, the traced calls fail with an error naming
// MaxCallBytes, having allocated (almost) nothing.
func TestCallLimitsWithTrace(t *testing.T) {
	const b, tt, hid, h, w = 1, 8, 64, 64, 64
	m, err := convlstm.NewConvLSTM(1, hid, [2]int{1, 1}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := convlstm.Zeros(b, tt, 1, h, w)
	seq := int64(4 * b * tt * hid * h * w) // bytes of one (B, T, hid, H, W)
	limit := 10 * seq                      // the forward's count is 7 of them, a trace adds 6
	withMaxCallBytes(limit, func() {
		if _, _, err := Forward(m, x, nil); err != nil {
			t.Fatalf("untraced forward under the limit: %v", err)
		}
		var r Runner
		for _, c := range []struct {
			name string
			call func() error
		}{
			{"ForwardTrace", func() error { _, _, err := ForwardTrace(m, x, nil, &convlstm.Trace{}); return err }},
			{"Runner.ForwardTrace", func() error { _, _, err := r.ForwardTrace(m, x, nil, &convlstm.Trace{}); return err }},
		} {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := c.call()
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "MaxCallBytes") {
				t.Errorf("%s: err = %v, want the MaxCallBytes error", c.name, err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("%s: allocated %d bytes before failing", c.name, n)
			}
		}
	})
	// One cell step: input, state and the step's h, c and four gates are
	// (B, hid, H, W) or smaller; a limit of three such tensors must fail.
	cell := m.CellList[0]
	one := int64(4 * b * hid * h * w)
	withMaxCallBytes(3*one, func() {
		in := convlstm.Zeros(b, 1, h, w)
		st := convlstm.State{H: convlstm.Zeros(b, hid, h, w), C: convlstm.Zeros(b, hid, h, w)}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := CellForward(cell, in, st)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "MaxCallBytes") {
			t.Errorf("CellForward: err = %v, want the MaxCallBytes error", err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("CellForward: allocated %d bytes before failing", n)
		}
	})
}

// TestRunnerConcurrentUse: two goroutines calling one Runner at once get
// an error from one of them (the Runner's memory is for one call at a
// time), and the race detector reports nothing.
func TestRunnerConcurrentUse(t *testing.T) {
	m, err := convlstm.NewConvLSTM(2, 8, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := randTensor(2, 2, 4, 2, 16, 16)
	var r Runner
	inUse := 0
	for round := 0; round < 50 && inUse == 0; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for g := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[g] = r.Forward(m, x, nil)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				if !strings.Contains(err.Error(), "in use") {
					t.Fatalf("unexpected error: %v", err)
				}
				inUse++
			}
		}
	}
	if inUse == 0 {
		t.Fatal("50 rounds of two concurrent calls: none said the Runner was in use")
	}
}

// randTensor is a tensor of the given shape, uniform in [-1, 1) from seed.
func randTensor(seed int64, shape ...int) *convlstm.Tensor {
	x := convlstm.Zeros(shape...)
	testutil.Uniform(rand.New(rand.NewSource(seed)), x.Data)
	return x
}
