package seq2seq

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/optim"
)

// TestTrainLowersLoss takes a few Adam steps on one fixed batch, on both
// training paths: the loss must go down.
func TestTrainLowersLoss(t *testing.T) {
	gen, err := movingshapes.New(movingshapes.Config{Size: 8, Frames: 6}, 3)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := gen.Batch(4) // (4, 6, 1, 8, 8): 3 in, 3 to predict
	if err != nil {
		t.Fatal(err)
	}
	in, target := timeRange(batch, 0, 3), timeRange(batch, 3, 6)
	var curves [][]float64
	for _, readable := range []bool{false, true} {
		m, err := NewModel(Config{Hidden: []int{4}, Kernel: 3, Patch: 2}, 7)
		if err != nil {
			t.Fatal(err)
		}
		m.Readable = readable
		adam := optim.NewAdam()
		adam.LR = 3e-2
		var losses []float64
		for step := 0; step < 10; step++ {
			loss, grads, err := m.LossAndGrad(in, target)
			if err != nil {
				t.Fatal(err)
			}
			losses = append(losses, loss)
			if err := adam.Step(m.StateDict(), grads); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("readable=%v: losses %.5f", readable, losses)
		curves = append(curves, losses)
		if !(losses[len(losses)-1] < 0.9*losses[0]) {
			t.Errorf("readable=%v: loss went from %.5f to %.5f in %d steps, want a 10%% drop", readable, losses[0], losses[len(losses)-1], len(losses))
		}
	}
	// Both paths compute the same numbers, to float32 rounding.
	for i := range curves[0] {
		if d := math.Abs(curves[0][i] - curves[1][i]); d > 1e-5*curves[1][i] {
			t.Errorf("step %d: fast loss %.7f, readable %.7f", i, curves[0][i], curves[1][i])
		}
	}
}

// TestTrainSmoke runs Train for a few steps, then the evaluation and the
// picture.
func TestTrainSmoke(t *testing.T) {
	gen, err := movingshapes.New(movingshapes.Config{Size: 8, Frames: 5}, 2)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(Config{Hidden: []int{3}, Patch: 2}, 5)
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	res, err := Train(m, gen, Options{In: 2, Seconds: 30, MaxSteps: 3, BatchSize: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 3 || len(res.Losses) != 3 {
		t.Errorf("steps %d, losses %d; want 3", res.Steps, len(res.Losses))
	}
	if !strings.Contains(progress.String(), "step     3") {
		t.Errorf("progress %q does not show step 3", progress.String())
	}
	held, _ := gen.Batch(3) // (3, 5, 1, 8, 8)
	ev, err := Evaluate(m, held, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.ModelByHorizon) != 3 || len(ev.BaselineByHorizon) != 3 || !(ev.ModelMSE > 0) || !(ev.BaselineMSE > 0) || !(ev.ZerosMSE > 0) {
		t.Fatalf("Evaluate: %+v", ev)
	}
	// The overall MSEs are the means of the per-horizon ones.
	var mm, bm float64
	for k := range ev.ModelByHorizon {
		mm += ev.ModelByHorizon[k] / 3
		bm += ev.BaselineByHorizon[k] / 3
	}
	if d := mm - ev.ModelMSE; d > 1e-12 || d < -1e-12 {
		t.Errorf("model MSE %g, mean over horizons %g", ev.ModelMSE, mm)
	}
	if d := bm - ev.BaselineMSE; d > 1e-12 || d < -1e-12 {
		t.Errorf("baseline MSE %g, mean over horizons %g", ev.BaselineMSE, bm)
	}
	img, err := PredictionsPNG(m, held, 2, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	// 5 tiles of 8*2+2 pixels plus 3 gaps across; 2 sequences of 3 rows.
	if b := im.Bounds(); b.Dx() != 5*18+6 || b.Dy() != 2*(3*18+2)+2 {
		t.Errorf("picture is %v", b)
	}
	if _, err := Train(m, gen, Options{In: 5}); err == nil || !strings.Contains(err.Error(), "In = 5") {
		t.Errorf("Train with In = Frames: error %v", err)
	}
	if _, err := Evaluate(m, held, 0); err == nil {
		t.Error("Evaluate accepted in = 0")
	}
}
