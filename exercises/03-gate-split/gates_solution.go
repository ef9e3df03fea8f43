//go:build solution

// Package gates is exercise 03: the gate split. This file is the reference
// solution.
package gates

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// SplitGates cuts the channel axis into four blocks of hiddenDim channels,
// in the order i, f, o, g.
func SplitGates(combinedConv *convlstm.Tensor, hiddenDim int) (ccI, ccF, ccO, ccG *convlstm.Tensor, err error) {
	if combinedConv == nil || combinedConv.Dim() != 4 {
		return nil, nil, nil, nil, fmt.Errorf("gates: combined_conv must be 4-D (B, 4*hid, H, W)")
	}
	b, c, h, w := combinedConv.Shape[0], combinedConv.Shape[1], combinedConv.Shape[2], combinedConv.Shape[3]
	if hiddenDim <= 0 || c != 4*hiddenDim {
		return nil, nil, nil, nil, fmt.Errorf("gates: combined_conv has %d channels, want 4*hidden_dim = 4*%d", c, hiddenDim)
	}
	plane := h * w
	parts := make([]*convlstm.Tensor, 4)
	for k := range parts {
		p := convlstm.Zeros(b, hiddenDim, h, w) // (B, hid, H, W)
		for n := 0; n < b; n++ {
			// Batch item n, channels [k*hid, (k+1)*hid): one contiguous run.
			src := combinedConv.Data[(n*c+k*hiddenDim)*plane : (n*c+(k+1)*hiddenDim)*plane]
			copy(p.Data[n*hiddenDim*plane:], src)
		}
		parts[k] = p
	}
	return parts[0], parts[1], parts[2], parts[3], nil
}

// Activate applies sigmoid to i, f, o and tanh to g.
func Activate(ccI, ccF, ccO, ccG *convlstm.Tensor) (i, f, o, g *convlstm.Tensor, err error) {
	for _, t := range []*convlstm.Tensor{ccI, ccF, ccO, ccG} {
		if t == nil {
			return nil, nil, nil, nil, fmt.Errorf("gates: nil pre-activation")
		}
	}
	return apply(ccI, sigmoid), apply(ccF, sigmoid), apply(ccO, sigmoid), apply(ccG, tanh), nil
}

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
func tanh(v float64) float64    { return math.Tanh(v) }

// apply returns fn(x) elementwise, computed in float64 and rounded once.
func apply(x *convlstm.Tensor, fn func(float64) float64) *convlstm.Tensor {
	out := convlstm.Zeros(x.Shape...)
	for k, v := range x.Data {
		out.Data[k] = float32(fn(float64(v)))
	}
	return out
}
