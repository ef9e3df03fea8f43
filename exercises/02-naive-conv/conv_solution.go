//go:build solution

// Package naiveconv is exercise 02: the naive 2-D convolution of the seed's
// nn.Conv2d. This file is the reference solution.
package naiveconv

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// Pixel computes out[b, o, y, xo] with zero padding (kh//2, kw//2).
func Pixel(x, weight, bias *convlstm.Tensor, b, o, y, xo int) (float32, error) {
	cin, h, w := x.Shape[1], x.Shape[2], x.Shape[3]
	kh, kw := weight.Shape[2], weight.Shape[3]
	ph, pw := kh/2, kw/2
	var acc float32
	if bias != nil {
		acc = bias.Data[o]
	}
	for c := 0; c < cin; c++ {
		for dy := 0; dy < kh; dy++ {
			iy := y + dy - ph // row of the unpadded input
			if iy < 0 || iy >= h {
				continue // padding row: contributes zero
			}
			for dx := 0; dx < kw; dx++ {
				ix := xo + dx - pw
				if ix < 0 || ix >= w {
					continue
				}
				acc += weight.Data[((o*cin+c)*kh+dy)*kw+dx] * x.Data[((b*cin+c)*h+iy)*w+ix]
			}
		}
	}
	return acc, nil
}

// Conv2d validates the shapes, then calls Pixel for every output element.
func Conv2d(x, weight, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	if x == nil || x.Dim() != 4 {
		return nil, fmt.Errorf("naiveconv: x must be 4-D (B, Cin, H, W)")
	}
	if weight == nil || weight.Dim() != 4 {
		return nil, fmt.Errorf("naiveconv: weight must be 4-D (Cout, Cin, kh, kw)")
	}
	bsz, cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, wcin, kh, kw := weight.Shape[0], weight.Shape[1], weight.Shape[2], weight.Shape[3]
	if wcin != cin {
		return nil, fmt.Errorf("naiveconv: weight %v has %d input channels, x %v has %d", weight.Shape, wcin, x.Shape, cin)
	}
	if bias != nil && (bias.Dim() != 1 || bias.Shape[0] != cout) {
		return nil, fmt.Errorf("naiveconv: bias has shape %v, want (%d)", bias.Shape, cout)
	}
	oh, ow := h+2*(kh/2)-kh+1, w+2*(kw/2)-kw+1
	out := convlstm.Zeros(bsz, cout, oh, ow) // (B, Cout, H', W')
	for b := 0; b < bsz; b++ {
		for o := 0; o < cout; o++ {
			for y := 0; y < oh; y++ {
				for xo := 0; xo < ow; xo++ {
					v, _ := Pixel(x, weight, bias, b, o, y, xo)
					out.Data[((b*cout+o)*oh+y)*ow+xo] = v
				}
			}
		}
	}
	return out, nil
}
