package train

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/optim"
)

// TestStepAllocs: after its first step, a training step of Loop on the
// fast path (drawing the batch into the same tensor, LossAndGrad through
// the model's bptt.Trainer, the clipping, Adam) allocates nothing.
func TestStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping allocates")
	}
	m, err := NewModel([]int{8, 8}, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, gen := tinySetup(t)
	var x *convlstm.Tensor
	st := &stepper{params: m.StateDict(), lossAndGrad: m.LossAndGrad, adam: optim.NewAdam(), clipNorm: 1, label: "test"}
	step := func() {
		if x, err = gen.BatchInto(x, 4); err != nil {
			t.Fatal(err)
		}
		if _, err := st.step(x, 0); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if n := testing.AllocsPerRun(5, step); n != 0 {
		t.Errorf("a training step allocated %v times after the first, want 0", n)
	}
}
