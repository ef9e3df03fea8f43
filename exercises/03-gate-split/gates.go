//go:build !solution

// Package gates is exercise 03: the gate split. One convolution gives
// 4*hidden_dim channels; the seed cuts them into the pre-activations of the
// gates i, f, o and g, then squashes them. The task is in README.md;
// `make exercise N=03` runs the checks.
package gates

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// SplitGates mirrors
//
//	cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
//
// combinedConv is (B, 4*hiddenDim, H, W); each result is a new
// (B, hiddenDim, H, W) tensor. It returns an error (not ErrNotImplemented)
// when combinedConv is not 4-D or its channel count is not 4*hiddenDim.
// Write the copy yourself: convlstm.Split1 is what the checks compare with.
func SplitGates(combinedConv *convlstm.Tensor, hiddenDim int) (ccI, ccF, ccO, ccG *convlstm.Tensor, err error) {
	// TODO: copy channel block k (channels k*hid ... (k+1)*hid-1) of every
	// batch item into the k-th result.
	return nil, nil, nil, nil, ErrNotImplemented
}

// Activate mirrors the four lines after the split:
//
//	i = torch.sigmoid(cc_i); f = torch.sigmoid(cc_f)
//	o = torch.sigmoid(cc_o); g = torch.tanh(cc_g)
//
// It returns new tensors and leaves its arguments unchanged. Write the
// sigmoid and the tanh yourself: convlstm.Sigmoid and convlstm.Tanh are what
// the checks compare with.
func Activate(ccI, ccF, ccO, ccG *convlstm.Tensor) (i, f, o, g *convlstm.Tensor, err error) {
	// TODO: three sigmoids and one tanh, elementwise.
	return nil, nil, nil, nil, ErrNotImplemented
}
