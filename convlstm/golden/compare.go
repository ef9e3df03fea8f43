package golden

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"example.com/convlstm/convlstm"
)

// Diff is how far one Go tensor is from PyTorch's.
type Diff struct {
	// Key is the tensor's name in the golden file, e.g. "last_state.0.c".
	Key string
	// Shape is its shape.
	Shape []int
	// Atol and Rtol are the tolerance it was measured against.
	Atol, Rtol float64
	// MaxAbs is max |go - torch| over its elements (+Inf where Go has a
	// NaN that PyTorch does not).
	MaxAbs float64
	// MaxRel is max |go - torch| / |torch| over the elements with
	// |torch| > Atol (smaller values are covered by the absolute term).
	MaxRel float64
	// OfTol is the largest |go - torch| / (Atol + Rtol*|torch|): below 1
	// every element passes.
	OfTol float64
	// Bad counts the elements outside the tolerance; First describes the
	// first of them (its index and both values).
	Bad   int
	First string
}

// OK reports whether every element is within Atol + Rtol*|torch|.
func (d Diff) OK() bool { return d.Bad == 0 }

// String is one line: the key, the shape, the max abs error and, when some
// elements fail, how many and the first.
func (d Diff) String() string {
	s := fmt.Sprintf("%-28s %-18s max abs error %.3g", d.Key, fmt.Sprint(d.Shape), d.MaxAbs)
	if d.Bad > 0 {
		s += fmt.Sprintf(": %d elements outside |go-torch| <= %g + %g*|torch|; first %s", d.Bad, d.Atol, d.Rtol, d.First)
	}
	return s
}

// Compare measures got against want elementwise. NaN in both places, or
// the same infinity, counts as equal (PyTorch propagates them; so must the
// port); a NaN or infinity in one only is outside any tolerance. It errs
// when want is missing or the shapes differ.
func Compare(key string, got, want *convlstm.Tensor, atol, rtol float64) (Diff, error) {
	if want == nil {
		return Diff{}, fmt.Errorf("%s: missing from the golden file", key)
	}
	if got == nil || !convlstm.SameShape(got.Shape, want.Shape) || len(got.Data) != len(want.Data) {
		var shape []int
		if got != nil {
			shape = got.Shape
		}
		return Diff{}, fmt.Errorf("%s: Go shape %v, PyTorch shape %v", key, shape, want.Shape)
	}
	d := Diff{Key: key, Shape: append([]int(nil), want.Shape...), Atol: atol, Rtol: rtol}
	for i, w := range want.Data {
		g, wf := float64(got.Data[i]), float64(w)
		var e float64
		switch {
		case math.IsNaN(g) && math.IsNaN(wf), math.IsInf(wf, 0) && g == wf:
			e = 0
		case math.IsNaN(g) || math.IsNaN(wf) || math.IsInf(g, 0) || math.IsInf(wf, 0):
			e = math.Inf(1)
		default:
			e = math.Abs(g - wf)
		}
		d.MaxAbs = math.Max(d.MaxAbs, e)
		if math.Abs(wf) > atol && !math.IsInf(wf, 0) {
			d.MaxRel = math.Max(d.MaxRel, e/math.Abs(wf))
		}
		tol := atol + rtol*math.Abs(wf)
		if math.IsInf(wf, 0) || math.IsNaN(wf) {
			tol = atol
		}
		d.OfTol = math.Max(d.OfTol, e/tol)
		if e > tol {
			if d.Bad == 0 {
				d.First = fmt.Sprintf("at %v: go %g, torch %g", unravel(i, want.Shape), got.Data[i], w)
			}
			d.Bad++
		}
	}
	return d, nil
}

// CompareForward measures what a Forward of the case's model returned
// against PyTorch's outputs, with the forward tolerance: for each returned
// layer k, layer_output.<k>, last_state.<k>.h and last_state.<k>.c. It errs
// when the number of layers or a shape does not match.
func (c *Case) CompareForward(outs []*convlstm.Tensor, states []convlstm.State) ([]Diff, error) {
	want := c.NumOutputs()
	if len(outs) != want || len(states) != want {
		return nil, fmt.Errorf("golden: %s: got %d layer outputs and %d states, PyTorch returned %d", c.Name, len(outs), len(states), want)
	}
	if _, extra := c.Tensors[fmt.Sprintf("layer_output.%d", want)]; extra {
		return nil, fmt.Errorf("golden: %s: tensors.npz has layer_output.%d but the model returns %d layers", c.Name, want, want)
	}
	var diffs []Diff
	for k := 0; k < want; k++ {
		got := []*convlstm.Tensor{outs[k], states[k].H, states[k].C}
		keys := []string{fmt.Sprintf("layer_output.%d", k), fmt.Sprintf("last_state.%d.h", k), fmt.Sprintf("last_state.%d.c", k)}
		for j, key := range keys {
			d, err := Compare(key, got[j], c.Tensors[key], ForwardAtol, ForwardRtol)
			if err != nil {
				return nil, fmt.Errorf("golden: %s: %w", c.Name, err)
			}
			diffs = append(diffs, d)
		}
	}
	return diffs, nil
}

