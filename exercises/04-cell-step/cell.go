//go:build !solution

// Package cellstep is exercise 04: one step of the ConvLSTM cell, from
// (input, h_cur, c_cur) to (h_next, c_next). The task is in README.md;
// `make exercise N=04` runs the checks.
package cellstep

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// Combine mirrors
//
//	combined = torch.cat([input_tensor, h_cur], dim=1)
//
// input is (B, Cin, H, W), h is (B, hid, H, W); the result is a new
// (B, Cin+hid, H, W) tensor, per batch item the input channels first, then
// the hidden ones. It returns an error (not ErrNotImplemented) when the
// tensors are not 4-D or B, H or W differ. Write the copy yourself:
// convlstm.Cat1 is what the checks compare with.
func Combine(input, h *convlstm.Tensor) (*convlstm.Tensor, error) {
	// TODO: per batch item, copy input's channels, then h's.
	return nil, ErrNotImplemented
}

// Step mirrors ConvLSTMCell.forward(input_tensor, cur_state): one time step.
//
// input is (B, Cin, H, W); h and c are (B, hid, H, W); weight is
// (4*hid, Cin+hid, kh, kw) and bias is (4*hid) or nil, as nn.Conv2d stores
// them (odd kh, kw). It returns hNext and cNext, new (B, hid, H, W) tensors,
// and an error (not ErrNotImplemented) for inconsistent shapes.
//
// You may call convlstm.Conv2d, convlstm.Sigmoid and convlstm.Tanh (you wrote
// the first in exercise 02 and the split in exercise 03), not the library's
// Cat1, Split1 or a Cell.
func Step(input, h, c, weight, bias *convlstm.Tensor) (hNext, cNext *convlstm.Tensor, err error) {
	// TODO: combine, conv, split into i, f, o, g, squash,
	// c_next = f*c + i*g, h_next = o*tanh(c_next).
	return nil, nil, ErrNotImplemented
}
