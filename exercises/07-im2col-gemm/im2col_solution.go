//go:build solution

// Package im2col is exercise 07: im2col and a blocked matrix product. This
// file is the reference solution.
package im2col

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
	"example.com/convlstm/exercises/internal/mat"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// Im2col unrolls the receptive field of every output pixel into a column.
func Im2col(x *convlstm.Tensor, kh, kw int) (*convlstm.Tensor, error) {
	if x == nil || x.Dim() != 4 {
		return nil, fmt.Errorf("im2col: x must be 4-D (B, C, H, W)")
	}
	if kh < 1 || kw < 1 {
		return nil, fmt.Errorf("im2col: kernel (%d, %d) must be positive", kh, kw)
	}
	b, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	ph, pw := kh/2, kw/2
	oh, ow := h+2*ph-kh+1, w+2*pw-kw+1
	rows, npix := c*kh*kw, oh*ow
	cols := convlstm.Zeros(b, rows, npix) // (B, C*kh*kw, OH*OW), zero = padding
	for n := 0; n < b; n++ {
		for ch := 0; ch < c; ch++ {
			src := x.Data[(n*c+ch)*h*w : (n*c+ch+1)*h*w] // one input plane
			for dy := 0; dy < kh; dy++ {
				for dx := 0; dx < kw; dx++ {
					r := (ch*kh+dy)*kw + dx
					dst := cols.Data[(n*rows+r)*npix : (n*rows+r+1)*npix]
					for y := 0; y < oh; y++ {
						iy := y + dy - ph
						if iy < 0 || iy >= h {
							continue
						}
						for xo := 0; xo < ow; xo++ {
							ix := xo + dx - pw
							if ix >= 0 && ix < w {
								dst[y*ow+xo] = src[iy*w+ix]
							}
						}
					}
				}
			}
		}
	}
	return cols, nil
}

// MatMul computes C = A·B tile by tile, so that the tiles of A, B and C in
// use stay in cache while they are reused.
func MatMul(a, b *mat.Matrix, block int) (*mat.Matrix, error) {
	if a == nil || b == nil || a.Rows() < 1 || a.Cols() < 1 || b.Cols() < 1 {
		return nil, fmt.Errorf("im2col: MatMul needs two non-empty matrices")
	}
	m, k, n := a.Rows(), a.Cols(), b.Cols()
	if b.Rows() != k {
		return nil, fmt.Errorf("im2col: MatMul: a is %dx%d, b is %dx%d: a.Cols() must equal b.Rows()", m, k, b.Rows(), n)
	}
	if block < 1 {
		return nil, fmt.Errorf("im2col: MatMul: block is %d, want at least 1", block)
	}
	c := mat.New(m, n)
	for i0 := 0; i0 < m; i0 += block {
		i1 := min(i0+block, m)
		for j0 := 0; j0 < n; j0 += block {
			j1 := min(j0+block, n)
			for p0 := 0; p0 < k; p0 += block {
				p1 := min(p0+block, k)
				// One tile product: C[i0:i1, j0:j1] += A[i0:i1, p0:p1] · B[p0:p1, j0:j1].
				for i := i0; i < i1; i++ {
					for p := p0; p < p1; p++ {
						aip := a.At(i, p)
						for j := j0; j < j1; j++ { // along a row of B and of C
							c.Set(i, j, c.At(i, j)+aip*b.At(p, j))
						}
					}
				}
			}
		}
	}
	return c, nil
}

// Conv2d is Im2col followed by one MatMul per batch item and the bias.
func Conv2d(x, weight, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	if x == nil || weight == nil || x.Dim() != 4 || weight.Dim() != 4 {
		return nil, fmt.Errorf("im2col: x and weight must be 4-D")
	}
	b, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, kh, kw := weight.Shape[0], weight.Shape[2], weight.Shape[3]
	if weight.Shape[1] != c {
		return nil, fmt.Errorf("im2col: weight %v does not match the %d channels of x", weight.Shape, c)
	}
	if bias != nil && (bias.Dim() != 1 || bias.Shape[0] != cout) {
		return nil, fmt.Errorf("im2col: bias has shape %v, want (%d)", bias.Shape, cout)
	}
	cols, err := Im2col(x, kh, kw) // (B, C*kh*kw, OH*OW)
	if err != nil {
		return nil, err
	}
	oh, ow := h+2*(kh/2)-kh+1, w+2*(kw/2)-kw+1
	rows, npix := c*kh*kw, oh*ow
	out := convlstm.Zeros(b, cout, oh, ow)
	for n := 0; n < b; n++ {
		// weight.Data is already the (Cout, C*kh*kw) matrix.
		w := mat.Wrap(cout, rows, weight.Data)                              // (Cout, C*kh*kw)
		col := mat.Wrap(rows, npix, cols.Data[n*rows*npix:(n+1)*rows*npix]) // (C*kh*kw, OH*OW)
		prod, err := MatMul(w, col, 32)                                     // (Cout, OH*OW)
		if err != nil {
			return nil, err
		}
		dst := out.Data[n*cout*npix : (n+1)*cout*npix]
		for o := 0; o < cout; o++ {
			for p := 0; p < npix; p++ {
				dst[o*npix+p] = prod.At(o, p)
			}
		}
		if bias != nil {
			for o := 0; o < cout; o++ {
				for p := 0; p < npix; p++ {
					dst[o*npix+p] += bias.Data[o]
				}
			}
		}
	}
	return out, nil
}
