package viz

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// Sub returns the sub-tensor t[idx[0], idx[1], ...]: the first len(idx)
// axes are fixed at the given indices and the other axes are kept, as x[0, 3]
// does in Python. For example, with out of shape (B, T, hid, H, W),
// Sub(out, b, t, ch) is the (H, W) frame to pass to Heatmap. The values
// are copied.
func Sub(t *convlstm.Tensor, idx ...int) (*convlstm.Tensor, error) {
	const fn = "Sub"
	if t == nil {
		return nil, fmt.Errorf("viz: %s: t is nil, want a tensor", fn)
	}
	if err := checkTensor(fn, "t", t, shapeNames(len(t.Shape))); err != nil {
		return nil, err
	}
	if len(idx) >= len(t.Shape) {
		return nil, fmt.Errorf("viz: %s: %d indices for shape %v, want fewer than %d so that an axis is left",
			fn, len(idx), t.Shape, len(t.Shape))
	}
	start := 0
	for k, i := range idx {
		if err := checkIndex(fn, fmt.Sprintf("idx[%d]", k), i, t.Shape[k]); err != nil {
			return nil, err
		}
		start = start*t.Shape[k] + i
	}
	rest := t.Shape[len(idx):]
	n := 1
	for _, s := range rest {
		n *= s
	}
	start *= n
	return &convlstm.Tensor{
		Shape: append([]int(nil), rest...),
		Data:  append([]float32(nil), t.Data[start:start+n]...),
	}, nil
}

// Sequence returns the (T, H, W) frames of one sample and one channel of a
// batch-first video tensor x of shape (B, T, C, H, W), such as a batch of
// input sequences or a layer output of the model. The result is what
// FrameRows draws as one row. The values are copied.
func Sequence(x *convlstm.Tensor, batch, channel int) (*convlstm.Tensor, error) {
	const fn = "Sequence"
	if err := checkTensor(fn, "x", x, "(B, T, C, H, W)"); err != nil {
		return nil, err
	}
	b, steps, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], x.Shape[4]
	if err := checkIndex(fn, "batch", batch, b); err != nil {
		return nil, err
	}
	if err := checkIndex(fn, "channel", channel, c); err != nil {
		return nil, err
	}
	out := &convlstm.Tensor{Shape: []int{steps, h, w}, Data: make([]float32, 0, steps*h*w)}
	for t := range steps {
		start := ((batch*steps+t)*c + channel) * h * w
		out.Data = append(out.Data, x.Data[start:start+h*w]...)
	}
	return out, nil
}

// shapeNames returns "(d0, d1, ...)" with n names, for messages about
// tensors of any shape.
func shapeNames(n int) string {
	s := "("
	for i := range n {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("d%d", i)
	}
	return s + ")"
}
