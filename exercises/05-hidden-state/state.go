//go:build !solution

// Package hiddenstate is exercise 05: init_hidden and carrying (h, c) from
// one time step to the next, and from one call to the next (stateful use).
// The task is in README.md; `make exercise N=05` runs the checks.
package hiddenstate

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// InitHidden mirrors ConvLSTMCell.init_hidden(batch_size, image_size):
//
//	height, width = image_size
//	return (torch.zeros(batch_size, self.hidden_dim, height, width, ...),
//	        torch.zeros(batch_size, self.hidden_dim, height, width, ...))
//
// It returns State{H, C} with two distinct zero tensors. It returns an error
// (not ErrNotImplemented) when a size is not positive. Do not call
// cell.InitHidden: it is what the checks compare with.
func InitHidden(cell *convlstm.Cell, batchSize, height, width int) (convlstm.State, error) {
	// TODO: two zero tensors (B, cell.HiddenDim, H, W).
	return convlstm.State{}, ErrNotImplemented
}

// TimeSlice mirrors cur_layer_input[:, t, :, :, :] for x (B, T, C, H, W):
// a new contiguous (B, C, H, W) tensor. It returns an error (not
// ErrNotImplemented) when x is not 5-D or t is outside [0, T).
func TimeSlice(x *convlstm.Tensor, t int) (*convlstm.Tensor, error) {
	// TODO: per batch item b, copy the block of x at [b, t].
	return nil, ErrNotImplemented
}

// Run runs one layer over a whole sequence, the inner loop of the seed's
// forward:
//
//	h, c = hidden_state[layer_idx]
//	for t in range(seq_len):
//	    h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :],
//	                                     cur_state=[h, c])
//	    output_inner.append(h)
//
// x is (B, T, C, H, W). state is the (h, c) to start from, or nil to start
// from InitHidden's zeros. It returns the T hidden states (B, hid, H, W) in
// time order and the last (h, c), which a later call can pass back in as
// state to continue the same sequence (stateful use). Use cell.Forward for
// the step.
func Run(cell *convlstm.Cell, x *convlstm.Tensor, state *convlstm.State) (hs []*convlstm.Tensor, last convlstm.State, err error) {
	// TODO: pick the starting state, loop over t, keep every h.
	return nil, convlstm.State{}, ErrNotImplemented
}
