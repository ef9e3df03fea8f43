package train

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
)

// TestLoopBudget: a time budget past time.Duration's range (1e10 s) or
// infinite with a step bound trains to the step bound (it used to overflow
// to a negative Duration and run 0 steps with no error); NaN, a negative
// budget, or an infinite one with no step bound is an error naming
// Seconds.
func TestLoopBudget(t *testing.T) {
	for _, s := range []float64{1e10, math.Inf(1)} {
		m, gen := tinySetup(t)
		res, err := Train(m, gen, Options{Seconds: s, MaxSteps: 2, BatchSize: 2})
		if err != nil || res.Steps != 2 {
			t.Errorf("Seconds %g, MaxSteps 2: %v steps, error %v; want 2 steps", s, stepsOf(res), err)
		}
	}
	for _, o := range []Options{{Seconds: math.NaN(), MaxSteps: 2}, {Seconds: math.Inf(1)}, {Seconds: -1}} {
		m, gen := tinySetup(t)
		if _, err := Train(m, gen, o); err == nil || !strings.Contains(err.Error(), "Seconds") {
			t.Errorf("Seconds %g, MaxSteps %d: error %v, want one naming Seconds", o.Seconds, o.MaxSteps, err)
		}
	}
}

func stepsOf(r *Result) any {
	if r == nil {
		return "no result"
	}
	return r.Steps
}

// TestLoopOptionsNaN: a NaN learning rate or clipping norm is an error
// before the first step (NaN clipping used to switch clipping off; a NaN
// learning rate made every weight NaN), and the weights are untouched.
func TestLoopOptionsNaN(t *testing.T) {
	for _, o := range []struct {
		opts  Options
		field string
	}{
		{Options{LR: math.NaN()}, "LR"},
		{Options{ClipNorm: math.NaN()}, "ClipNorm"},
		{Options{LR: math.Inf(-1)}, "LR"},
		{Options{BatchSize: -1}, "BatchSize"},
		{Options{MaxSteps: -1}, "MaxSteps"},
	} {
		m, gen := tinySetup(t)
		before := m.HeadWeight.Clone()
		if o.opts.MaxSteps == 0 {
			o.opts.MaxSteps = 2
		}
		o.opts.Seconds = 5
		res, err := Train(m, gen, o.opts)
		if err == nil || !strings.Contains(err.Error(), o.field) {
			t.Errorf("%+v: error %v (steps %v), want one naming %s", o.opts, err, stepsOf(res), o.field)
		}
		for i, v := range m.HeadWeight.Data {
			if v != before.Data[i] {
				t.Errorf("%+v: the weights changed", o.opts)
				break
			}
		}
	}
}

// TestZeroModel: every method of a zero-value Model (and of a nil one)
// returns an error that says how to build one, instead of panicking.
func TestZeroModel(t *testing.T) {
	x := convlstm.Zeros(1, 3, 1, 8, 8)
	dir := t.TempDir()
	for _, m := range []*Model{{}, nil, {RNN: &convlstm.ConvLSTM{}}} {
		calls := map[string]func() error{
			"Predict":       func() error { _, err := m.Predict(x); return err },
			"LossAndGrad":   func() error { _, _, err := m.LossAndGrad(x); return err },
			"SaveNPZ":       func() error { return m.SaveNPZ(filepath.Join(dir, "m.npz")) },
			"LoadNPZ":       func() error { return m.LoadNPZ(filepath.Join(dir, "m.npz")) },
			"LoadStateDict": func() error { return m.LoadStateDict(nil) },
			"Train": func() error {
				_, gen := tinySetup(t)
				_, err := Train(m, gen, Options{MaxSteps: 1})
				return err
			},
			"Evaluate":       func() error { _, _, err := Evaluate(m, x); return err },
			"PredictionsPNG": func() error { _, err := PredictionsPNG(m, x, 1, 1); return err },
		}
		for name, call := range calls {
			err := catch(call)
			if err == nil || !strings.Contains(err.Error(), "NewModel") || strings.Contains(err.Error(), "panic") {
				t.Errorf("%s on %#v: error %v, want one pointing to NewModel", name, m, err)
			}
		}
		if sd := m.StateDict(); len(sd) != 0 {
			t.Errorf("StateDict of %#v: %d entries, want none", m, len(sd))
		}
	}
}

// catch turns a panic into an error mentioning "panic", for the tests.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{r}
		}
	}()
	return f()
}

type panicError struct{ v any }

func (p *panicError) Error() string {
	return "panic: " + strings.TrimSpace(strings.ReplaceAll(fmtAny(p.v), "\n", " "))
}

func fmtAny(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "non-error panic"
}

// TestEvaluateEmpty: frames with no sequences, or fewer values than their
// shape says, are an error, not NaN results.
func TestEvaluateEmpty(t *testing.T) {
	m, _ := tinySetup(t)
	for _, x := range []*convlstm.Tensor{
		{Shape: []int{0, 3, 1, 8, 8}},
		{Shape: []int{2, 3, 1, 8, 8}, Data: make([]float32, 10)},
	} {
		mse, base, err := Evaluate(m, x)
		if err == nil {
			t.Errorf("Evaluate on shape %v with %d values: %g, %g and no error", x.Shape, len(x.Data), mse, base)
		}
	}
}

// TestSaveKeepsOldFile: a save that fails (here: a state_dict the npz
// encoder refuses, a tensor with fewer values than its shape) leaves the
// previous model file whole; it used to be truncated and removed.
func TestSaveKeepsOldFile(t *testing.T) {
	m, _ := tinySetup(t)
	path := filepath.Join(t.TempDir(), "model.npz")
	if err := m.SaveNPZ(path); err != nil {
		t.Fatal(err)
	}
	bad := map[string]*convlstm.Tensor{"w": {Shape: []int{4}, Data: make([]float32, 2)}}
	if err := npz.Write(path, bad); err == nil {
		t.Fatal("npz.Write of a broken tensor: no error")
	}
	m.HeadWeight.Data = nil // not whole any more
	if err := m.SaveNPZ(path); err == nil {
		t.Fatal("SaveNPZ of a broken model: no error")
	}
	m2, _ := tinySetup(t)
	if err := m2.LoadNPZ(path); err != nil {
		t.Fatalf("the first save is gone: %v", err)
	}
}
