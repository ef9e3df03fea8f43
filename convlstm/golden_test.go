package convlstm_test

import (
	"testing"

	"example.com/convlstm/convlstm/golden"
)

// TestGolden runs every case PyTorch made (testdata/golden, any folder
// there, public or added later) through the readable Forward and compares
// every returned tensor elementwise, printing the max error of each. The
// fast path meets the same cases in convlstm/fast, the gradients in
// convlstm/bptt.
func TestGolden(t *testing.T) {
	root, err := golden.Dir()
	if err != nil {
		t.Fatal(err)
	}
	names, err := golden.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			gc, err := golden.Load(root, name)
			if err != nil {
				t.Fatal(err)
			}
			m, err := gc.Model()
			if err != nil {
				t.Fatal(err)
			}
			hs, err := gc.HiddenState()
			if err != nil {
				t.Fatal(err)
			}
			outs, states, err := m.Forward(gc.Input(), hs)
			if err != nil {
				t.Fatal(err)
			}
			diffs, err := gc.CompareForward(outs, states)
			golden.Check(t, diffs, err)
		})
	}
}
