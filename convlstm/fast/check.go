package fast

import (
	"unsafe"

	"example.com/convlstm/convlstm"
)

// checkForward is m.CheckForward, which counts a trace against
// convlstm.MaxCallBytes only when it is m.Trace, plus that count for the
// trace given to ForwardTrace: its six (B, T, hid, H, W) tensors per
// layer, before anything is allocated.
func checkForward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) error {
	if err := m.CheckForward(input, hiddenState); err != nil {
		return err
	}
	if trace == nil || trace == m.Trace {
		return nil
	}
	b, t, h, w := input.Shape[0], input.Shape[1], input.Shape[3], input.Shape[4]
	if !m.BatchFirst {
		b, t = t, b
	}
	// CheckForward's count (the input; per layer three sequences, the
	// gates, two states), plus the trace. CheckForward checked each shape
	// against MaxElements, so the sum does not overflow; the shapes are
	// listed (allocated) only for the error.
	total := int64(len(input.Data))
	for _, hid := range m.HiddenDim {
		seq := int64(b) * int64(t) * int64(hid) * int64(h) * int64(w)
		total += (3+4+6)*seq + 2*seq/int64(t)
	}
	if 4*total <= convlstm.MaxCallBytes {
		return nil
	}
	shapes := [][]int{input.Shape}
	for _, hid := range m.HiddenDim {
		seq := []int{b, t, hid, h, w}
		shapes = append(shapes, seq, seq, seq, []int{b, t, 4 * hid, h, w}, []int{b, hid, h, w}, []int{b, hid, h, w})
		for i := 0; i < 6; i++ {
			shapes = append(shapes, seq)
		}
	}
	return convlstm.CheckAlloc("fast.ForwardTrace", shapes...)
}

// checkStep is c.CheckStep plus the count of what the fast cell step
// allocates against convlstm.MaxCallBytes: the gate pre-activations
// (B, 4*hid, H, W), the new h and c, and the recorded gates i, f, o, g
// (B, hid, H, W).
func checkStep(c *convlstm.Cell, input *convlstm.Tensor, cur convlstm.State) error {
	if err := c.CheckStep(input, cur); err != nil {
		return err
	}
	b, h, w := input.Shape[0], input.Shape[2], input.Shape[3]
	one := []int{b, c.HiddenDim, h, w}
	return convlstm.CheckAlloc("fast.CellForward", []int{b, 4 * c.HiddenDim, h, w}, one, one, one, one, one, one)
}

// overlaps reports whether a and b share memory.
func overlaps(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+uintptr(len(b))*4 && b0 < a0+uintptr(len(a))*4
}