// TB is the part of testing.TB that Check uses.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Check logs every diff (its max error) and fails t for each one outside
// its tolerance; err (from a Compare) fails t at once.
func Check(t TB, diffs []Diff, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%v", err)
	}
	for _, d := range diffs {
		if d.OK() {
			t.Logf("%v", d)
		} else {
			t.Errorf("%v", d)
		}
	}
}

// Table formats diffs as an aligned text table, one row per tensor.
func Table(diffs []Diff) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-16s %-18s %11s %11s %9s  %s\n", "tensor", "shape", "max|Δ|", "max rel", "of tol", "ok")
	for _, d := range diffs {
		ok := "yes"
		if !d.OK() {
			ok = "NO"
		}
		fmt.Fprintf(&sb, "%-16s %-18s %11.3e %11.3e %9.4f  %s\n", d.Key, fmt.Sprint(d.Shape), d.MaxAbs, d.MaxRel, d.OfTol, ok)
	}
	return sb.String()
}

// unravel turns a flat row-major index into one index per axis.
func unravel(i int, shape []int) string {
	idx := make([]int, len(shape))
	for a := len(shape) - 1; a >= 0; a-- {
		idx[a] = i % shape[a]
		i /= shape[a]
	}
	return fmt.Sprint(idx)
}

// Cases loads the named cases of testdata/golden (Dir, then Load), or every
// case there (Names) when no name is given.
func Cases(names ...string) ([]*Case, error) {
	root, err := Dir()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		if names, err = Names(root); err != nil {
			return nil, err
		}
	}
	cases := make([]*Case, len(names))
	for i, name := range names {
		if cases[i], err = Load(root, name); err != nil {
			return nil, err
		}
	}
	return cases, nil
}

// CasesFor is Cases for a test: it fails t (Fatalf) at an error.
func CasesFor(t TB, names ...string) []*Case {
	t.Helper()
	cases, err := Cases(names...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return cases
}

// ForwardFunc is the signature of a forward pass the goldens check:
// (*convlstm.ConvLSTM).Forward, fast.Forward, or a closure around a
// training forward.
type ForwardFunc func(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)

// RunForward builds the case's model with PyTorch's weights (Model), runs
// forward on the case's input and initial state, and measures what it
// returned against PyTorch's outputs (CompareForward, the forward
// tolerance). It returns the model, for what the caller checks next.
func (c *Case) RunForward(forward ForwardFunc) (*convlstm.ConvLSTM, []Diff, error) {
	m, err := c.Model()
	if err != nil {
		return nil, nil, err
	}
	hs, err := c.HiddenState()
	if err != nil {
		return nil, nil, err
	}
	outs, states, err := forward(m, c.Input(), hs)
	if err != nil {
		return nil, nil, fmt.Errorf("golden: %s: forward: %w", c.Name, err)
	}
	diffs, err := c.CompareForward(outs, states)
	return m, diffs, err
}

// CompareGrads measures a backward's gradients against grads.npz (want, from
// Grads), with the gradient tolerance: grad.input against input,
// grad.<name> against weights[name] for every weight of m, and, when the
// case passed an initial state, grad.hidden_state.<l>.h and .c against
// hidden[l]. It errs when a gradient is missing on either side, when
// weights holds other keys than m's weights, or when a shape differs.
func (c *Case) CompareGrads(m *convlstm.ConvLSTM, want map[string]*convlstm.Tensor, input *convlstm.Tensor, weights map[string]*convlstm.Tensor, hidden []convlstm.State) ([]Diff, error) {
	sd := m.StateDict()
	if len(weights) != len(sd) {
		return nil, fmt.Errorf("golden: %s: got %d weight gradients, want %d", c.Name, len(weights), len(sd))
	}
	keys := []string{"grad.input"}
	got := []*convlstm.Tensor{input}
	for _, k := range slices.Sorted(maps.Keys(sd)) {
		keys, got = append(keys, "grad."+k), append(got, weights[k])
	}
	if c.WithHiddenState {
		if len(hidden) != c.Config.NumLayers {
			return nil, fmt.Errorf("golden: %s: got %d hidden-state gradients, want %d", c.Name, len(hidden), c.Config.NumLayers)
		}
		for l, s := range hidden {
			keys = append(keys, fmt.Sprintf("grad.hidden_state.%d.h", l), fmt.Sprintf("grad.hidden_state.%d.c", l))
			got = append(got, s.H, s.C)
		}
	}
	diffs := make([]Diff, len(keys))
	for i, key := range keys {
		d, err := Compare(key, got[i], want[key], GradAtol, GradRtol)
		if err != nil {
			return nil, fmt.Errorf("golden: %s: %w", c.Name, err)
		}
		diffs[i] = d
	}
	return diffs, nil
}
