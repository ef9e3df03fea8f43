package nbutil

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"example.com/convlstm/convlstm"
)

// The tolerances of the project's golden tests (testdata/README.md): a Go
// forward value passes when |go - torch| <= Atol + Rtol*|torch|.
const (
	Atol = 1e-5
	Rtol = 1e-4
)

// Golden is one case of testdata/golden, written by PyTorch with
// testdata/gen_golden.py: the constructor arguments, and in Tensors the
// input, the weights (cell_list.<l>.conv.weight and .bias), the initial
// state if one was passed (hidden_state.<l>.h and .c), and what PyTorch
// returned (layer_output.<k>, last_state.<k>.h and .c).
type Golden struct {
	// Name is the case's folder name, e.g. "l2_hs_rall".
	Name string
	// Config holds the constructor arguments, one entry per layer.
	Config convlstm.Config
	// WithHiddenState tells whether forward was given an initial state.
	WithHiddenState bool
	// Tensors holds every array of tensors.npz by key (no ".npy" suffix).
	Tensors map[string]*convlstm.Tensor
}

// GoldenCases lists the case folders under root (e.g.
// "../testdata/golden"), sorted by name.
func GoldenCases(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("nbutil: GoldenCases: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(root, e.Name(), "config.json")); err == nil {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("nbutil: GoldenCases: no case folders (with config.json) in %s", root)
	}
	return names, nil
}

