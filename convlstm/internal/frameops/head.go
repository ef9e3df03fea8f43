package frameops

import (
	"math"

	"example.com/convlstm/convlstm"
)

// Reuse returns t when it has the given shape, else a new zero tensor of
// that shape: the buffers of a training step, kept from one step to the
// next. shape is copied, not kept.
func Reuse(t *convlstm.Tensor, shape []int) *convlstm.Tensor {
	if t != nil && convlstm.SameShape(t.Shape, shape) {
		return t
	}
	return convlstm.Zeros(append([]int(nil), shape...)...)
}

// Head is a 1x1 convolution Cin -> Cout followed by a sigmoid, over x
// (N, Cin, H, W) with N any number of leading images (B*T), into y
// (N, Cout, H, W):
//
//	y[n, o, pix] = sigmoid(bias[o] + sum_c weight[o, c] * x[n, c, pix])
//
// In PyTorch: torch.sigmoid(nn.Conv2d(Cin, Cout, 1)(x)). weight holds
// Cout*Cin values, bias Cout; hw is H*W.
func Head(y, x, weight, bias []float32, cin, cout, hw int) {
	n := len(x) / (cin * hw)
	for img := 0; img < n; img++ {
		in := x[img*cin*hw : (img+1)*cin*hw]
		for o := 0; o < cout; o++ {
			z := y[(img*cout+o)*hw : (img*cout+o+1)*hw]
			for k := range z {
				z[k] = bias[o]
			}
			for c := 0; c < cin; c++ {
				wt := weight[o*cin+c]
				for k, v := range in[c*hw : (c+1)*hw] {
					z[k] += wt * v
				}
			}
			for k, v := range z {
				z[k] = float32(1 / (1 + math.Exp(-float64(v))))
			}
		}
	}
}

// HeadBackward is the backward of Head: given its input x, its output y
// and dy = dL/dy, it writes dL/dx into dx (overwritten) and dL/dweight,
// dL/dbias into dW, dB (overwritten), using dz (len(y)) and sw (Cout*Cin +
// Cout) as scratch:
//
//	dz[n, o, pix] = dy * y * (1 - y)                        (the sigmoid)
//	dW[o, c]      = sum over n, pix of dz[n, o, pix] * x[n, c, pix]
//	dB[o]         = sum over n, pix of dz[n, o, pix]
//	dx[n, c, pix] = sum over o of weight[o, c] * dz[n, o, pix]
//
// The sums over n and pixels accumulate in float64.
//
// reference: Head.
func HeadBackward(dx, dW, dB, dz []float32, sw []float64, x, y, dy, weight []float32, cin, cout, hw int) {
	for k, v := range y {
		dz[k] = dy[k] * v * (1 - v)
	}
	for i := range sw {
		sw[i] = 0
	}
	sb := sw[cout*cin:]
	for i := range dx {
		dx[i] = 0
	}
	n := len(x) / (cin * hw)
	for img := 0; img < n; img++ {
		in, din := x[img*cin*hw:(img+1)*cin*hw], dx[img*cin*hw:(img+1)*cin*hw]
		for o := 0; o < cout; o++ {
			g := dz[(img*cout+o)*hw : (img*cout+o+1)*hw]
			var s float64
			for _, v := range g {
				s += float64(v)
			}
			sb[o] += s
			for c := 0; c < cin; c++ {
				wt := weight[o*cin+c]
				hc, dc := in[c*hw:(c+1)*hw], din[c*hw:(c+1)*hw]
				var s float64
				for k, v := range g {
					s += float64(v * hc[k])
					dc[k] += wt * v
				}
				sw[o*cin+c] += s
			}
		}
	}
	for i := range dW {
		dW[i] = float32(sw[i])
	}
	for i := range dB {
		dB[i] = float32(sb[i])
	}
}

// MSE returns mean((pred - target)^2) and writes its gradient
// 2 (pred - target) / n into grad.
func MSE(grad, pred, target []float32) float64 {
	n := float64(len(pred))
	var loss float64
	for k, p := range pred {
		d := p - target[k]
		loss += float64(d) * float64(d)
		grad[k] = float32(2 * float64(d) / n)
	}
	return loss / n
}
