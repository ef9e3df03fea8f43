package check

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"example.com/convlstm/convlstm"
)

// Rand returns a tensor of the given shape with values drawn uniformly
// from [-1, 1).
func Rand(rng *rand.Rand, shape ...int) *convlstm.Tensor {
	x := convlstm.Zeros(shape...)
	for i := range x.Data {
		x.Data[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

// Golden is one case of testdata/golden, written by PyTorch (see
// testdata/README.md for the keys and shapes).
type Golden struct {
	Name   string
	Config convlstm.Config
	// WithHiddenState tells whether the case passed an initial (h, c).
	WithHiddenState bool
	// Tensors holds tensors.npz by key, e.g. "input", "layer_output.0".
	Tensors map[string]*convlstm.Tensor
}

// GoldenDir returns testdata/golden of the module, found by walking up from
// the working directory to go.mod.
func GoldenDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "golden")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// GoldenNames lists the golden cases.
func GoldenNames(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(GoldenDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no golden cases in testdata/golden")
	}
	return names
}

// LoadGolden reads config.json and tensors.npz of one case.
func LoadGolden(t testing.TB, name string) *Golden {
	t.Helper()
	dir := filepath.Join(GoldenDir(t), name)
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		convlstm.Config
		WithHiddenState bool `json:"with_hidden_state"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("%s/config.json: %v", name, err)
	}
	ts, err := convlstm.ReadNPZ(filepath.Join(dir, "tensors.npz"))
	if err != nil {
		t.Fatal(err)
	}
	return &Golden{Name: name, Config: cfg.Config, WithHiddenState: cfg.WithHiddenState, Tensors: ts}
}

// T returns the tensor stored under key, failing the test if it is absent.
func (g *Golden) T(t testing.TB, key string) *convlstm.Tensor {
	t.Helper()
	x, ok := g.Tensors[key]
	if !ok {
		t.Fatalf("golden case %s has no tensor %q", g.Name, key)
	}
	return x
}

// Model builds the case's ConvLSTM with the project's constructor and loads
// PyTorch's weights into it. The model and its cells use the readable path
// (convlstm.Naive), the line-by-line port the exercises rebuild.
func (g *Golden) Model(t testing.TB) *convlstm.ConvLSTM {
	t.Helper()
	m, err := convlstm.New(g.Config)
	if err != nil {
		t.Fatal(err)
	}
	sd := map[string]*convlstm.Tensor{}
	for k := range m.StateDict() {
		sd[k] = g.T(t, k)
	}
	if err := m.LoadStateDict(sd); err != nil {
		t.Fatal(err)
	}
	Readable(m)
	return m
}

// HiddenState returns the case's initial (h, c) per layer, or nil when the
// case starts from zeros.
func (g *Golden) HiddenState(t testing.TB) []convlstm.State {
	t.Helper()
	if !g.WithHiddenState {
		return nil
	}
	hs := make([]convlstm.State, g.Config.NumLayers)
	for l := range hs {
		hs[l] = convlstm.State{
			H: g.T(t, fmt.Sprintf("hidden_state.%d.h", l)),
			C: g.T(t, fmt.Sprintf("hidden_state.%d.c", l)),
		}
	}
	return hs
}

// Readable switches a model and its cells to the readable path
// (convlstm.Naive), the line-by-line port of the seed, and returns it.
func Readable(m *convlstm.ConvLSTM) *convlstm.ConvLSTM {
	m.Path = convlstm.Naive
	for _, c := range m.CellList {
		c.Path = convlstm.Naive
	}
	return m
}
