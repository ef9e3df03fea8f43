//go:build !solution

// Package layerloop is exercise 06: the layer loop of ConvLSTM.forward, with
// the permute for batch_first=False, the stacking of the hidden states and
// return_all_layers. The task is in README.md; `make exercise N=06` runs the
// checks.
package layerloop

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs below until you write them.
var ErrNotImplemented = check.ErrNotImplemented

// Permute10 mirrors x.permute(1, 0, 2, 3, 4) followed by .contiguous(): a
// (T, B, C, H, W) tensor becomes a new (B, T, C, H, W) one (and the other way
// round). It returns an error (not ErrNotImplemented) when x is not 5-D.
func Permute10(x *convlstm.Tensor) (*convlstm.Tensor, error) {
	// TODO: out[j, i] = x[i, j], one C*H*W block at a time.
	return nil, ErrNotImplemented
}

// Stack1 mirrors torch.stack(output_inner, dim=1): T tensors (B, C, H, W)
// become one new (B, T, C, H, W) tensor with xs[t] at [:, t]. It returns an
// error (not ErrNotImplemented) when xs is empty or the shapes differ.
func Stack1(xs []*convlstm.Tensor) (*convlstm.Tensor, error) {
	// TODO: copy xs[t]'s batch item b to [b, t].
	return nil, ErrNotImplemented
}

// Forward mirrors ConvLSTM.forward(input_tensor, hidden_state) for the model
// m: the permute when !m.BatchFirst, one zero state per layer when hidden is
// nil (else hidden[l] is layer l's starting (h, c)), the layer-major loop over
// m.CellList (call each cell's Forward), the stack, and the cut to the last
// layer when !m.ReturnAllLayers. The outputs are (B, T, hid, H, W) whatever
// m.BatchFirst is, as in the seed. Use your Permute10 and Stack1, not
// convlstm's, and not m.Forward: those are what the checks compare with.
func Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hidden []convlstm.State) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	// TODO: the seed's forward, line by line.
	return nil, nil, ErrNotImplemented
}
