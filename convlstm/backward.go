package convlstm

import "fmt"

// Training: ForwardTrain runs the forward pass and keeps a Tape of what the
// backward pass needs; Backward walks the tape back through time and layers
// (backpropagation through time, BPTT) and returns the gradients.
//
//	tape, outs, states, err := m.ForwardTrain(x, nil)
//	// loss L(outs); dL/douts[k] has the shape of outs[k]
//	grads, err := m.Backward(tape, gradOuts)
//	// grads.Weights["cell_list.0.conv.weight"], grads.Input, ...
//
// The naive path keeps the per-step tensors of the readable forward and
// inverts it step by step (backward_cell.go, backward_conv.go); the fast
// path (backward_fast.go) keeps im2col matrices and uses matrix products.
// Which one runs is decided by the model's Path (Fast by default) at
// ForwardTrain time; Backward follows the tape.

// Tape records one ForwardTrain pass: the inputs and activations of every
// layer and time step. It refers to the model's weights, so call Backward
// before the weights change (before the optimizer step).
type Tape struct {
	model      *ConvLSTM
	inputShape []int // as passed to ForwardTrain
	b, t, h, w int
	// naive[l][t] is layer l at time step t (naive path).
	naive [][]stepTape
	// fast holds the fast path's tape (nil on the naive path).
	fast *bpttTape
}

// Fast reports whether the tape was recorded by the fast path.
func (tp *Tape) Fast() bool { return tp != nil && tp.fast != nil }

// Grads holds the gradients Backward computes.
type Grads struct {
	// Input is dL/dinput, with the shape of the input passed to
	// ForwardTrain ((T, B, C, H, W) when the model is not batch first).
	Input *Tensor
	// Weights holds dL/dparameter under the state_dict names,
	// cell_list.<l>.conv.weight and cell_list.<l>.conv.bias.
	Weights map[string]*Tensor
	// HiddenState holds dL/dh and dL/dc of the initial state of every
	// layer (the zeros, when no hidden state was passed).
	HiddenState []State
}

// ForwardTrain is Forward that also returns the Tape Backward needs. Its
// outputs are those of Forward: the same arguments, shapes and errors.
func (m *ConvLSTM) ForwardTrain(input *Tensor, hiddenState []State) (*Tape, []*Tensor, []State, error) {
	if err := m.checkForward(input, hiddenState); err != nil {
		return nil, nil, nil, err
	}
	if m.trainFast() {
		return m.forwardTrainFast(input, hiddenState)
	}
	return m.forwardTrainNaive(input, hiddenState)
}

// forwardTrainNaive is Forward (model.go) with a tape: the same loops, the
// same cell step; each step's inputs and outputs are kept.
//
// reference: ConvLSTM.Forward (model.go).
func (m *ConvLSTM) forwardTrainNaive(input *Tensor, hiddenState []State) (*Tape, []*Tensor, []State, error) {
	inputTensor := input
	// py: input_tensor = input_tensor.permute(1, 0, 2, 3, 4)
	if !m.BatchFirst {
		inputTensor = permute10(inputTensor) // (B, T, C, H, W)
	}
	b, seqLen, h, w := inputTensor.Shape[0], inputTensor.Shape[1], inputTensor.Shape[3], inputTensor.Shape[4]
	if hiddenState == nil {
		// py: hidden_state = self._init_hidden(batch_size=b, image_size=(h, w))
		hiddenState = m.initHidden(b, h, w)
	}
	tape := &Tape{model: m, inputShape: append([]int(nil), input.Shape...), b: b, t: seqLen, h: h, w: w,
		naive: make([][]stepTape, m.NumLayers)}
	var outs []*Tensor
	var states []State
	curLayerInput := inputTensor // (B, T, C, H, W)
	// py: for layer_idx in range(self.num_layers):
	for l := 0; l < m.NumLayers; l++ {
		// py: h, c = hidden_state[layer_idx]
		hc := hiddenState[l]
		outputInner := make([]*Tensor, 0, seqLen)
		// py: for t in range(seq_len):
		for t := 0; t < seqLen; t++ {
			x := timeSlice(curLayerInput, t) // (B, in, H, W)
			// py: h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :], cur_state=[h, c])
			step, err := m.CellList[l].forward(x, hc)
			if err != nil {
				return nil, nil, nil, err
			}
			tape.naive[l] = append(tape.naive[l], stepTape{X: x, HCur: hc.H, CCur: hc.C, Step: step})
			hc = State{H: step.H, C: step.C}
			// py: output_inner.append(h)
			outputInner = append(outputInner, hc.H)
		}
		// py: layer_output = torch.stack(output_inner, dim=1)
		layerOutput := stack1(outputInner) // (B, T, hid, H, W)
		// py: cur_layer_input = layer_output
		curLayerInput = layerOutput
		outs = append(outs, layerOutput)
		states = append(states, hc)
	}
	// py: if not self.return_all_layers: (keep the last layer only)
	if !m.ReturnAllLayers {
		outs, states = outs[len(outs)-1:], states[len(states)-1:]
	}
	return tape, outs, states, nil
}

// Backward returns the gradients of a loss L with respect to the input, the
// weights and the initial state, given gradOutputs[k] = dL/dlayer_output[k]
// for the outputs ForwardTrain returned (one per returned layer, same
// shapes; a nil entry counts as zero). The last states are taken not to
// reach the loss, as in the golden data.
func (m *ConvLSTM) Backward(tape *Tape, gradOutputs []*Tensor) (*Grads, error) {
	return m.backward(tape, gradOutputs, true)
}

