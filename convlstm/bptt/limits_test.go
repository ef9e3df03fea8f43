package bptt

import (
	"testing"

	"example.com/convlstm/convlstm"
)

// underOneMiB sets convlstm.MaxCallBytes to 1 MiB for the rest of t and
// returns a one-layer model from 1 to hid channels (3x3 kernel, batch
// first, bias).
func underOneMiB(t *testing.T, hid int) *convlstm.ConvLSTM {
	t.Helper()
	old := convlstm.MaxCallBytes
	t.Cleanup(func() { convlstm.MaxCallBytes = old })
	convlstm.MaxCallBytes = 1 << 20
	m, err := convlstm.NewConvLSTM(1, hid, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTapeSizeLimit: a tape that would pass convlstm.MaxCallBytes is an
// error on both training paths, although the plain forward fits.
func TestTapeSizeLimit(t *testing.T) {
	m := underOneMiB(t, 8)
	x := convlstm.Zeros(2, 4, 1, 16, 16)
	if _, _, err := m.Forward(x, nil); err != nil {
		t.Fatalf("the plain forward should fit: %v", err)
	}
	for _, p := range trainPaths()[:2] {
		_, _, _, err := p.fwd(m, x, nil)
		wantErr(t, err, "bptt: the training forward and backward", "MaxCallBytes")
	}
}

// TestBackwardAfterModelChange: a cell resized between the forward and the
// backward is an error, not a panic.
func TestBackwardAfterModelChange(t *testing.T) {
	for _, p := range trainPaths()[:2] {
		m := mustModel(t, true)
		tape, outs, _, err := p.fwd(m, convlstm.Zeros(2, 3, 2, 5, 4), nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := convlstm.NewCell(3, 5, [2]int{1, 3}, true)
		if err != nil {
			t.Fatal(err)
		}
		m.CellList[1], m.HiddenDim[1] = c, 5
		_, err = Backward(tape, outs)
		wantErr(t, err, "cell_list.1", "recorded with 3, 4")
	}
}

// TestTapeSizeLimitPaddedPlanes: frames of one pixel take padded planes
// about 48 times their size on the fast path (every frame is at least one
// strip of the taps kernel); the limit counts them, so the tape of a long
// sequence of such frames is refused although its tensors would fit.
func TestTapeSizeLimitPaddedPlanes(t *testing.T) {
	m := underOneMiB(t, 4)
	x := convlstm.Zeros(1, 1000, 1, 1, 1) // 16 sequences of 4 x 1000 values: 256 KB
	_, _, _, err := ForwardFast(m, x, nil)
	wantErr(t, err, "bptt: the training forward and backward", "MaxCallBytes")
}
