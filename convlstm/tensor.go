package convlstm

import (
	"fmt"
	"math"
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
// positive; otherwise it returns an error naming the bad axis.
func NewTensor(shape ...int) (*Tensor, error) {
	n, err := numel("shape", "", shape)
	if err != nil {
		return nil, err
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}, nil
}

// Zeros returns a zero tensor of the given shape, like torch.zeros. It never
// panics: where torch.zeros would raise (a size that is not positive), it
// returns a tensor with that shape and no data, which every function of the
// package rejects with an error naming the bad size (NewTensor errs at once).
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

// The sizes a call may allocate are checked before anything is allocated:
// one tensor holds at most MaxElements values, and one call (a constructor,
// InitHidden, a forward or a backward pass, on either path) allocates at
// most MaxCallBytes in all, counted from the shapes it will create. A call
// over a limit returns an error naming the size; raise them, before any
// call, to go past them.
var (
	// MaxElements is the most values one tensor may hold: 2^31-1.
	MaxElements int64 = math.MaxInt32
	// MaxCallBytes is the most bytes one call may allocate: 8 GiB.
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

// checkShape returns an error naming arg when t is nil or its shape differs
// from want.
func checkShape(arg string, t *Tensor, want ...int) error {
	if t == nil {
		return fmt.Errorf("convlstm: %s is nil, want shape %v", arg, append([]int(nil), want...))
	}
	if len(t.Data) != prod(t.Shape) {
		return fmt.Errorf("convlstm: %s has %d values but shape %v", arg, len(t.Data), t.Shape)
	}
	if !SameShape(t.Shape, want) {
		return fmt.Errorf("convlstm: %s has shape %v, want %v", arg, t.Shape, append([]int(nil), want...))
	}
	return nil
}

func prod(s []int) int {
	n := 1
	for _, v := range s {
		n *= v
	}
	return n
}
