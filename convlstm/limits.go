package convlstm

import (
	"fmt"
	"math"
)

// The sizes a call may allocate are checked before anything is allocated:
// one tensor holds at most MaxElements values, and one call (NewCell,
// NewPeepholeCell, New, InitHidden, Forward, Cell.Forward, Conv2d,
// ConvLayer.Forward, Cat1, Split1, Stack1, Permute10) holds at most
// MaxCallBytes at once, counted from the shapes of the tensors it creates
// and keeps: its results and states, a trace, and the temporaries of one
// step (those of earlier steps are garbage the collector frees, and are not
// summed). A call over a limit returns an error naming the size; raise the
// limits, before any call, to go past them.
var (
	// MaxElements is the most values one tensor may hold: 2^31-1.
	MaxElements int64 = math.MaxInt32
	// MaxCallBytes is the most bytes one call may hold at once: 8 GiB.
	MaxCallBytes int64 = 8 << 30
)

// numel checks that every size is positive and the product within
// MaxElements, and returns the product; errors name the shape what+suffix.
func numel(what, suffix string, shape []int) (int, error) {
	n := int64(1)
	for i, s := range shape {
		if s <= 0 {
			return 0, fmt.Errorf("convlstm: %s%s %v: size %d at axis %d must be positive", what, suffix, append([]int(nil), shape...), s, i)
		}
		if n > MaxElements/int64(s) {
			return 0, fmt.Errorf("convlstm: %s%s %v has more than MaxElements = %d values", what, suffix, append([]int(nil), shape...), MaxElements)
		}
		n *= int64(s)
	}
	return int(n), nil
}

// CheckAlloc returns an error when the tensors of the given shapes, which
// one call of what is about to allocate, break a limit: a size that is not
// positive, a tensor over MaxElements, or more than MaxCallBytes in all.
func CheckAlloc(what string, shapes ...[]int) error {
	a := allocs{what: what}
	for _, sh := range shapes {
		a.add(1, sh...)
	}
	return a.err
}

// allocs is CheckAlloc one shape (count tensors of it) at a time; it allocates nothing unless a check fails.
type allocs struct {
	what     string
	n, total int64 // tensors and bytes so far
	err      error // the first limit broken
}

func (a *allocs) add(count int, shape ...int) {
	if n, err := numel(a.what, ": tensor", shape); a.err == nil {
		a.n, a.total, a.err = a.n+int64(count), a.total+int64(count)*4*int64(n), err
	}
	if a.err == nil && a.total > MaxCallBytes {
		a.err = fmt.Errorf("convlstm: %s would allocate more than MaxCallBytes = %d bytes (%.3g GiB) in %d tensors such as %v",
			a.what, MaxCallBytes, float64(MaxCallBytes)/(1<<30), a.n, append([]int(nil), shape...))
	}
}

// weights adds a cell's parameters: conv.weight, conv.bias (counted even
// without one) and, with peepholes for frames of imageSize, W_ci, W_cf, W_co.
func (a *allocs) weights(in, hid int, k, imageSize [2]int, peephole bool) {
	a.add(1, 4*hid, in+hid, k[0], k[1])
	a.add(1, 4*hid)
	if peephole {
		a.add(3, hid, imageSize[0], imageSize[1])
	}
}

// step adds what one cell step (Cell.step) holds for a (b, in, h, w) input
// and hid hidden channels: the concatenation [x, h], the conv's output and
// its four parts, the four gates (and the peephole's second o), c and h.
func (a *allocs) step(b, in, hid, h, w int) {
	a.add(1, b, in+hid, h, w) // (B, in+hid, H, W)
	a.add(2, b, 4*hid, h, w)  // (B, 4*hid, H, W)
	a.add(7, b, hid, h, w)    // (B, hid, H, W)
}
