package convlstm_test

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/golden"
)

// TestGolden runs every case PyTorch made (testdata/golden, any folder
// there, public or added later) through the readable Forward and compares
// every returned tensor elementwise, printing the max error of each. The
// fast path meets the same cases in convlstm/fast, the gradients in
// convlstm/bptt.
func TestGolden(t *testing.T) {
	for _, gc := range golden.CasesFor(t) {
		t.Run(gc.Name, func(t *testing.T) {
			_, diffs, err := gc.RunForward((*convlstm.ConvLSTM).Forward)
			golden.Check(t, diffs, err)
		})
	}
}
