package frameops

import "example.com/convlstm/convlstm"

// TimeRange returns x[:, t0:t1] of a (B, T, ...) tensor as a copy, in dst
// when it has the right shape (Reuse).
func TimeRange(dst, x *convlstm.Tensor, t0, t1 int) *convlstm.Tensor {
	B, T := x.Shape[0], x.Shape[1]
	inner := len(x.Data) / (B * T)
	var shape [8]int
	s := append(append(shape[:0], B, t1-t0), x.Shape[2:]...)
	out := Reuse(dst, s)
	for b := 0; b < B; b++ {
		copy(out.Data[b*(t1-t0)*inner:(b+1)*(t1-t0)*inner], x.Data[(b*T+t0)*inner:(b*T+t1)*inner])
	}
	return out
}

// BatchRange returns x[b0:b1] as a new tensor.
func BatchRange(x *convlstm.Tensor, b0, b1 int) *convlstm.Tensor {
	inner := len(x.Data) / x.Shape[0]
	out := convlstm.Zeros(append([]int{b1 - b0}, x.Shape[1:]...)...)
	copy(out.Data, x.Data[b0*inner:b1*inner])
	return out
}
