package convlstm

import "math"

// The few tensor operations the seed calls, each written out as loops on
// row-major data. Callers validate shapes first.

// cat1 mirrors torch.cat([a, b], dim=1) for (B, Ca, H, W) and (B, Cb, H, W):
// per batch item, the Ca channels of a come first, then the Cb of b.
func cat1(a, b *Tensor) *Tensor {
	n, ca, cb := a.Shape[0], a.Shape[1], b.Shape[1]
	plane := a.Shape[2] * a.Shape[3]
	out := Zeros(n, ca+cb, a.Shape[2], a.Shape[3]) // (B, Ca+Cb, H, W)
	for i := 0; i < n; i++ {
		dst := out.Data[i*(ca+cb)*plane:]
		copy(dst, a.Data[i*ca*plane:(i+1)*ca*plane])
		copy(dst[ca*plane:], b.Data[i*cb*plane:(i+1)*cb*plane])
	}
	return out
}

// split1 mirrors torch.split(x, size, dim=1) for x (B, k*size, H, W): it
// returns k tensors (B, size, H, W), channels [0, size), [size, 2*size), ...
func split1(x *Tensor, size int) []*Tensor {
	n, c := x.Shape[0], x.Shape[1]
	plane := x.Shape[2] * x.Shape[3]
	parts := make([]*Tensor, c/size)
	for p := range parts {
		t := Zeros(n, size, x.Shape[2], x.Shape[3]) // (B, size, H, W)
		for i := 0; i < n; i++ {
			src := x.Data[(i*c+p*size)*plane : (i*c+(p+1)*size)*plane]
			copy(t.Data[i*size*plane:], src)
		}
		parts[p] = t
	}
	return parts
}

// addHadamard adds w∘c to acc in place and returns acc: acc and c are
// (B, hid, H, W), w is (hid, H, W), the same for every batch item.
func addHadamard(acc, w, c *Tensor) *Tensor {
	for k := range acc.Data {
		acc.Data[k] += w.Data[k%len(w.Data)] * c.Data[k]
	}
	return acc
}

// Sigmoid returns 1/(1+exp(-x)) elementwise, in a new tensor (torch.sigmoid);
// nil for nil.
func Sigmoid(x *Tensor) *Tensor { return elementwise(x, sigmoid32) }

// Tanh returns tanh(x) elementwise, in a new tensor (torch.tanh); nil for nil.
func Tanh(x *Tensor) *Tensor { return elementwise(x, tanh32) }

// elementwise returns f applied to every value of x, in a new tensor.
func elementwise(x *Tensor, f func(float32) float32) *Tensor {
	if x == nil {
		return nil
	}
	out := &Tensor{Shape: append([]int(nil), x.Shape...), Data: make([]float32, len(x.Data))}
	for i, v := range x.Data {
		out.Data[i] = f(v)
	}
	return out
}

// sigmoid32 evaluates the logistic function in float64 and rounds once, so
// the float32 result is as close to exact as float32 allows; where exp(-v)
// overflows float32 (v < -88.72) it is 0, as PyTorch's float32 exp makes it.
func sigmoid32(v float32) float32 {
	e := math.Exp(-float64(v))
	if e > math.MaxFloat32 {
		return 0
	}
	return float32(1 / (1 + e))
}

// tanh32 is tanh evaluated in float64 and rounded once to float32.
func tanh32(v float32) float32 { return float32(math.Tanh(float64(v))) }

// permute10 mirrors x.permute(1, 0, 2, 3, 4) on a 5-D tensor, copying into
// contiguous memory: (T, B, C, H, W) -> (B, T, C, H, W) and back.
func permute10(x *Tensor) *Tensor {
	d0, d1 := x.Shape[0], x.Shape[1]
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4]
	out := Zeros(d1, d0, x.Shape[2], x.Shape[3], x.Shape[4])
	for i := 0; i < d0; i++ {
		for j := 0; j < d1; j++ {
			copy(out.Data[(j*d0+i)*inner:(j*d0+i+1)*inner], x.Data[(i*d1+j)*inner:(i*d1+j+1)*inner])
		}
	}
	return out
}

// timeSlice mirrors x[:, t, :, :, :] for x (B, T, C, H, W), returning a
// contiguous (B, C, H, W) copy.
func timeSlice(x *Tensor, t int) *Tensor {
	b, T := x.Shape[0], x.Shape[1]
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4]
	out := Zeros(b, x.Shape[2], x.Shape[3], x.Shape[4]) // (B, C, H, W)
	for i := 0; i < b; i++ {
		copy(out.Data[i*inner:(i+1)*inner], x.Data[(i*T+t)*inner:(i*T+t+1)*inner])
	}
	return out
}

// stack1 mirrors torch.stack(xs, dim=1) for T tensors (B, C, H, W): the
// result is (B, T, C, H, W) with xs[t] at [:, t].
func stack1(xs []*Tensor) *Tensor {
	T := len(xs)
	b := xs[0].Shape[0]
	inner := xs[0].Shape[1] * xs[0].Shape[2] * xs[0].Shape[3]
	out := Zeros(b, T, xs[0].Shape[1], xs[0].Shape[2], xs[0].Shape[3]) // (B, T, C, H, W)
	for t, x := range xs {
		for i := 0; i < b; i++ {
			copy(out.Data[(i*T+t)*inner:(i*T+t+1)*inner], x.Data[i*inner:(i+1)*inner])
		}
	}
	return out
}
