package train

import (
	"testing"

	"example.com/convlstm/convlstm/optim"
)

// TestStepAllocs: after its first step, a training step of Loop on the
// fast path (LossAndGrad through the model's bptt.Trainer, the clipping,
// Adam) allocates nothing, on one batch; drawing the batch from the
// generator is not part of it.
func TestStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping allocates")
	}
	m, err := NewModel([]int{8, 8}, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, gen := tinySetup(t)
	x, err := gen.Batch(4)
	if err != nil {
		t.Fatal(err)
	}
	st := &stepper{params: m.StateDict(), lossAndGrad: m.LossAndGrad, adam: optim.NewAdam(), clipNorm: 1, label: "test"}
	step := func() {
		if _, err := st.step(x, 0); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if n := testing.AllocsPerRun(5, step); n != 0 {
		t.Errorf("a training step allocated %v times after the first, want 0", n)
	}
}
