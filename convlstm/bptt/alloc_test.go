package bptt

import (
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// TestNoAllocationPerTimeStep: a training step on the fast path
// (ForwardFast, BackwardWeights, Release), after a first one, makes fewer
// than 6 more allocations at T = 8 than at T = 2 (one per added step and
// layer would be 12; the slack is for the sync.Pool's own bookkeeping): the
// time loops of the forward and of the backward allocate nothing, and the
// planes and the trace are reused from the step before. What is left (a few hundred small objects) is per
// call: the checks, the returned tensors and gradients. Under the race
// detector sync.Pool drops objects at random, so the test is skipped there.
func TestNoAllocationPerTimeStep(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops objects at random under the race detector")
	}
	allocs := map[int]float64{}
	for _, T := range []int{2, 8} {
		cfg := bench.Config{Name: "alloc", B: 2, T: T, C: 1, H: 16, W: 16, Hidden: []int{16, 8}, Kernel: [2]int{3, 3}, BatchFirst: true}
		m, x, err := cfg.Model()
		if err != nil {
			t.Fatal(err)
		}
		allocs[T] = testing.AllocsPerRun(20, func() {
			tape, outs, _, err := ForwardFast(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := BackwardWeights(tape, []*convlstm.Tensor{outs[0]}); err != nil {
				t.Fatal(err)
			}
			tape.Release()
		})
	}
	t.Logf("allocations per training step: %v at T = 2, %v at T = 8", allocs[2], allocs[8])
	if allocs[8]-allocs[2] >= 6 {
		t.Errorf("a training step allocates %v times at T = 8 and %v times at T = 2: something allocates per time step", allocs[8], allocs[2])
	}
}

// TestRelease: Backward on a released tape is an error that says so; a
// second Release and the Release of a readable tape do nothing; the next
// tape, recorded into the recycled memory, gives the same gradients as the
// first (nothing stale is read).
func TestRelease(t *testing.T) {
	cfg := bench.Config{Name: "release", B: 2, T: 3, C: 2, H: 6, W: 7, Hidden: []int{16, 4}, Kernel: [2]int{3, 3}, BatchFirst: true}
	m, x, err := cfg.Model()
	if err != nil {
		t.Fatal(err)
	}
	grads := func() *Grads {
		tape, outs, _, err := ForwardFast(m, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Backward(tape, []*convlstm.Tensor{outs[0]})
		if err != nil {
			t.Fatal(err)
		}
		tape.Release()
		if _, err := Backward(tape, []*convlstm.Tensor{outs[0]}); err == nil || !strings.Contains(err.Error(), "released") {
			t.Errorf("Backward after Release: err = %v, want one that says the tape was released", err)
		}
		tape.Release()
		return g
	}
	first, second := grads(), grads()
	for k, w := range first.Weights {
		compareGrad(t, k, second.Weights[k], w)
	}
	compareGrad(t, "input", second.Input, first.Input)
	readable, outs, _, err := Forward(m, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	readable.Release()
	if _, err := Backward(readable, []*convlstm.Tensor{outs[0]}); err != nil {
		t.Errorf("Backward of a readable tape after Release: %v", err)
	}
}
