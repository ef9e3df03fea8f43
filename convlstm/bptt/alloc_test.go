package bptt

import (
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
