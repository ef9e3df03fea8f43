//go:build !solution

// Package padding is exercise 01: the "same" padding of the seed's conv and
// the output size of a convolution. The task is in README.md; `make exercise
// N=01` runs the checks.
package padding

import "example.com/convlstm/exercises/internal/check"

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// SamePadding returns the padding (ph, pw) the seed gives its conv for a
// kernel of size (kh, kw):
//
//	self.padding = kernel_size[0] // 2, kernel_size[1] // 2
//
// It returns an error (not ErrNotImplemented) when kh or kw is not positive.
func SamePadding(kernelSize [2]int) ([2]int, error) {
	// TODO: compute (kh//2, kw//2) and reject non-positive sizes.
	return [2]int{}, ErrNotImplemented
}

// OutputSize returns the length of one spatial axis (height or width) after
// nn.Conv2d with dilation 1: an input of length in, a kernel of length
// kernel, zero padding pad on both sides and stride stride.
//
// It returns an error (not ErrNotImplemented) when in, kernel or stride is
// not positive, pad is negative, or the kernel does not fit into the padded
// input (the output would be empty).
func OutputSize(in, kernel, pad, stride int) (int, error) {
	// TODO: the formula of the nn.Conv2d documentation, with dilation 1.
	return 0, ErrNotImplemented
}

// KeepsSize reports whether the seed's "same" padding really keeps an axis
// of length in at length in for this kernel length (stride 1). Use the two
// functions above.
func KeepsSize(in, kernel int) (bool, error) {
	// TODO: pad with kernel//2, then compare OutputSize with in.
	return false, ErrNotImplemented
}