// LoadGolden reads root/name/config.json and root/name/tensors.npz.
func LoadGolden(root, name string) (*Golden, error) {
	dir := filepath.Join(root, name)
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("nbutil: LoadGolden: %w", err)
	}
	var cfg struct {
		convlstm.Config
		WithHiddenState bool `json:"with_hidden_state"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("nbutil: LoadGolden: %s/config.json: %w", dir, err)
	}
	tensors, err := convlstm.ReadNPZ(filepath.Join(dir, "tensors.npz"))
	if err != nil {
		return nil, fmt.Errorf("nbutil: LoadGolden: %w", err)
	}
	if tensors["input"] == nil {
		return nil, fmt.Errorf("nbutil: LoadGolden: %s/tensors.npz has no \"input\"", dir)
	}
	return &Golden{Name: name, Config: cfg.Config, WithHiddenState: cfg.WithHiddenState, Tensors: tensors}, nil
}

// Keys returns the keys of Tensors, sorted.
func (g *Golden) Keys() []string {
	keys := make([]string, 0, len(g.Tensors))
	for k := range g.Tensors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// String lists the case: its configuration and every tensor with its shape.
func (g *Golden) String() string {
	var sb strings.Builder
	c := g.Config
	fmt.Fprintf(&sb, "case %s: input_dim=%d hidden_dim=%v kernel_size=%v num_layers=%d batch_first=%v bias=%v return_all_layers=%v hidden_state passed=%v\n",
		g.Name, c.InputDim, c.HiddenDim, c.KernelSize, c.NumLayers, c.BatchFirst, c.Bias, c.ReturnAllLayers, g.WithHiddenState)
	for _, k := range g.Keys() {
		fmt.Fprintf(&sb, "  %-26s %v\n", k, g.Tensors[k].Shape)
	}
	return sb.String()
}

// Model builds the case's ConvLSTM (naive path) and loads PyTorch's
// weights into it, strictly: every cell_list.<l>.conv.* must be present
// with its shape.
func (g *Golden) Model() (*convlstm.ConvLSTM, error) {
	m, err := convlstm.New(g.Config)
	if err != nil {
		return nil, fmt.Errorf("nbutil: %s: %w", g.Name, err)
	}
	sd := map[string]*convlstm.Tensor{}
	for k := range m.StateDict() {
		if g.Tensors[k] == nil {
			return nil, fmt.Errorf("nbutil: %s: tensors.npz has no %q", g.Name, k)
		}
		sd[k] = g.Tensors[k]
	}
	if err := m.LoadStateDict(sd); err != nil {
		return nil, fmt.Errorf("nbutil: %s: %w", g.Name, err)
	}
	m.Path = convlstm.Naive
	return m, nil
}

// HiddenState returns the initial state PyTorch's forward was given, one
// State per layer, or nil when the case passed none.
func (g *Golden) HiddenState() ([]convlstm.State, error) {
	if !g.WithHiddenState {
		return nil, nil
	}
	hs := make([]convlstm.State, g.Config.NumLayers)
	for l := range hs {
		h, c := g.Tensors[fmt.Sprintf("hidden_state.%d.h", l)], g.Tensors[fmt.Sprintf("hidden_state.%d.c", l)]
		if h == nil || c == nil {
			return nil, fmt.Errorf("nbutil: %s: tensors.npz lacks hidden_state.%d.h or .c", g.Name, l)
		}
		hs[l] = convlstm.State{H: h, C: c}
	}
	return hs, nil
}

// TensorError is how far one Go tensor is from PyTorch's.
type TensorError struct {
	// Key is the tensor's name in tensors.npz, e.g. "last_state.0.c".
	Key string
	// Shape is its shape.
	Shape []int
	// MaxAbs is max |go - torch| over its elements.
	MaxAbs float64
	// MaxRel is max |go - torch| / |torch| over the elements with
	// |torch| > Atol (smaller values are covered by the absolute term).
	MaxRel float64
	// OfTol is the largest |go - torch| / (Atol + Rtol*|torch|): below 1
	// every element passes the tolerance of the golden tests.
	OfTol float64
}

// OK reports whether every element is within Atol + Rtol*|torch|.
func (e TensorError) OK() bool { return e.OfTol <= 1 }

// Compare measures what a Forward of the case's model returned against
// PyTorch's outputs: for each returned layer k, layer_output.<k>,
// last_state.<k>.h and last_state.<k>.c, in that order. It returns an
// error when the number of layers or a shape does not match.
func (g *Golden) Compare(outs []*convlstm.Tensor, states []convlstm.State) ([]TensorError, error) {
	want := 1
	if g.Config.ReturnAllLayers {
		want = g.Config.NumLayers
	}
	if len(outs) != want || len(states) != want {
		return nil, fmt.Errorf("nbutil: %s: got %d layer outputs and %d states, PyTorch returned %d", g.Name, len(outs), len(states), want)
	}
	var errs []TensorError
	for k := 0; k < want; k++ {
		got := []*convlstm.Tensor{outs[k], states[k].H, states[k].C}
		keys := []string{fmt.Sprintf("layer_output.%d", k), fmt.Sprintf("last_state.%d.h", k), fmt.Sprintf("last_state.%d.c", k)}
		for j, key := range keys {
			e, err := compare(key, got[j], g.Tensors[key])
			if err != nil {
				return nil, fmt.Errorf("nbutil: %s: %w", g.Name, err)
			}
			errs = append(errs, e)
		}
	}
	return errs, nil
}

func compare(key string, got, want *convlstm.Tensor) (TensorError, error) {
	if want == nil {
		return TensorError{}, fmt.Errorf("tensors.npz has no %q", key)
	}
	if got == nil || !convlstm.SameShape(got.Shape, want.Shape) || len(got.Data) != len(want.Data) {
		var shape []int
		if got != nil {
			shape = got.Shape
		}
		return TensorError{}, fmt.Errorf("%s: Go shape %v, PyTorch shape %v", key, shape, want.Shape)
	}
	e := TensorError{Key: key, Shape: append([]int(nil), want.Shape...)}
	for i, w := range want.Data {
		wf := float64(w)
		d := math.Abs(float64(got.Data[i]) - wf)
		e.MaxAbs = math.Max(e.MaxAbs, d)
		if math.Abs(wf) > Atol {
			e.MaxRel = math.Max(e.MaxRel, d/math.Abs(wf))
		}
		e.OfTol = math.Max(e.OfTol, d/(Atol+Rtol*math.Abs(wf)))
	}
	return e, nil
}

// ErrorTable formats errs as an aligned text table, one row per tensor.
func ErrorTable(errs []TensorError) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-16s %-18s %11s %11s %9s  %s\n", "tensor", "shape", "max|Δ|", "max rel", "of tol", "ok")
	for _, e := range errs {
		ok := "yes"
		if !e.OK() {
			ok = "NO"
		}
		fmt.Fprintf(&sb, "%-16s %-18s %11.3e %11.3e %9.4f  %s\n", e.Key, fmt.Sprint(e.Shape), e.MaxAbs, e.MaxRel, e.OfTol, ok)
	}
	return sb.String()
}
