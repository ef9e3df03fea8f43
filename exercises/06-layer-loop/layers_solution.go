//go:build solution

// Package layerloop is exercise 06: the layer loop of ConvLSTM.forward. This
// file is the reference solution.
package layerloop

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// Permute10 swaps the first two axes of a 5-D tensor.
func Permute10(x *convlstm.Tensor) (*convlstm.Tensor, error) {
	if x == nil || x.Dim() != 5 {
		return nil, fmt.Errorf("layerloop: permute(1, 0, 2, 3, 4) needs a 5-D tensor")
	}
	d0, d1 := x.Shape[0], x.Shape[1]
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4] // the C*H*W block moves as a whole
	out := convlstm.Zeros(d1, d0, x.Shape[2], x.Shape[3], x.Shape[4])
	for i := 0; i < d0; i++ {
		for j := 0; j < d1; j++ {
			copy(out.Data[(j*d0+i)*inner:(j*d0+i+1)*inner], x.Data[(i*d1+j)*inner:(i*d1+j+1)*inner])
		}
	}
	return out, nil
}

// Stack1 stacks T (B, C, H, W) tensors on a new axis 1.
func Stack1(xs []*convlstm.Tensor) (*convlstm.Tensor, error) {
	if len(xs) == 0 || xs[0] == nil || xs[0].Dim() != 4 {
		return nil, fmt.Errorf("layerloop: stack needs at least one 4-D tensor")
	}
	for t, x := range xs {
		if x == nil || !convlstm.SameShape(x.Shape, xs[0].Shape) {
			return nil, fmt.Errorf("layerloop: stack: tensor %d has another shape than tensor 0 %v", t, xs[0].Shape)
		}
	}
	T, b := len(xs), xs[0].Shape[0]
	inner := xs[0].Shape[1] * xs[0].Shape[2] * xs[0].Shape[3]
	out := convlstm.Zeros(b, T, xs[0].Shape[1], xs[0].Shape[2], xs[0].Shape[3]) // (B, T, C, H, W)
	for t, x := range xs {
		for n := 0; n < b; n++ {
			copy(out.Data[(n*T+t)*inner:(n*T+t+1)*inner], x.Data[n*inner:(n+1)*inner])
		}
	}
	return out, nil
}

// Forward is the seed's ConvLSTM.forward.
func Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hidden []convlstm.State) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	if input == nil || input.Dim() != 5 {
		return nil, nil, fmt.Errorf("layerloop: input must be 5-D")
	}
	x := input
	// py: if not self.batch_first:
	// py:     input_tensor = input_tensor.permute(1, 0, 2, 3, 4)
	if !m.BatchFirst {
		if x, err = Permute10(x); err != nil {
			return nil, nil, err
		}
	}
	// py: b, _, _, h, w = input_tensor.size()
	b, T, h, w := x.Shape[0], x.Shape[1], x.Shape[3], x.Shape[4]
	// py: hidden_state = self._init_hidden(batch_size=b, image_size=(h, w))
	if hidden == nil {
		for l := 0; l < m.NumLayers; l++ {
			s, err := m.CellList[l].InitHidden(b, h, w)
			if err != nil {
				return nil, nil, err
			}
			hidden = append(hidden, s)
		}
	}
	if len(hidden) != m.NumLayers {
		return nil, nil, fmt.Errorf("layerloop: %d states for %d layers", len(hidden), m.NumLayers)
	}
	cur := x // py: cur_layer_input = input_tensor
	// py: for layer_idx in range(self.num_layers):
	for l := 0; l < m.NumLayers; l++ {
		hc := hidden[l] // py: h, c = hidden_state[layer_idx]
		var inner []*convlstm.Tensor
		// py: for t in range(seq_len):
		for t := 0; t < T; t++ {
			frame := frameAt(cur, t) // cur_layer_input[:, t, :, :, :]
			if hc, err = m.CellList[l].Forward(frame, hc); err != nil {
				return nil, nil, fmt.Errorf("layerloop: layer %d, t=%d: %w", l, t, err)
			}
			inner = append(inner, hc.H) // py: output_inner.append(h)
		}
		// py: layer_output = torch.stack(output_inner, dim=1)
		out, err := Stack1(inner) // (B, T, hid, H, W)
		if err != nil {
			return nil, nil, err
		}
		cur = out // py: cur_layer_input = layer_output
		layerOutputs = append(layerOutputs, out)
		lastStates = append(lastStates, hc) // py: last_state_list.append([h, c])
	}
	// py: if not self.return_all_layers:
	if !m.ReturnAllLayers {
		layerOutputs = layerOutputs[len(layerOutputs)-1:] // py: layer_output_list[-1:]
		lastStates = lastStates[len(lastStates)-1:]       // py: last_state_list[-1:]
	}
	return layerOutputs, lastStates, nil
}

// frameAt copies x[:, t] out of a (B, T, C, H, W) tensor.
func frameAt(x *convlstm.Tensor, t int) *convlstm.Tensor {
	b, T, inner := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]*x.Shape[4]
	out := convlstm.Zeros(b, x.Shape[2], x.Shape[3], x.Shape[4])
	for n := 0; n < b; n++ {
		copy(out.Data[n*inner:(n+1)*inner], x.Data[(n*T+t)*inner:(n*T+t+1)*inner])
	}
	return out
}
