package golden

import (
	"fmt"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestRunForwardFlags: RunForward passes the readable Forward and flags a
// forward whose output is off by more than the tolerance.
func TestRunForwardFlags(t *testing.T) {
	gc := CasesFor(t, "l2_hs_rall")[0]
	if _, diffs, err := gc.RunForward((*convlstm.ConvLSTM).Forward); err != nil || bad(diffs) != 0 {
		t.Fatalf("readable Forward: %d diffs outside the tolerance, err %v", bad(diffs), err)
	}
	off := func(m *convlstm.ConvLSTM, x *convlstm.Tensor, hs []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error) {
		outs, states, err := m.Forward(x, hs)
		if err == nil {
			states[1].C.Data[3] += 1e-3
		}
		return outs, states, err
	}
	if _, diffs, err := gc.RunForward(off); err != nil || bad(diffs) != 1 {
		t.Fatalf("a changed last_state.1.c: %d diffs outside the tolerance (want 1), err %v", bad(diffs), err)
	}
}

// TestCompareGradsFlags: PyTorch's own gradients pass; a changed one, a
// missing weight and a missing hidden-state gradient are caught.
func TestCompareGradsFlags(t *testing.T) {
	gc := CasesFor(t, "l2_hs_rall")[0]
	m, err := gc.Model()
	if err != nil {
		t.Fatal(err)
	}
	want, err := gc.Grads()
	if err != nil {
		t.Fatal(err)
	}
	weights := map[string]*convlstm.Tensor{}
	for k := range m.StateDict() {
		weights[k] = want["grad."+k].Clone()
	}
	hidden := make([]convlstm.State, gc.Config.NumLayers)
	for l := range hidden {
		hidden[l] = convlstm.State{H: want[hsKey(l, "h")], C: want[hsKey(l, "c")]}
	}
	diffs, err := gc.CompareGrads(m, want, want["grad.input"], weights, hidden)
	if err != nil || bad(diffs) != 0 || len(diffs) != 1+len(weights)+2*len(hidden) {
		t.Fatalf("PyTorch's gradients: %d diffs, %d outside the tolerance, err %v", len(diffs), bad(diffs), err)
	}
	weights["cell_list.0.conv.weight"].Data[0] += 1e-2
	if diffs, err := gc.CompareGrads(m, want, want["grad.input"], weights, hidden); err != nil || bad(diffs) != 1 {
		t.Errorf("a changed weight gradient: %d diffs outside the tolerance (want 1), err %v", bad(diffs), err)
	}
	delete(weights, "cell_list.0.conv.weight")
	if _, err := gc.CompareGrads(m, want, want["grad.input"], weights, hidden); err == nil || !strings.Contains(err.Error(), "weight gradients") {
		t.Errorf("a missing weight gradient: err %v", err)
	}
	weights["cell_list.0.conv.weight"] = want["grad.cell_list.0.conv.weight"]
	if _, err := gc.CompareGrads(m, want, want["grad.input"], weights, hidden[:1]); err == nil {
		t.Errorf("one hidden-state gradient for two layers: no error")
	}
}

// hsKey is the key of layer l's initial-state gradient hc ("h" or "c").
func hsKey(l int, hc string) string { return fmt.Sprintf("grad.hidden_state.%d.%s", l, hc) }

// bad counts the diffs outside their tolerance.
func bad(diffs []Diff) int {
	n := 0
	for _, d := range diffs {
		if !d.OK() {
			n++
		}
	}
	return n
}
