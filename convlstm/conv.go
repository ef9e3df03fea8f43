package convlstm

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
	if err := checkConv("Conv2d", x, weight, bias, nil); err != nil {
		return nil, err
	}
	return conv2d(x, weight, bias, [2]int{weight.Shape[2] / 2, weight.Shape[3] / 2}), nil
}

// conv2d is Conv2d with the zero padding (ph, pw) given, as nn.Conv2d's
// padding argument: the output is (B, Cout, H+2*ph-kh+1, W+2*pw-kw+1).
// The arguments are checked (checkConv).
func conv2d(x, weight, bias *Tensor, padding [2]int) *Tensor {
	b, cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, kh, kw := weight.Shape[0], weight.Shape[2], weight.Shape[3]
	var bdata []float32 // nil: no bias
	if bias != nil {
		bdata = bias.Data
	}
	out := Zeros(b, cout, h+2*padding[0]-kh+1, w+2*padding[1]-kw+1) // (B, Cout, H', W')
	conv2dNaive(out.Data, x.Data, weight.Data, bdata, b, cin, h, w, cout, kh, kw, padding[0], padding[1])
	return out
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
