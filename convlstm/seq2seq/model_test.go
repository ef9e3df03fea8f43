package seq2seq

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
)

func tinyModel(t *testing.T, seed int64) *Model {
	t.Helper()
	m, err := NewModel(Config{Hidden: []int{4, 3}, Kernel: 3, Patch: 2}, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestShapes checks the output shapes and the parameter names and shapes.
func TestShapes(t *testing.T) {
	m := tinyModel(t, 1)
	want := map[string][]int{
		"encoder.cell_list.0.conv.weight":    {16, 4 + 4, 3, 3}, // reads C*p*p = 4 channels
		"encoder.cell_list.0.conv.bias":      {16},
		"encoder.cell_list.1.conv.weight":    {12, 4 + 3, 3, 3},
		"encoder.cell_list.1.conv.bias":      {12},
		"forecaster.cell_list.0.conv.weight": {16, 1 + 4, 3, 3}, // reads one zero channel
		"forecaster.cell_list.0.conv.bias":   {16},
		"forecaster.cell_list.1.conv.weight": {12, 4 + 3, 3, 3},
		"forecaster.cell_list.1.conv.bias":   {12},
		"head.weight":                        {4, 4 + 3, 1, 1}, // sum(Hidden) -> C*p*p
		"head.bias":                          {4},
	}
	sd := m.StateDict()
	if len(sd) != len(want) {
		t.Errorf("state_dict has %d keys, want %d: %v", len(sd), len(want), sortedKeys(sd))
	}
	for k, s := range want {
		if sd[k] == nil || !convlstm.SameShape(sd[k].Shape, s) {
			t.Errorf("%s: shape %v, want %v", k, shapeOf(sd[k]), s)
		}
	}
	for _, readable := range []bool{false, true} {
		m.Readable = readable
		x := convlstm.Zeros(3, 5, 1, 8, 6) // B=3, J=5, 8x6 frames
		for i := range x.Data {
			x.Data[i] = float32(i%7) / 7
		}
		pred, err := m.Predict(x, 4)
		if err != nil {
			t.Fatal(err)
		}
		if !convlstm.SameShape(pred.Shape, []int{3, 4, 1, 8, 6}) {
			t.Errorf("readable=%v: predictions have shape %v, want [3 4 1 8 6]", readable, pred.Shape)
		}
		for _, v := range pred.Data {
			if !(v > 0 && v < 1) {
				t.Fatalf("readable=%v: prediction %g outside (0, 1)", readable, v)
			}
		}
		pass, err := m.Forward(x, 4)
		if err != nil {
			t.Fatal(err)
		}
		for l, s := range pass.EncoderStates {
			if !convlstm.SameShape(s.H.Shape, []int{3, m.Config.Hidden[l], 4, 3}) {
				t.Errorf("encoder state %d has shape %v", l, s.H.Shape)
			}
		}
		g, err := m.Backward(pass, convlstm.Zeros(pred.Shape...))
		if err != nil {
			t.Fatal(err)
		}
		if !convlstm.SameShape(g.Frames.Shape, x.Shape) {
			t.Errorf("dL/dframes has shape %v, want %v", g.Frames.Shape, x.Shape)
		}
		for k, p := range sd {
			if g.Weights[k] == nil || !convlstm.SameShape(g.Weights[k].Shape, p.Shape) {
				t.Errorf("gradient %s has shape %v, want %v", k, shapeOf(g.Weights[k]), p.Shape)
			}
		}
	}
}

// TestErrors checks that bad arguments are errors naming them and the
// shapes, not panics.
func TestErrors(t *testing.T) {
	m := tinyModel(t, 1)
	other := tinyModel(t, 2)
	x := convlstm.Zeros(2, 3, 1, 8, 8)
	pass, err := m.Forward(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	noTape, err := m.Predict(x, 2)
	if err != nil || noTape == nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"config no layers", func() error { _, err := NewModel(Config{}, 1); return err }(), "Config.Hidden must list at least one layer"},
		{"config even kernel", func() error { _, err := NewModel(Config{Hidden: []int{2}, Kernel: 4}, 1); return err }(), "Config.Kernel must be odd"},
		{"config hidden 0", func() error { _, err := NewModel(Config{Hidden: []int{2, 0}}, 1); return err }(), "Config.Hidden[1] must be positive"},
		{"config patch", func() error { _, err := NewModel(Config{Hidden: []int{2}, Patch: -2}, 1); return err }(), "Config.Patch must be positive"},
		{"nil frames", func() error { _, err := m.Predict(nil, 2); return err }(), "frames must be (B, J, C, H, W), got shape []"},
		{"rank", func() error { _, err := m.Predict(convlstm.Zeros(2, 1, 8, 8), 2); return err }(), "got shape [2 1 8 8]"},
		{"channels", func() error { _, err := m.Predict(convlstm.Zeros(2, 3, 2, 8, 8), 2); return err }(), "2 channels, the model reads 1"},
		{"patch multiple", func() error { _, err := m.Predict(convlstm.Zeros(2, 3, 1, 8, 7), 2); return err }(), "multiples of the patch size 2"},
		{"future", func() error { _, err := m.Forward(x, 0); return err }(), "future (frames to predict) must be positive, got 0"},
		{"nil model", func() error { var nm *Model; _, err := nm.Predict(x, 1); return err }(), "build it with NewModel"},
		{"grad shape", func() error { _, err := m.Backward(pass, convlstm.Zeros(2, 3, 1, 8, 8)); return err }(), "gradPred has shape [2 3 1 8 8], want the predictions' [2 2 1 8 8]"},
		{"other model", func() error { _, err := other.Backward(pass, convlstm.Zeros(2, 2, 1, 8, 8)); return err }(), "recorded by another model"},
		{"nil pass", func() error { _, err := m.Backward(nil, convlstm.Zeros(2, 2, 1, 8, 8)); return err }(), "get it from Forward"},
		{"target", func() error { _, _, err := m.LossAndGrad(x, convlstm.Zeros(2, 2, 1, 4, 4)); return err }(), "target has shape [2 2 1 4 4], the predictions [2 2 1 8 8]"},
		{"head replaced", func() error {
			bad := tinyModel(t, 3)
			bad.HeadWeight = convlstm.Zeros(4, 6, 1, 1)
			_, err := bad.Predict(x, 1)
			return err
		}(), "head.weight must be (4, 7, 1, 1), got shape [4 6 1 1]"},
		{"state_dict missing", func() error {
			sd := m.StateDict()
			delete(sd, "head.bias")
			return other.LoadStateDict(sd)
		}(), `missing key "head.bias"`},
		{"state_dict shape", func() error {
			sd := m.StateDict()
			sd["head.bias"] = convlstm.Zeros(5)
			return other.LoadStateDict(sd)
		}(), `key "head.bias" has shape [5], want [4]`},
		{"state_dict extra", func() error {
			sd := m.StateDict()
			sd["head.extra"] = convlstm.Zeros(5)
			return other.LoadStateDict(sd)
		}(), `unexpected key "head.extra"`},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		} else {
			t.Logf("%s: %v", c.name, c.err)
		}
	}
}

// TestSaveLoad checks that the .npz round trip gives the same model, with
// the twin's state_dict keys in the file.
func TestSaveLoad(t *testing.T) {
	m, m2 := tinyModel(t, 1), tinyModel(t, 9)
	path := filepath.Join(t.TempDir(), "model.npz")
	if err := m.SaveNPZ(path); err != nil {
		t.Fatal(err)
	}
	raw, err := npz.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	keys := sortedKeys(raw)
	want := sortedKeys(m.StateDict())
	sort.Strings(want)
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("model.npz keys %v, want %v", keys, want)
	}
	if err := m2.LoadNPZ(path); err != nil {
		t.Fatal(err)
	}
	x := convlstm.Zeros(1, 2, 1, 4, 4)
	x.Data[5] = 1
	a, _ := m.Predict(x, 2)
	b, _ := m2.Predict(x, 2)
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			t.Fatalf("reloaded model predicts %g at %d, want %g", b.Data[i], i, a.Data[i])
		}
	}
}
