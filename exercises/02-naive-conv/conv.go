//go:build !solution

// Package naiveconv is exercise 02: the naive 2-D convolution of the seed's
// nn.Conv2d (stride 1, padding (kh//2, kw//2)), first one output pixel, then
// the whole map. The task is in README.md; `make exercise N=02` runs the
// checks.
package naiveconv

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// Pixel returns one output value of the convolution, out[b, o, y, x]:
//
//	bias[o] + sum over c, dy, dx of weight[o, c, dy, dx] * xpad[b, c, y+dy, x+dx]
//
// where xpad is x with kh//2 zero rows above and below and kw//2 zero
// columns left and right (read zero instead of building xpad). x is
// (B, Cin, H, W), weight is (Cout, Cin, kh, kw), bias is (Cout) or nil.
// Shapes are valid and (b, o, y, x) is inside the output.
func Pixel(x, weight, bias *convlstm.Tensor, b, o, y, xo int) (float32, error) {
	// TODO: one accumulator, three loops (c, dy, dx), skip taps in the padding.
	return 0, ErrNotImplemented
}

// Conv2d returns the whole output (B, Cout, H', W'), H' = H + 2*(kh//2) - kh + 1
// (likewise W'), as nn.Conv2d(Cin, Cout, (kh, kw), padding=(kh//2, kw//2))
// computes it. bias may be nil (bias=False).
//
// It returns an error (not ErrNotImplemented) when x or weight is not 4-D,
// when weight's Cin differs from x's, or when bias is not (Cout).
func Conv2d(x, weight, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	// TODO: validate, allocate the output, fill every pixel.
	return nil, ErrNotImplemented
}
