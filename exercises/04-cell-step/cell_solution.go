//go:build solution

// Package cellstep is exercise 04: one step of the ConvLSTM cell. This file
// is the reference solution.
package cellstep

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// Combine concatenates input and h along the channel axis.
func Combine(input, h *convlstm.Tensor) (*convlstm.Tensor, error) {
	if input == nil || h == nil || input.Dim() != 4 || h.Dim() != 4 {
		return nil, fmt.Errorf("cellstep: input and h must be 4-D (B, C, H, W)")
	}
	b, ci, hh, w := input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]
	if h.Shape[0] != b || h.Shape[2] != hh || h.Shape[3] != w {
		return nil, fmt.Errorf("cellstep: input %v and h %v differ in B, H or W", input.Shape, h.Shape)
	}
	ch, plane := h.Shape[1], hh*w
	out := convlstm.Zeros(b, ci+ch, hh, w) // (B, Cin+hid, H, W)
	for n := 0; n < b; n++ {
		dst := out.Data[n*(ci+ch)*plane:]
		copy(dst, input.Data[n*ci*plane:(n+1)*ci*plane])        // input channels first
		copy(dst[ci*plane:], h.Data[n*ch*plane:(n+1)*ch*plane]) // then the hidden ones
	}
	return out, nil
}

// Step is one cell step, line by line as the seed writes it.
func Step(input, h, c, weight, bias *convlstm.Tensor) (hNext, cNext *convlstm.Tensor, err error) {
	if h == nil || c == nil || h.Dim() != 4 || !convlstm.SameShape(h.Shape, c.Shape) {
		return nil, nil, fmt.Errorf("cellstep: h and c must be 4-D tensors of the same shape")
	}
	if weight == nil || weight.Dim() != 4 || weight.Shape[0] != 4*h.Shape[1] {
		return nil, nil, fmt.Errorf("cellstep: weight must be (4*hid, Cin+hid, kh, kw) with hid = %d", h.Shape[1])
	}
	// py: combined = torch.cat([input_tensor, h_cur], dim=1)
	combined, err := Combine(input, h) // (B, Cin+hid, H, W)
	if err != nil {
		return nil, nil, err
	}
	// py: combined_conv = self.conv(combined)
	cc, err := convlstm.Conv2d(combined, weight, bias) // (B, 4*hid, H, W)
	if err != nil {
		return nil, nil, err
	}
	if !convlstm.SameShape(cc.Shape, []int{h.Shape[0], 4 * h.Shape[1], h.Shape[2], h.Shape[3]}) {
		return nil, nil, fmt.Errorf("cellstep: conv output %v does not line up with the state %v (even kernel?)", cc.Shape, h.Shape)
	}
	// py: cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
	hid, plane := h.Shape[1], h.Shape[2]*h.Shape[3]
	gates := make([]*convlstm.Tensor, 4)
	for k := range gates {
		g := convlstm.Zeros(h.Shape...)
		for n := 0; n < h.Shape[0]; n++ {
			copy(g.Data[n*hid*plane:(n+1)*hid*plane], cc.Data[(n*4*hid+k*hid)*plane:])
		}
		gates[k] = g
	}
	// py: i = torch.sigmoid(cc_i); f = ...; o = ...; g = torch.tanh(cc_g)
	i, f, o, g := convlstm.Sigmoid(gates[0]), convlstm.Sigmoid(gates[1]), convlstm.Sigmoid(gates[2]), convlstm.Tanh(gates[3])
	// py: c_next = f * c_cur + i * g
	cNext = convlstm.Zeros(c.Shape...)
	for k := range cNext.Data {
		cNext.Data[k] = f.Data[k]*c.Data[k] + i.Data[k]*g.Data[k]
	}
	// py: h_next = o * torch.tanh(c_next)
	tc := convlstm.Tanh(cNext)
	hNext = convlstm.Zeros(c.Shape...)
	for k := range hNext.Data {
		hNext.Data[k] = o.Data[k] * tc.Data[k]
	}
	// py: return h_next, c_next
	return hNext, cNext, nil
}
