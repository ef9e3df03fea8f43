package bptt

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// TestBackwardTwice: a second Backward over one tape computes its own
// gradients, and leaves the first one's Grads as they were (they are the
// caller's).
func TestBackwardTwice(t *testing.T) {
	cfg := bench.Config{Name: "twice", B: 2, T: 3, C: 2, H: 6, W: 7, Hidden: []int{16, 4}, Kernel: [2]int{3, 3}, BatchFirst: true}
	m, x, err := cfg.Model()
	if err != nil {
		t.Fatal(err)
	}
	tape, outs, _, err := ForwardFast(m, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Backward(tape, []*convlstm.Tensor{outs[0]})
	if err != nil {
		t.Fatal(err)
	}
	kept := first.Weights["cell_list.0.conv.weight"].Clone()
	second, err := Backward(tape, []*convlstm.Tensor{nil}) // zero gradients
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "first Backward's gradient after a second Backward", kept, first.Weights["cell_list.0.conv.weight"])
	for _, v := range second.Weights["cell_list.0.conv.weight"].Data {
		if v != 0 {
			t.Fatalf("second Backward with zero output gradients: weight gradient %v, want 0", v)
		}
	}
}
