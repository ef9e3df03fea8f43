//go:build !solution

// Package im2col is exercise 07: the two pieces of the fast path, im2col
// (turn the convolution into a matrix product) and a blocked (tiled) matrix
// product. The task is in README.md; `make exercise N=07` runs the checks.
package im2col

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
	"example.com/convlstm/exercises/internal/mat"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// Im2col unrolls x (B, C, H, W) for a kh×kw kernel with the seed's padding
// (kh//2, kw//2) and stride 1. The result is a new (B, C*kh*kw, OH*OW) tensor,
// OH = H + 2*(kh//2) - kh + 1 (likewise OW), with
//
//	cols[b, (c*kh + dy)*kw + dx, y*OW + x] = xpad[b, c, y+dy, x+dx]
//
// (zero where the tap falls into the padding). Row r of cols[b] lines up with
// column r of the weight viewed as a (Cout, C*kh*kw) matrix. It returns an
// error (not ErrNotImplemented) when x is not 4-D or kh, kw < 1.
func Im2col(x *convlstm.Tensor, kh, kw int) (*convlstm.Tensor, error) {
	// TODO: one row per (c, dy, dx), one column per output pixel.
	return nil, ErrNotImplemented
}

// MatMul returns C = A·B for A (m×k) and B (k×n), as a new m×n matrix
// (mat.New), computed in block×block×block tiles: for each tile of C, for
// each tile of the shared k axis, accumulate the tile product. Tiles at the
// edges are smaller when block does not divide m, n or k. Read A and B with
// At inside the loops (no copy of them first): the checks watch the order of
// those reads. It returns an error (not ErrNotImplemented) when a or b is
// nil or empty, a.Cols() != b.Rows() or block < 1.
func MatMul(a, b *mat.Matrix, block int) (*mat.Matrix, error) {
	// TODO: three loops over tiles (i0, j0, p0), three loops inside a tile.
	return nil, ErrNotImplemented
}

// Conv2d is the convolution of exercise 02 computed the fast-path way: for
// every batch item, out[b] (Cout × OH*OW) = W (Cout × C*kh*kw) · cols[b]
// (C*kh*kw × OH*OW), plus bias[o] on row o. The weight needs no copy: its
// row-major data already is the (Cout, C*kh*kw) matrix: mat.Wrap(Cout,
// C*kh*kw, weight.Data) views it as one, and mat.Wrap views cols[b] too.
// Use Im2col and MatMul (any block size): the checks count the matrix reads. It returns an error (not ErrNotImplemented) for
// inconsistent shapes.
func Conv2d(x, weight, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	// TODO: Im2col, one MatMul per batch item, add the bias.
	return nil, ErrNotImplemented
}
