package convlstm

import "fmt"

// Conv2d is the readable reference convolution. It mirrors nn.Conv2d with
// stride 1, dilation 1, groups 1 and zero padding (kh//2, kw//2), the only
// configuration the seed uses:
//
//	out[b, o, y, x] = bias[o] + sum_{c, dy, dx} weight[o, c, dy, dx] * xpad[b, c, y+dy, x+dx]
//
// where xpad is x with ph = kh/2 zero rows above and below and pw = kw/2
// zero columns left and right: like PyTorch's, a cross-correlation (the
// kernel is not flipped). x is (B, Cin, H, W), weight is (Cout, Cin, kh, kw)
// as nn.Conv2d stores it, bias is (Cout) or nil for no bias. The output is
// (B, Cout, H', W') with H' = H + 2*ph - kh + 1: equal to H for an odd kh,
// H+1 for an even one. Errors name the argument and the shapes.
func Conv2d(x, weight, bias *Tensor) (*Tensor, error) {
	if weight == nil || weight.Dim() != 4 {
		return nil, fmt.Errorf("convlstm: Conv2d: weight must be 4-D (Cout, Cin, kh, kw), got shape %v", shapeOf(weight))
	}
	return conv2d(x, weight, bias, [2]int{weight.Shape[2] / 2, weight.Shape[3] / 2})
}

// conv2d is Conv2d with the zero padding (ph, pw) given, as nn.Conv2d's
// padding argument: the output is (B, Cout, H+2*ph-kh+1, W+2*pw-kw+1).
// The callers have checked that weight is 4-D.
func conv2d(x, weight, bias *Tensor, padding [2]int) (*Tensor, error) {
	if x == nil || x.Dim() != 4 {
		return nil, fmt.Errorf("convlstm: Conv2d: x must be 4-D (B, Cin, H, W), got shape %v", shapeOf(x))
	}
	if err := valid("x", x); err != nil {
		return nil, err
	}
	if err := valid("weight", weight); err != nil {
		return nil, err
	}
	b, cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, wcin, kh, kw := weight.Shape[0], weight.Shape[1], weight.Shape[2], weight.Shape[3]
	if wcin != cin {
		return nil, fmt.Errorf("convlstm: Conv2d: weight has shape %v, want (Cout, %d, kh, kw) to match the %d input channels of x %v", weight.Shape, cin, cin, x.Shape)
	}
	var bdata []float32
	if bias != nil {
		if err := checkShape("bias", bias, cout); err != nil {
			return nil, fmt.Errorf("%v (one value per output channel)", err)
		}
		bdata = bias.Data
	}
	ph, pw := padding[0], padding[1]
	oh, ow := h+2*ph-kh+1, w+2*pw-kw+1
	if ph < 0 || pw < 0 || oh <= 0 || ow <= 0 {
		return nil, fmt.Errorf("convlstm: Conv2d: padding (%d, %d) with kernel (%d, %d) on a %dx%d input gives no output", ph, pw, kh, kw, h, w)
	}
	out := Zeros(b, cout, oh, ow)
	conv2dNaive(out.Data, x.Data, weight.Data, bdata, b, cin, h, w, cout, kh, kw, ph, pw)
	return out, nil
}

// conv2dNaive is the loop nest behind Conv2d, on raw row-major slices: six nested
// loops, one multiply-add per (output pixel, input channel, kernel tap). It reads
// like the formula and is slow for the same reason: every output pixel walks the
// whole kernel again, and the innermost loop strides through memory by whole
// rows. out is (B, cout, oh, ow) with oh = h + 2*ph - kh + 1 (likewise ow), x is
// (B, cin, h, w), wt is (cout, cin, kh, kw), bias is (cout) or nil.
func conv2dNaive(out, x, wt, bias []float32, batch, cin, h, w, cout, kh, kw, ph, pw int) {
	oh, ow := h+2*ph-kh+1, w+2*pw-kw+1
	for b := 0; b < batch; b++ {
		for o := 0; o < cout; o++ {
			for y := 0; y < oh; y++ {
				for xo := 0; xo < ow; xo++ {
					var acc float32
					if bias != nil {
						acc = bias[o]
					}
					for c := 0; c < cin; c++ {
						for dy := 0; dy < kh; dy++ {
							// Row of the unpadded input this tap reads;
							// outside [0, h) it is padding and reads zero.
							iy := y + dy - ph
							if iy < 0 || iy >= h {
								continue
							}
							xrow := x[((b*cin+c)*h+iy)*w:]
							wrow := wt[((o*cin+c)*kh+dy)*kw:]
							for dx := 0; dx < kw; dx++ {
								ix := xo + dx - pw
								if ix < 0 || ix >= w {
									continue
								}
								acc += wrow[dx] * xrow[ix]
							}
						}
					}
					out[((b*cout+o)*oh+y)*ow+xo] = acc
				}
			}
		}
	}
}

// shapeOf returns t's shape, or nil for a nil tensor, for error messages.
func shapeOf(t *Tensor) []int {
	if t == nil {
		return nil
	}
	return t.Shape
}

// valid checks that t's shape has only positive sizes and matches its data.
func valid(arg string, t *Tensor) error {
	if t == nil {
		return fmt.Errorf("convlstm: %s is nil", arg)
	}
	if _, err := numel(arg, " shape", t.Shape); err != nil {
		return err
	}
	if len(t.Data) != prod(t.Shape) {
		return fmt.Errorf("convlstm: %s has %d values but shape %v needs %d", arg, len(t.Data), t.Shape, prod(t.Shape))
	}
	return nil
}
