package golden

import (
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestLoad loads every case and checks what the loader promises: a model
// with PyTorch's weights, a hidden state exactly when the case has one, and
// that CompareForward flags a changed value.
func TestLoad(t *testing.T) {
	root, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	names, err := Names(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		gc, err := Load(root, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gc.Model(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		hs, err := gc.HiddenState()
		if err != nil || (hs != nil) != gc.WithHiddenState {
			t.Errorf("%s: HiddenState() = %d states, %v; with_hidden_state is %v", name, len(hs), err, gc.WithHiddenState)
		}
	}
	gc, err := Load(root, "l1_k3x3_bf")
	if err != nil {
		t.Fatal(err)
	}
	outs := []*convlstm.Tensor{gc.Tensors["layer_output.0"].Clone()}
	states := []convlstm.State{{H: gc.Tensors["last_state.0.h"], C: gc.Tensors["last_state.0.c"].Clone()}}
	states[0].C.Data[3] += 1e-3
	diffs, err := gc.CompareForward(outs, states)
	if err != nil {
		t.Fatal(err)
	}
	if !diffs[0].OK() || diffs[2].OK() || diffs[2].Bad != 1 || !strings.Contains(Table(diffs), "NO") {
		t.Errorf("a changed c is not reported as the one failing element:\n%s", Table(diffs))
	}
	if _, err := gc.CompareForward(outs[:0], states); err == nil {
		t.Error("CompareForward with a missing layer accepted")
	}
	if _, err := Load(root, "no_such_case"); err == nil {
		t.Error("Load of a missing case succeeded")
	}
	if _, err := Names("no/such/dir"); err == nil {
		t.Error("Names of a missing folder succeeded")
	}
}

// TestCompareNonFinite: NaN against NaN and equal infinities match, as
// PyTorch propagates them; a NaN or infinity on one side only fails.
func TestCompareNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	want := &convlstm.Tensor{Shape: []int{4}, Data: []float32{nan, inf, 1, 2}}
	same := &convlstm.Tensor{Shape: []int{4}, Data: []float32{nan, inf, 1, 2}}
	if d, err := Compare("x", same, want, 1e-5, 1e-4); err != nil || !d.OK() {
		t.Errorf("equal non-finite values: %v, %v", d, err)
	}
	for i, v := range []float32{1, -inf, nan, inf} {
		got := same.Clone()
		got.Data[i] = v
		if d, err := Compare("x", got, want, 1e-5, 1e-4); err != nil || d.OK() {
			t.Errorf("element %d = %g against %g: %v, %v", i, v, want.Data[i], d, err)
		}
	}
	if _, err := Compare("x", &convlstm.Tensor{Shape: []int{3}, Data: make([]float32, 3)}, want, 1e-5, 1e-4); err == nil {
		t.Error("shape mismatch accepted")
	}
}
