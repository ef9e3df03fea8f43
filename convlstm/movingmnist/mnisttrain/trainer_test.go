package mnisttrain

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingmnist"
	"example.com/convlstm/convlstm/seq2seq"
)

// tinyDigits are four 28x28 digits of random-looking strokes (no file).
func tinyDigits() *movingmnist.Digits {
	d := &movingmnist.Digits{N: 4, Pix: make([]float32, 4*784), Labels: []uint8{0, 1, 2, 3}}
	for i := range d.Pix {
		if (i*7919)%13 < 3 {
			d.Pix[i] = float32((i*31)%255) / 255
		}
	}
	return d
}

func tinySetup(t *testing.T) (*seq2seq.Model, *movingmnist.Generator) {
	t.Helper()
	gen, err := movingmnist.New(tinyDigits(), movingmnist.Config{Size: 32, Frames: 6}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := seq2seq.NewModel(seq2seq.Config{Hidden: []int{4}, Patch: 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m, gen
}

// Run stops at maxSteps, moves the generator on by steps*batch sequences
// and draws its progress bar.
func TestRun(t *testing.T) {
	m, gen := tinySetup(t)
	tr, err := NewTrainer(m, gen, 3, 2, 1e-2, 1)
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	losses, err := tr.Run(5, 60, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(losses) != 5 || tr.Steps != 5 || gen.Next() != 10 {
		t.Errorf("Run(5): %d losses, Steps %d, Next %d; want 5, 5, 10", len(losses), tr.Steps, gen.Next())
	}
	if !strings.Contains(progress.String(), "\rtrain-mnist [") || !strings.Contains(progress.String(), "step      5") {
		t.Errorf("progress: %q", progress.String())
	}
	if _, err := NewTrainer(m, gen, 6, 2, 1e-2, 1); err == nil {
		t.Error("in = 6 of 6 frames: no error")
	}
	if _, err := NewTrainer(m, gen, 3, 0, 1e-2, 1); err == nil {
		t.Error("batch 0: no error")
	}
}

// Evaluate's MSEs are seq2seq.Evaluate's times the pixels of a frame, and
// its cross-entropy is the sum over predicted pixels, per sequence.
func TestEvaluateUnits(t *testing.T) {
	m, gen := tinySetup(t)
	frames, err := gen.Batch(3) // (3, 6, 1, 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(m, frames, 3)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := seq2seq.Evaluate(m, frames, 3)
	if s.Model != ev.ModelMSE*1024 || s.CopyLast != ev.BaselineMSE*1024 || s.Empty != ev.ZerosMSE*1024 || len(s.ModelByHorizon) != 3 {
		t.Errorf("score %+v is not seq2seq's %+v x 1024", s, ev)
	}
	// The cross-entropy, summed here directly from the predictions.
	pred, _ := m.Predict(FrameRange(frames, 0, 3), 3)
	target := FrameRange(frames, 3, 6)
	var ce float64
	for i, p := range pred.Data {
		q, y := math.Min(1-1e-7, math.Max(1e-7, float64(p))), float64(target.Data[i])
		ce -= y*math.Log(q) + (1-y)*math.Log(1-q)
	}
	ce /= 3
	if math.Abs(s.CrossEntropy-ce) > 1e-9*ce {
		t.Errorf("cross-entropy %g, summed directly %g", s.CrossEntropy, ce)
	}
}

func TestFrameRange(t *testing.T) {
	x := convlstm.Zeros(2, 4, 1, 1, 1)
	for i := range x.Data {
		x.Data[i] = float32(i)
	}
	got := FrameRange(x, 1, 3).Data
	if want := []float32{1, 2, 5, 6}; len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("FrameRange(x, 1, 3) = %v, want %v", got, want)
	}
}
