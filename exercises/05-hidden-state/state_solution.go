//go:build solution

// Package hiddenstate is exercise 05: init_hidden and carrying the state.
// This file is the reference solution.
package hiddenstate

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// InitHidden returns the zero state of one cell.
func InitHidden(cell *convlstm.Cell, batchSize, height, width int) (convlstm.State, error) {
	if batchSize <= 0 || height <= 0 || width <= 0 {
		return convlstm.State{}, fmt.Errorf("hiddenstate: sizes must be positive, got (%d, %d, %d)", batchSize, height, width)
	}
	// Two separate tensors, as torch.zeros is called twice: code that
	// updated h in place must not change c.
	return convlstm.State{
		H: convlstm.Zeros(batchSize, cell.HiddenDim, height, width), // (B, hid, H, W)
		C: convlstm.Zeros(batchSize, cell.HiddenDim, height, width), // (B, hid, H, W)
	}, nil
}

// TimeSlice copies x[:, t] out of a (B, T, C, H, W) tensor.
func TimeSlice(x *convlstm.Tensor, t int) (*convlstm.Tensor, error) {
	if x == nil || x.Dim() != 5 {
		return nil, fmt.Errorf("hiddenstate: x must be 5-D (B, T, C, H, W)")
	}
	b, T := x.Shape[0], x.Shape[1]
	if t < 0 || t >= T {
		return nil, fmt.Errorf("hiddenstate: t = %d outside [0, %d)", t, T)
	}
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4] // one frame: C*H*W values
	out := convlstm.Zeros(b, x.Shape[2], x.Shape[3], x.Shape[4])
	for n := 0; n < b; n++ {
		// Frame [n, t] starts at (n*T + t) * inner.
		copy(out.Data[n*inner:(n+1)*inner], x.Data[(n*T+t)*inner:(n*T+t+1)*inner])
	}
	return out, nil
}

// Run is the time loop of one layer.
func Run(cell *convlstm.Cell, x *convlstm.Tensor, state *convlstm.State) (hs []*convlstm.Tensor, last convlstm.State, err error) {
	if x == nil || x.Dim() != 5 {
		return nil, convlstm.State{}, fmt.Errorf("hiddenstate: x must be 5-D (B, T, C, H, W)")
	}
	var hc convlstm.State
	if state != nil {
		hc = *state // continue where an earlier call stopped
	} else {
		// py: hidden_state = self._init_hidden(batch_size=b, image_size=(h, w))
		if hc, err = InitHidden(cell, x.Shape[0], x.Shape[3], x.Shape[4]); err != nil {
			return nil, convlstm.State{}, err
		}
	}
	// py: for t in range(seq_len):
	for t := 0; t < x.Shape[1]; t++ {
		xt, err := TimeSlice(x, t) // (B, C, H, W)
		if err != nil {
			return nil, convlstm.State{}, err
		}
		// py: h, c = self.cell_list[layer_idx](input_tensor=..., cur_state=[h, c])
		if hc, err = cell.Forward(xt, hc); err != nil {
			return nil, convlstm.State{}, err
		}
		// py: output_inner.append(h)
		hs = append(hs, hc.H)
	}
	return hs, hc, nil
}