// BackwardWeights is Backward without dL/dinput (Grads.Input is nil), which
// training does not need: on the fast path it saves the input half of the
// conv backward of layer 0.
func (m *ConvLSTM) BackwardWeights(tape *Tape, gradOutputs []*Tensor) (*Grads, error) {
	return m.backward(tape, gradOutputs, false)
}

func (m *ConvLSTM) backward(tape *Tape, gradOutputs []*Tensor, needInput bool) (*Grads, error) {
	if tape == nil {
		return nil, fmt.Errorf("convlstm: Backward: tape is nil; get one from ForwardTrain")
	}
	if tape.model != m {
		return nil, fmt.Errorf("convlstm: Backward: the tape was recorded by another model")
	}
	nOut := 1
	if m.ReturnAllLayers {
		nOut = m.NumLayers
	}
	if len(gradOutputs) != nOut {
		return nil, fmt.Errorf("convlstm: Backward: got %d output gradients, want %d (one per returned layer)", len(gradOutputs), nOut)
	}
	for k, g := range gradOutputs {
		if g == nil {
			continue
		}
		l := k
		if !m.ReturnAllLayers {
			l = m.NumLayers - 1
		}
		if err := checkShape(fmt.Sprintf("gradOutputs[%d]", k), g, tape.b, tape.t, m.HiddenDim[l], tape.h, tape.w); err != nil {
			return nil, fmt.Errorf("convlstm: Backward: %w (the shape of layer_output[%d])", err, k)
		}
	}
	for l, c := range m.CellList {
		if err := c.Conv.check(); err != nil {
			return nil, fmt.Errorf("convlstm: Backward: cell_list.%d: %w", l, err)
		}
	}
	if tape.fast != nil {
		return m.backwardFast(tape, gradOutputs, needInput)
	}
	return m.backwardNaive(tape, gradOutputs)
}

// gradOutputOf returns dL/dlayer_output of layer l, or nil when layer l is
// not returned (or its gradient is nil).
func (m *ConvLSTM) gradOutputOf(gradOutputs []*Tensor, l int) *Tensor {
	if m.ReturnAllLayers {
		return gradOutputs[l]
	}
	if l == m.NumLayers-1 {
		return gradOutputs[0]
	}
	return nil
}

// newGrads allocates zero weight gradients under the state_dict names.
func (m *ConvLSTM) newGrads() *Grads {
	g := &Grads{Weights: map[string]*Tensor{}, HiddenState: make([]State, m.NumLayers)}
	for k, p := range m.StateDict() {
		g.Weights[k] = Zeros(p.Shape...)
	}
	return g
}

// backwardNaive is BPTT over the naive tape.
//
// reference: forwardTrainNaive. The forward ran layer 0 over all of time,
// then layer 1, ...; the backward runs the layers in reverse, and inside a
// layer the time steps in reverse. The gradient reaching h_t of layer l is
// the sum of
//
//	dL/dlayer_output[l][:, t]       when layer l is returned,
//	dinput of layer l+1 at step t   (layer_output[l] is its input), and
//	dh_cur of layer l at step t+1   (h_t is the next step's h_cur);
//
// c_t gets only dc_cur of step t+1. After step 0 what is left is the
// gradient of the initial state.
func (m *ConvLSTM) backwardNaive(tape *Tape, gradOutputs []*Tensor) (*Grads, error) {
	grads := m.newGrads()
	b, T, h, w := tape.b, tape.t, tape.h, tape.w
	var dAbove *Tensor // dL/dlayer_output[l] from layer l+1's input, (B, T, hid_l, H, W)
	for l := m.NumLayers - 1; l >= 0; l-- {
		cell := m.CellList[l]
		hid := cell.HiddenDim
		dOut := Zeros(b, T, hid, h, w) // dL/dlayer_output[l]
		if g := m.gradOutputOf(gradOutputs, l); g != nil {
			addInto(dOut, g)
		}
		if dAbove != nil {
			addInto(dOut, dAbove)
		}
		dw := grads.Weights[fmt.Sprintf("cell_list.%d.conv.weight", l)].Data
		var db []float32
		if bt := grads.Weights[fmt.Sprintf("cell_list.%d.conv.bias", l)]; bt != nil {
			db = bt.Data
		}
		dInput := Zeros(b, T, cell.InputDim, h, w) // dL/dcur_layer_input
		dh := Zeros(b, hid, h, w)                  // carried from step t+1
		dc := Zeros(b, hid, h, w)
		for t := T - 1; t >= 0; t-- {
			// py: layer_output = torch.stack(output_inner, dim=1)
			// => the gradient of h_t is slab t of dOut, plus the carry.
			dht := timeSlice(dOut, t)
			addInto(dht, dh)
			var dx *Tensor
			dx, dh, dc = cell.backwardStep(&tape.naive[l][t], dht, dc, dw, db)
			// py: cur_layer_input[:, t, :, :, :]
			addTimeSlice(dInput, t, dx)
		}
		grads.HiddenState[l] = State{H: dh, C: dc}
		dAbove = dInput
	}
	// py: input_tensor = input_tensor.permute(1, 0, 2, 3, 4); a permutation
	// is its own inverse here.
	grads.Input = dAbove
	if !m.BatchFirst {
		grads.Input = permute10(dAbove)
	}
	return grads, nil
}
