package seq2seq

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/optim"
)

// TestStepAllocs: after its first step, a training step of Train on the
// fast path (drawing the batch into the same tensor, the copies of the
// input and target frames, LossAndGrad through the encoder's and the
// forecaster's bptt.Trainer, the clipping, Adam) allocates nothing.
func TestStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping allocates")
	}
	m, err := NewModel(Config{Hidden: []int{4, 4}, Kernel: 3, Patch: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := movingshapes.New(movingshapes.Config{Size: 8, Frames: 6}, 3)
	if err != nil {
		t.Fatal(err)
	}
	var batch *convlstm.Tensor
	lossAndGrad := m.lossAndGradOf(3)
	params := m.StateDict()
	adam := optim.NewAdam()
	var clip optim.Clipper
	step := func() {
		if batch, err = gen.BatchInto(batch, 3); err != nil {
			t.Fatal(err)
		}
		_, grads, err := lossAndGrad(batch)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := clip.Clip(grads, 1); err != nil {
			t.Fatal(err)
		}
		if err := adam.Step(params, grads); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if n := testing.AllocsPerRun(5, step); n != 0 {
		t.Errorf("a training step allocated %v times after the first, want 0", n)
	}
}
