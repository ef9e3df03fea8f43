package seq2seq

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
)

// TestZeroModel: every method of a zero-value Model (and of a nil one)
// returns an error that says how to build one, instead of panicking.
func TestZeroModel(t *testing.T) {
	x := convlstm.Zeros(1, 4, 1, 8, 8)
	gen, err := movingshapes.New(movingshapes.Config{Size: 8, Frames: 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, m := range []*Model{{}, nil, {Config: Config{Hidden: []int{2}, Channels: 1, Patch: 1, Kernel: 3}}} {
		calls := map[string]func() error{
			"Predict":        func() error { _, err := m.Predict(x, 2); return err },
			"Forward":        func() error { _, err := m.Forward(x, 2); return err },
			"LossAndGrad":    func() error { _, _, err := m.LossAndGrad(x, x); return err },
			"SaveNPZ":        func() error { return m.SaveNPZ(filepath.Join(dir, "m.npz")) },
			"LoadNPZ":        func() error { return m.LoadNPZ(filepath.Join(dir, "m.npz")) },
			"LoadStateDict":  func() error { return m.LoadStateDict(nil) },
			"Train":          func() error { _, err := Train(m, gen, Options{MaxSteps: 1}); return err },
			"Evaluate":       func() error { _, err := Evaluate(m, x, 2); return err },
			"PredictionsPNG": func() error { _, err := PredictionsPNG(m, x, 2, 1, 1); return err },
			"Backward":       func() error { _, err := m.Backward(&Pass{}, x); return err },
		}
		for name, call := range calls {
			err := catch(call)
			if err == nil || !strings.Contains(err.Error(), "NewModel") || strings.Contains(err.Error(), "panic") {
				t.Errorf("%s on %#v: error %v, want one pointing to NewModel", name, m, err)
			}
		}
		if sd := catchSD(m); len(sd) != 0 {
			t.Errorf("StateDict of %#v: %d entries, want none", m, len(sd))
		}
	}
}

func catchSD(m *Model) (sd map[string]*convlstm.Tensor) {
	defer func() {
		if r := recover(); r != nil {
			sd = map[string]*convlstm.Tensor{"panic": nil}
		}
	}()
	return m.StateDict()
}

// catch turns a panic into an error mentioning "panic", for the tests.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// TestEvaluateEmpty: frames with no sequences, or fewer values than their
// shape says, are an error, not NaN results.
func TestEvaluateEmpty(t *testing.T) {
	m := tinyModel(t, 1)
	for _, x := range []*convlstm.Tensor{
		{Shape: []int{0, 4, 1, 8, 8}},
		{Shape: []int{2, 4, 1, 8, 8}, Data: make([]float32, 10)},
		{Shape: []int{2, 4, 1, 8, 8}, Data: make([]float32, 2*4*8*8+5)},
	} {
		ev, err := catchEval(m, x)
		if err == nil || strings.Contains(err.Error(), "panic") {
			t.Errorf("Evaluate on shape %v with %d values: %+v, error %v; want an error", x.Shape, len(x.Data), ev, err)
		}
	}
}

func catchEval(m *Model, x *convlstm.Tensor) (ev *Eval, err error) {
	err = catch(func() error {
		var e error
		ev, e = Evaluate(m, x, 2)
		return e
	})
	return ev, err
}
