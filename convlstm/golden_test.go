package convlstm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// goldenDir holds one folder per case, written by testdata/gen_golden.py
// with real PyTorch (see testdata/README.md).
const goldenDir = "../testdata/golden"

// goldenConfig is config.json of a golden case.
type goldenConfig struct {
	Config
	WithHiddenState bool `json:"with_hidden_state"`
}

// goldenCase is one folder of goldenDir, loaded.
type goldenCase struct {
	name    string
	cfg     goldenConfig
	tensors map[string]*Tensor
}

// goldenCases lists every folder under goldenDir: a new folder is picked up
// with no code change.
func goldenCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatalf("reading golden cases: %v", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatalf("no golden cases in %s", goldenDir)
	}
	return names
}

func loadGolden(t *testing.T, name string) *goldenCase {
	t.Helper()
	dir := filepath.Join(goldenDir, name)
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	gc := &goldenCase{name: name}
	if err := json.Unmarshal(raw, &gc.cfg); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	gc.tensors, err = ReadNPZ(filepath.Join(dir, "tensors.npz"))
	if err != nil {
		t.Fatal(err)
	}
	return gc
}

// model builds the case's model and loads PyTorch's weights into it.
func (gc *goldenCase) model(t *testing.T) *ConvLSTM {
	t.Helper()
	m, err := New(gc.cfg.Config)
	if err != nil {
		t.Fatal(err)
	}
	sd := map[string]*Tensor{}
	for k := range m.StateDict() {
		sd[k] = gc.tensors[k]
	}
	if err := m.LoadStateDict(sd); err != nil {
		t.Fatal(err)
	}
	return m
}

// hiddenState returns the case's initial state, or nil.
func (gc *goldenCase) hiddenState(t *testing.T) []State {
	if !gc.cfg.WithHiddenState {
		return nil
	}
	hs := make([]State, gc.cfg.NumLayers)
	for l := range hs {
		hs[l] = State{H: gc.tensors[fmt.Sprintf("hidden_state.%d.h", l)], C: gc.tensors[fmt.Sprintf("hidden_state.%d.c", l)]}
		if hs[l].H == nil || hs[l].C == nil {
			t.Fatalf("hidden_state.%d missing from tensors.npz", l)
		}
	}
	return hs
}

// forwardPaths are the implementations every golden case runs through; each
// gets its own subtest TestGolden/<case>/<path>. "fast" is the fast path as
// it chooses its kernels (conv by taps for layers with hid >= 16, im2col
// below); "fast-taps" forces the taps kernel on every layer, so that it too
// meets every case PyTorch made.
var forwardPaths = []struct {
	name string
	use  func(t *testing.T, m *ConvLSTM)
}{
	{"naive", func(t *testing.T, m *ConvLSTM) { m.Path = Naive }},
	{"fast", func(t *testing.T, m *ConvLSTM) { m.Path = Fast }},
	{"fast-taps", func(t *testing.T, m *ConvLSTM) {
		m.Path = Fast
		saved := tapsMinCin
		tapsMinCin = 1
		t.Cleanup(func() { tapsMinCin = saved })
	}},
}

// The fast paths again at each kernel level below the CPU's best one (which
// "fast" and "fast-taps" use): "fast-<level>" and "fast-taps-<level>", e.g.
// TestGolden/<case>/fast-avx2 and TestGolden/<case>/fast-taps-generic.
func init() {
	for _, l := range lowerLevels() {
		for _, p := range forwardPaths[1:3] {
			forwardPaths = append(forwardPaths, struct {
				name string
				use  func(t *testing.T, m *ConvLSTM)
			}{p.name + "-" + l.String(), func(t *testing.T, m *ConvLSTM) {
				p.use(t, m)
				useLevel(t, l)
			}})
		}
	}
}

// TestGolden runs every case made by PyTorch and compares every returned
// tensor elementwise.
func TestGolden(t *testing.T) {
	for _, name := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			gc := loadGolden(t, name)
			for _, p := range forwardPaths {
				t.Run(p.name, func(t *testing.T) {
					m := gc.model(t)
					p.use(t, m)
					outs, states, err := m.Forward(gc.tensors["input"], gc.hiddenState(t))
					if err != nil {
						t.Fatal(err)
					}
					checkGoldenOutputs(t, gc, outs, states)
				})
			}
		})
	}
}

func checkGoldenOutputs(t *testing.T, gc *goldenCase, outs []*Tensor, states []State) {
	t.Helper()
	wantN := 1
	if gc.cfg.ReturnAllLayers {
		wantN = gc.cfg.NumLayers
	}
	if len(outs) != wantN || len(states) != wantN {
		t.Fatalf("got %d layer outputs and %d states, want %d", len(outs), len(states), wantN)
	}
	for k := 0; k < wantN; k++ {
		key := fmt.Sprintf("layer_output.%d", k)
		want, ok := gc.tensors[key]
		if !ok {
			t.Fatalf("%s missing from tensors.npz", key)
		}
		compareTensor(t, key, outs[k], want, forwardAtol, forwardRtol)
		compareTensor(t, fmt.Sprintf("last_state.%d.h", k), states[k].H, gc.tensors[fmt.Sprintf("last_state.%d.h", k)], forwardAtol, forwardRtol)
		compareTensor(t, fmt.Sprintf("last_state.%d.c", k), states[k].C, gc.tensors[fmt.Sprintf("last_state.%d.c", k)], forwardAtol, forwardRtol)
	}
	if _, extra := gc.tensors[fmt.Sprintf("layer_output.%d", wantN)]; extra {
		t.Errorf("tensors.npz has layer_output.%d but the model returns %d layers", wantN, wantN)
	}
}
