package train

import (
	"bytes"
	"image/png"
	"math"
	"path/filepath"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
)

func tinySetup(t *testing.T) (*Model, *movingshapes.Generator) {
	t.Helper()
	m, err := NewModel([]int{3}, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := movingshapes.New(movingshapes.Config{Size: 8, Frames: 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	return m, gen
}

// TestLossAndGradFiniteDifferences compares a few gradient entries with
// central differences of the loss, on both training paths.
func TestLossAndGradFiniteDifferences(t *testing.T) {
	for _, readable := range []bool{true, false} {
		t.Run(map[bool]string{true: "readable", false: "fast"}[readable], func(t *testing.T) {
			m, gen := tinySetup(t)
			m.Readable = readable
			x, err := gen.Batch(2)
			if err != nil {
				t.Fatal(err)
			}
			_, grads, err := m.LossAndGrad(x)
			if err != nil {
				t.Fatal(err)
			}
			grads = cloneAll(grads) // the model's memory: the next LossAndGrad overwrites it
			sd := m.StateDict()
			if len(grads) != len(sd) {
				t.Fatalf("%d gradients for %d parameters", len(grads), len(sd))
			}
			for _, c := range []struct {
				key string
				idx int
			}{{"head.weight", 1}, {"head.bias", 0}, {"convlstm.cell_list.0.conv.weight", 4}, {"convlstm.cell_list.0.conv.weight", 100}, {"convlstm.cell_list.0.conv.bias", 7}} {
				p := sd[c.key].Data
				old := p[c.idx]
				const eps = 1e-2
				p[c.idx] = old + eps
				lp, _, _ := m.LossAndGrad(x)
				p[c.idx] = old - eps
				lm, _, _ := m.LossAndGrad(x)
				p[c.idx] = old
				fd := (lp - lm) / (2 * eps)
				g := float64(grads[c.key].Data[c.idx])
				t.Logf("%s[%d]: backward %.6g, finite difference %.6g", c.key, c.idx, g, fd)
				if math.Abs(fd-g) > 2e-5+0.02*math.Abs(fd) {
					t.Errorf("%s[%d]: backward %.6g, finite difference %.6g", c.key, c.idx, g, fd)
				}
			}
		})
	}
}

// TestTrainSmoke runs a few steps and the evaluation, the picture and the
// save/load round trip.
func TestTrainSmoke(t *testing.T) {
	m, gen := tinySetup(t)
	var progress bytes.Buffer
	res, err := Train(m, gen, Options{Seconds: 30, MaxSteps: 4, BatchSize: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 4 || len(res.Losses) != 4 {
		t.Errorf("steps %d, losses %d; want 4", res.Steps, len(res.Losses))
	}
	if !bytes.Contains(progress.Bytes(), []byte("step     4")) {
		t.Errorf("progress %q does not show step 4", progress.String())
	}
	held, _ := gen.Batch(3)
	mm, bm, err := Evaluate(m, held)
	if err != nil || !(mm > 0) || !(bm > 0) {
		t.Fatalf("Evaluate: %g, %g, %v", mm, bm, err)
	}
	img, err := PredictionsPNG(m, held, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	// 3 targets of 8*2+2 pixels plus a gap; 2 sequences of 3 rows.
	if b := im.Bounds(); b.Dx() != 3*18+2 || b.Dy() != 2*(3*18+2)+2 {
		t.Errorf("picture is %v", b)
	}
	path := filepath.Join(t.TempDir(), "model.npz")
	if err := m.SaveNPZ(path); err != nil {
		t.Fatal(err)
	}
	m2, _ := NewModel([]int{3}, 3, 99)
	if err := m2.LoadNPZ(path); err != nil {
		t.Fatal(err)
	}
	mm2, _, _ := Evaluate(m2, held)
	if mm2 != mm {
		t.Errorf("reloaded model MSE %g, want %g", mm2, mm)
	}
	if _, err := m.Predict(convlstm.Zeros(1, 2, 3, 8, 8)); err == nil {
		t.Error("Predict accepted 3 channels")
	}
	if _, _, err := m.LossAndGrad(convlstm.Zeros(1, 1, 1, 8, 8)); err == nil {
		t.Error("LossAndGrad accepted a single frame")
	}
}

// TestPeepholeModel: the peephole model starts from the seed model's
// weights with zero peepholes, so both predict the same (to float32
// rounding); its peephole
// weights get gradients and train.
func TestPeepholeModel(t *testing.T) {
	seedM, err := NewModel([]int{4}, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	peep, err := NewPeepholeModel([]int{4}, 3, 8, 5)
	if err != nil {
		t.Fatal(err)
	}
	_, gen := tinySetup(t)
	x, err := gen.Batch(2)
	if err != nil {
		t.Fatal(err)
	}
	a, err := seedM.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	b, err := peep.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Data {
		// The fast path's peephole epilogue is Go, the seed's SIMD: the
		// last bit may differ.
		if d := a.Data[i] - b.Data[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("element %d: seed model %g, zero-peephole model %g", i, a.Data[i], b.Data[i])
		}
	}
	_, grads, err := peep.LossAndGrad(x)
	if err != nil {
		t.Fatal(err)
	}
	nonzero := false
	for _, v := range grads["convlstm.cell_list.0.W_cf"].Data {
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Error("the peephole weight W_cf gets no gradient")
	}
	if _, err := peep.Predict(convlstm.Zeros(1, 2, 1, 9, 8)); err == nil {
		t.Error("a peephole model built for 8x8 accepted 9x8 frames")
	}
}

// cloneAll copies every tensor of a map.
func cloneAll(in map[string]*convlstm.Tensor) map[string]*convlstm.Tensor {
	out := make(map[string]*convlstm.Tensor, len(in))
	for k, v := range in {
		out[k] = v.Clone()
	}
	return out
}
