package bptt

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// Backward passes of the tensor operations of convlstm/ops.go. The data-movement ops
// (cat, split, stack, permute, slicing) only move values around, so their
// backward moves the gradients back to where the values came from; the
// nonlinearities multiply by their derivative, written in terms of their
// output y (which the forward keeps).

// sigmoidBackward returns dL/dx = dL/dy * y*(1-y) for y = sigmoid(x).
//
// reference: convlstm.Sigmoid. d/dx 1/(1+e^-x) = e^-x/(1+e^-x)^2 = y*(1-y).
func sigmoidBackward(dy, y float32) float32 { return dy * y * (1 - y) }

// tanhBackward returns dL/dx = dL/dy * (1-y^2) for y = tanh(x).
//
// reference: convlstm.Tanh. d/dx tanh(x) = 1 - tanh(x)^2.
func tanhBackward(dy, y float32) float32 { return dy * (1 - y*y) }

// split1Backward is the inverse of split1: torch.split along dim 1 hands
// each part a view of its own channel block, so the gradient of the whole is
// the parts' gradients put back side by side, which is cat along dim 1.
//
// reference: convlstm.Split1. parts are k tensors (B, size, H, W); the
// result is (B, k*size, H, W).
func split1Backward(parts []*convlstm.Tensor) *convlstm.Tensor {
	n, size := parts[0].Shape[0], parts[0].Shape[1]
	plane := parts[0].Shape[2] * parts[0].Shape[3]
	c := size * len(parts)
	out := convlstm.Zeros(n, c, parts[0].Shape[2], parts[0].Shape[3]) // (B, k*size, H, W)
	for p, part := range parts {
		for i := 0; i < n; i++ {
			copy(out.Data[(i*c+p*size)*plane:(i*c+(p+1)*size)*plane], part.Data[i*size*plane:(i+1)*size*plane])
		}
	}
	return out
}

// cat1Backward is the inverse of cat1: the first ca channels of the
// gradient belong to a, the rest to b. It is split1 with unequal sizes.
//
// reference: convlstm.Cat1. g is (B, Ca+Cb, H, W); it returns
// (B, Ca, H, W) and (B, Cb, H, W).
func cat1Backward(g *convlstm.Tensor, ca int) (da, db *convlstm.Tensor) {
	n, c := g.Shape[0], g.Shape[1]
	cb := c - ca
	plane := g.Shape[2] * g.Shape[3]
	da = convlstm.Zeros(n, ca, g.Shape[2], g.Shape[3]) // (B, Ca, H, W)
	db = convlstm.Zeros(n, cb, g.Shape[2], g.Shape[3]) // (B, Cb, H, W)
	for i := 0; i < n; i++ {
		src := g.Data[i*c*plane:]
		copy(da.Data[i*ca*plane:(i+1)*ca*plane], src[:ca*plane])
		copy(db.Data[i*cb*plane:(i+1)*cb*plane], src[ca*plane:c*plane])
	}
	return da, db
}

// addTimeSlice is the backward of timeSlice: x[:, t] read the slab t of
// every batch item, so its gradient g (B, C, H, W) is added back into slab t
// of dx (B, T, C, H, W). It is also the backward of stack1 read the other
// way: stack1 wrote xs[t] into slab t, so the gradient of xs[t] is
// timeSlice(dstack, t).
//
// reference: timeSlice.
func addTimeSlice(dx *convlstm.Tensor, t int, g *convlstm.Tensor) {
	b, T := dx.Shape[0], dx.Shape[1]
	inner := dx.Shape[2] * dx.Shape[3] * dx.Shape[4]
	for i := 0; i < b; i++ {
		dst := dx.Data[(i*T+t)*inner : (i*T+t+1)*inner]
		src := g.Data[i*inner : (i+1)*inner]
		for k := range dst {
			dst[k] += src[k]
		}
	}
}

// addInto adds src into dst elementwise (shapes equal).
func addInto(dst, src *convlstm.Tensor) {
	for k, v := range src.Data {
		dst.Data[k] += v
	}
}

// timeSlice mirrors x[:, t, :, :, :] for x (B, T, C, H, W): a new
// (B, C, H, W) tensor holding time step t of every batch item.
func timeSlice(x *convlstm.Tensor, t int) *convlstm.Tensor {
	b, T := x.Shape[0], x.Shape[1]
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4]
	out := convlstm.Zeros(b, x.Shape[2], x.Shape[3], x.Shape[4]) // (B, C, H, W)
	for i := 0; i < b; i++ {
		copy(out.Data[i*inner:(i+1)*inner], x.Data[(i*T+t)*inner:(i*T+t+1)*inner])
	}
	return out
}

// checkShape returns an error naming arg when t is nil, inconsistent or
// not of shape want.
func checkShape(arg string, t *convlstm.Tensor, want ...int) error {
	if t == nil {
		return fmt.Errorf("%s is nil, want shape %v", arg, append([]int(nil), want...))
	}
	if !convlstm.SameShape(t.Shape, want) {
		return fmt.Errorf("%s has shape %v, want %v", arg, t.Shape, append([]int(nil), want...))
	}
	if len(t.Data) != prod(want) {
		return fmt.Errorf("%s has %d values but shape %v", arg, len(t.Data), t.Shape)
	}
	return nil
}

func prod(s []int) int {
	n := 1
	for _, v := range s {
		n *= v
	}
	return n
}

// shapeOf returns t's shape, or nil for a nil tensor, for error messages.
func shapeOf(t *convlstm.Tensor) []int {
	if t == nil {
		return nil
	}
	return t.Shape
}

// valid checks that t's sizes are positive and match its data.
func valid(arg string, t *convlstm.Tensor) error {
	for _, s := range t.Shape {
		if s <= 0 {
			return fmt.Errorf("%s has shape %v: sizes must be positive", arg, t.Shape)
		}
	}
	if len(t.Data) != prod(t.Shape) {
		return fmt.Errorf("%s has %d values but shape %v needs %d", arg, len(t.Data), t.Shape, prod(t.Shape))
	}
	return nil
}
