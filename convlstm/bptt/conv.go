package bptt

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// Conv2dBackward is the backward pass of Conv2d: given the input x, the
// weight and gradOut = dL/dout, it returns dL/dx, dL/dweight and dL/dbias.
//
// reference: convlstm.Conv2d (convlstm/conv.go). The forward is
//
//	out[b, o, y, x] = bias[o] + sum_{c, dy, dx} weight[o, c, dy, dx] * xpad[b, c, y+dy, x+dx]
//
// Every output element is a sum of products, so each product hands the
// upstream gradient g = gradOut[b, o, y, x] back to both of its factors:
//
//	dweight[o, c, dy, dx] += g * xpad[b, c, y+dy, x+dx]
//	dxpad[b, c, y+dy, x+dx] += g * weight[o, c, dy, dx]
//	dbias[o]              += g
//
// and the gradient of the padding zeros is dropped (they are constants).
// Summed over the output pixels, dx is a "full" correlation of gradOut with
// the flipped kernel, and dweight a correlation of x with gradOut.
//
// Only odd kernels are supported (the output then has the input's size, as
// the cell needs). gradOut is (B, Cout, H, W), x is (B, Cin, H, W), weight
// is (Cout, Cin, kh, kw). dbias is nil when withBias is false.
func Conv2dBackward(gradOut, x, weight *convlstm.Tensor, withBias bool) (dx, dweight, dbias *convlstm.Tensor, err error) {
	if x == nil || x.Dim() != 4 {
		return nil, nil, nil, fmt.Errorf("bptt: Conv2dBackward: x must be 4-D (B, Cin, H, W), got shape %v", shapeOf(x))
	}
	if weight == nil || weight.Dim() != 4 {
		return nil, nil, nil, fmt.Errorf("bptt: Conv2dBackward: weight must be 4-D (Cout, Cin, kh, kw), got shape %v", shapeOf(weight))
	}
	if err := valid("x", x); err != nil {
		return nil, nil, nil, err
	}
	if err := valid("weight", weight); err != nil {
		return nil, nil, nil, err
	}
	b, cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, kh, kw := weight.Shape[0], weight.Shape[2], weight.Shape[3]
	if weight.Shape[1] != cin {
		return nil, nil, nil, fmt.Errorf("bptt: Conv2dBackward: weight has shape %v, want (Cout, %d, kh, kw) to match x %v", weight.Shape, cin, x.Shape)
	}
	if kh%2 == 0 || kw%2 == 0 {
		return nil, nil, nil, fmt.Errorf("bptt: Conv2dBackward: kernel (%d, %d) must be odd", kh, kw)
	}
	if err := checkShape("gradOut", gradOut, b, cout, h, w); err != nil {
		return nil, nil, nil, fmt.Errorf("bptt: Conv2dBackward: %w", err)
	}
	dx = convlstm.Zeros(b, cin, h, w)           // (B, Cin, H, W)
	dweight = convlstm.Zeros(cout, cin, kh, kw) // (Cout, Cin, kh, kw)
	var db []float32
	if withBias {
		dbias = convlstm.Zeros(cout) // (Cout)
		db = dbias.Data
	}
	conv2dBackwardNaive(dx.Data, dweight.Data, db, gradOut.Data, x.Data, weight.Data, b, cin, h, w, cout, kh, kw)
	return dx, dweight, dbias, nil
}

// conv2dBackwardNaive is the loop nest behind Conv2dBackward. It walks the
// same six loops as conv2dNaive, in the same order, and where the forward
// did acc += wrow[dx] * xrow[ix] it sends g back along both factors. The
// gradients are accumulated into dx, dw and db (db may be nil), so a caller
// can sum over the time steps that share one weight.
//
// reference: conv2dNaive (convlstm/conv.go).
func conv2dBackwardNaive(dx, dw, db, gout, x, wt []float32, batch, cin, h, w, cout, kh, kw int) {
	ph, pw := kh/2, kw/2
	for b := 0; b < batch; b++ {
		for o := 0; o < cout; o++ {
			for y := 0; y < h; y++ {
				for xo := 0; xo < w; xo++ {
					// No shortcut for g == 0: PyTorch multiplies it in, and
					// 0 * Inf (an infinite input) is NaN in dweight.
					g := gout[((b*cout+o)*h+y)*w+xo] // dL/dout[b, o, y, xo]
					// py: out = bias[o] + ...  =>  dbias[o] += g
					if db != nil {
						db[o] += g
					}
					for c := 0; c < cin; c++ {
						for dy := 0; dy < kh; dy++ {
							iy := y + dy - ph
							if iy < 0 || iy >= h {
								continue // a padding row: constant zero, no gradient
							}
							xrow := x[((b*cin+c)*h+iy)*w:]
							dxrow := dx[((b*cin+c)*h+iy)*w:]
							wrow := wt[((o*cin+c)*kh+dy)*kw:]
							dwrow := dw[((o*cin+c)*kh+dy)*kw:]
							for ddx := 0; ddx < kw; ddx++ {
								ix := xo + ddx - pw
								if ix < 0 || ix >= w {
									continue
								}
								// forward: acc += wrow[ddx] * xrow[ix]
								dwrow[ddx] += g * xrow[ix]
								dxrow[ix] += g * wrow[ddx]
							}
						}
					}
				}
			}
		}
	}
}
