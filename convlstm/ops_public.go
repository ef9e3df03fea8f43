package convlstm

import (
	"cmp"
	"fmt"
)

// The seed's tensor operations, exported for notebooks and for readers who
// want to replay the cell by hand. Each validates its arguments and the size
// of its result (MaxElements, MaxCallBytes), returns an error naming the
// argument and the shapes, and then runs the same loops (ops.go) that the
// readable forward pass uses.

// Cat1 mirrors torch.cat([a, b], dim=1) for a (B, Ca, H, W) and b (B, Cb, H,
// W): the result is (B, Ca+Cb, H, W) and, per batch item, the channels of a
// come first (the seed's combined = torch.cat([input_tensor, h_cur], dim=1)).
func Cat1(a, b *Tensor) (*Tensor, error) {
	if err := cmp.Or(checkAxes("Cat1: a", a, "(B, C, H, W)"), checkAxes("Cat1: b", b, "(B, C, H, W)")); err != nil {
		return nil, err
	}
	if a.Shape[0] != b.Shape[0] || a.Shape[2] != b.Shape[2] || a.Shape[3] != b.Shape[3] {
		return nil, fmt.Errorf("convlstm: Cat1: a has shape %v, b has shape %v, want equal B, H and W", a.Shape, b.Shape)
	}
	if err := CheckAlloc("Cat1", []int{a.Shape[0], a.Shape[1] + b.Shape[1], a.Shape[2], a.Shape[3]}); err != nil {
		return nil, err
	}
	return cat1(a, b), nil
}

// Split1 mirrors torch.split(x, size, dim=1) for x (B, k*size, H, W): k
// tensors (B, size, H, W) holding channels [0, size), [size, 2*size), ...
// (the seed's cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv,
// hidden_dim, dim=1)). The channel count must be a multiple of size.
func Split1(x *Tensor, size int) ([]*Tensor, error) {
	if err := checkAxes("Split1: x", x, "(B, C, H, W)"); err != nil {
		return nil, err
	}
	if size <= 0 || x.Shape[1]%size != 0 {
		return nil, fmt.Errorf("convlstm: Split1: size %d does not divide the %d channels of x %v", size, x.Shape[1], x.Shape)
	}
	if err := CheckAlloc("Split1", x.Shape); err != nil { // the parts, x's size in all
		return nil, err
	}
	return split1(x, size), nil
}

// Stack1 mirrors torch.stack(xs, dim=1) for T tensors (B, C, H, W) of one
// shape: the result is (B, T, C, H, W) with xs[t] at [:, t] (the seed's
// layer_output = torch.stack(output_inner, dim=1)).
func Stack1(xs []*Tensor) (*Tensor, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("convlstm: Stack1: xs is empty, want at least one (B, C, H, W) tensor")
	}
	for t, x := range xs {
		if err := checkAxes(fmt.Sprintf("Stack1: xs[%d]", t), x, "(B, C, H, W)"); err != nil {
			return nil, err
		}
		if !SameShape(x.Shape, xs[0].Shape) {
			return nil, fmt.Errorf("convlstm: Stack1: xs[%d] has shape %v, want %v like xs[0]", t, x.Shape, xs[0].Shape)
		}
	}
	if err := CheckAlloc("Stack1", append([]int{xs[0].Shape[0], len(xs)}, xs[0].Shape[1:]...)); err != nil {
		return nil, err
	}
	return stack1(xs), nil
}

// Permute10 mirrors x.permute(1, 0, 2, 3, 4) on a 5-D tensor, copied into
// contiguous memory: (T, B, C, H, W) becomes (B, T, C, H, W) and back (the
// seed's input_tensor = input_tensor.permute(1, 0, 2, 3, 4)).
func Permute10(x *Tensor) (*Tensor, error) {
	if err := checkAxes("Permute10: x", x, "(T, B, C, H, W)"); err != nil {
		return nil, err
	}
	if err := CheckAlloc("Permute10", x.Shape); err != nil {
		return nil, err
	}
	return permute10(x), nil
}
