package convlstm

import (
	"fmt"
	"slices"
)

// Tensor is a dense float32 array stored row-major (C order), like a
// contiguous PyTorch tensor: the last axis varies fastest. Shape holds the
// size of every axis and Data holds prod(Shape) values: a (B, C, H, W)
// tensor keeps [b][c][y][x] at Data[((b*C+c)*H+y)*W+x], as torch does.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor returns a zero tensor of the given shape. Every size must be
// positive and their product at most MaxElements; otherwise it returns an
// error naming the bad axis.
func NewTensor(shape ...int) (*Tensor, error) {
	n, err := numel("shape", "", shape)
	if err != nil {
		return nil, err
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}, nil
}

// Zeros returns a zero tensor of the given shape, like torch.zeros. It never
// panics: where torch.zeros would raise (a size that is not positive), or
// past MaxElements, it returns a tensor with that shape and no data, which
// every function of the package rejects with an error naming the bad size
// (NewTensor errs at once).
func Zeros(shape ...int) *Tensor {
	t, err := NewTensor(shape...)
	if err != nil {
		return &Tensor{Shape: append([]int(nil), shape...)}
	}
	return t
}

// FromSlice wraps data (not copied) as a tensor of the given shape. The
// length of data must equal the product of the shape.
func FromSlice(data []float32, shape ...int) (*Tensor, error) {
	n, err := numel("shape", "", shape)
	if err != nil {
		return nil, err
	}
	if len(data) != n {
		return nil, fmt.Errorf("convlstm: data has %d values, shape %v needs %d", len(data), shape, n)
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}, nil
}

// Dim returns the number of axes (torch: t.dim()); 0 for a nil tensor.
func (t *Tensor) Dim() int { return len(shapeOf(t)) }

// Numel returns the number of elements (torch: t.numel()); 0 for a nil tensor.
func (t *Tensor) Numel() int {
	if t == nil {
		return 0
	}
	return len(t.Data)
}

// Size returns the size of axis i (torch: t.size(i)); a negative i counts
// from the end as in Python.
func (t *Tensor) Size(i int) int {
	if i < 0 {
		i += len(t.Shape)
	}
	return t.Shape[i]
}

// Clone returns a deep copy (nil for nil).
func (t *Tensor) Clone() *Tensor {
	if t == nil {
		return nil
	}
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

// At returns the element at the given index, one integer per axis.
// Like indexing a Go slice, it panics if the index is out of range (a
// programming error, not bad data); the functions that take tensors as
// input validate them and return errors instead.
func (t *Tensor) At(idx ...int) float32 { return t.Data[t.offset(idx)] }

// Set stores v at the given index, one integer per axis. Like At, it panics
// on an index out of range.
func (t *Tensor) Set(v float32, idx ...int) { t.Data[t.offset(idx)] = v }

func (t *Tensor) offset(idx []int) int {
	if len(idx) != len(t.Shape) {
		panic(fmt.Sprintf("convlstm: index %v has %d axes, tensor has %d", idx, len(idx), len(t.Shape)))
	}
	off := 0
	for i, v := range idx {
		if v < 0 || v >= t.Shape[i] {
			panic(fmt.Sprintf("convlstm: index %v out of range for shape %v", idx, t.Shape))
		}
		off = off*t.Shape[i] + v
	}
	return off
}

// SameShape reports whether a and b have identical shapes.
func SameShape(a, b []int) bool { return slices.Equal(a, b) }
