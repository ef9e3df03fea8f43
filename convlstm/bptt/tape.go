package bptt

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// Tape records one training forward pass: what the backward pass needs of
// every layer and time step. It refers to the model's weights, so call
// Backward before they change (before the optimiser step).
type Tape struct {
	model      *convlstm.ConvLSTM
	inputShape []int // as passed to the forward
	b, t, h, w int
	cells      []convlstm.Cell // each layer's sizes at record time (no weights)
	// naive[l][t] is layer l at time step t (Forward, the readable path).
	naive [][]stepTape
	// fast is the fast path's tape (ForwardFast), nil on the readable path.
	fast *fastTape
}

// checkTape returns an error when recording a tape of m on input, and the
// backward over it, would allocate past convlstm's limits (MaxElements per
// tensor, MaxCallBytes in all; see convlstm.CheckAlloc). It counts, per
// layer, the recorded sequences (inputs, states and the four gates of
// every step, and the backward's gradients of them: 16 (B, T, hid, H, W)
// tensors, an upper bound of either path) and the fast path's padded
// planes (padGeom: of the layer input, of h with the initial state, of the
// gate gradients and of the input gradient), which can be several times
// the size of their frames when the frames are small. The input is valid
// (CheckForward passed).
func checkTape(m *convlstm.ConvLSTM, input *convlstm.Tensor) error {
	b, t := input.Shape[0], input.Shape[1]
	if !m.BatchFirst {
		b, t = t, b
	}
	h, w := input.Shape[3], input.Shape[4]
	g := newPadGeom(m, h, w)
	ld, ldh := g.plane(t*b), g.plane((t+1)*b)
	mr := func(n int) int { return (n + kernel.MR - 1) / kernel.MR * kernel.MR }
	shapes := [][]int{input.Shape, input.Shape, {m.InputDim, ld}}
	for _, c := range m.CellList {
		seq := []int{b, t, c.HiddenDim, h, w}
		for i := 0; i < 16; i++ {
			shapes = append(shapes, seq)
		}
		shapes = append(shapes, []int{c.HiddenDim, ldh}, []int{4 * c.HiddenDim, ld}, []int{mr(c.InputDim), ld}, []int{mr(c.HiddenDim), g.plane(b)})
	}
	return convlstm.CheckAlloc("bptt: the training forward and backward", shapes...)
}

// recordCells keeps the sizes of m's cells, to check them at Backward.
func recordCells(m *convlstm.ConvLSTM) []convlstm.Cell {
	cells := make([]convlstm.Cell, len(m.CellList))
	for l, c := range m.CellList {
		cells[l] = convlstm.Cell{InputDim: c.InputDim, HiddenDim: c.HiddenDim, KernelSize: c.KernelSize, WCi: c.WCi}
	}
	return cells
}

// Grads holds the gradients Backward computes.
type Grads struct {
	// Input is dL/dinput, with the shape of the input the forward was given
	// ((T, B, C, H, W) when the model is not batch first); nil from
	// BackwardWeights.
	Input *convlstm.Tensor
	// Weights holds dL/dparameter under the state_dict names,
	// cell_list.<l>.conv.weight, cell_list.<l>.conv.bias and, in a
	// peephole model, cell_list.<l>.W_ci, .W_cf and .W_co.
	Weights map[string]*convlstm.Tensor
	// HiddenState holds dL/dh and dL/dc of the initial state of every
	// layer (the zeros, when no hidden state was passed).
	HiddenState []convlstm.State
}

// Forward is m.Forward that also returns the Tape Backward needs: the same
// arguments, outputs and errors. It runs the readable cell step
// (Cell.ForwardGates) in the readable layer loop and keeps each step's
// inputs and outputs.
//
// reference: ConvLSTM.Forward (convlstm/model.go).
func Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (*Tape, []*convlstm.Tensor, []convlstm.State, error) {
	if err := m.CheckForward(input, hiddenState); err != nil {
		return nil, nil, nil, err
	}
	if err := checkTape(m, input); err != nil {
		return nil, nil, nil, err
	}
	inputTensor := input
	// py: input_tensor = input_tensor.permute(1, 0, 2, 3, 4)
	if !m.BatchFirst {
		var err error
		if inputTensor, err = convlstm.Permute10(inputTensor); err != nil { // (B, T, C, H, W)
			return nil, nil, nil, err
		}
	}
	b, seqLen, h, w := inputTensor.Shape[0], inputTensor.Shape[1], inputTensor.Shape[3], inputTensor.Shape[4]
	if hiddenState == nil {
		// py: hidden_state = self._init_hidden(batch_size=b, image_size=(h, w))
		var err error
		if hiddenState, err = m.InitHidden(b, h, w); err != nil {
			return nil, nil, nil, err
		}
	}
	tape := &Tape{model: m, inputShape: append([]int(nil), input.Shape...), b: b, t: seqLen, h: h, w: w,
		cells: recordCells(m), naive: make([][]stepTape, m.NumLayers)}
	var outs []*convlstm.Tensor
	var states []convlstm.State
	curLayerInput := inputTensor // (B, T, C, H, W)
	// py: for layer_idx in range(self.num_layers):
	for l := 0; l < m.NumLayers; l++ {
		// py: h, c = hidden_state[layer_idx]
		hc := hiddenState[l]
		outputInner := make([]*convlstm.Tensor, 0, seqLen)
		// py: for t in range(seq_len):
		for t := 0; t < seqLen; t++ {
			x := timeSlice(curLayerInput, t) // (B, in, H, W)
			// py: h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :], cur_state=[h, c])
			step, err := m.CellList[l].ForwardGates(x, hc)
			if err != nil {
				return nil, nil, nil, err
			}
			tape.naive[l] = append(tape.naive[l], stepTape{X: x, HCur: hc.H, CCur: hc.C, Step: step})
			hc = convlstm.State{H: step.H, C: step.C}
			// py: output_inner.append(h)
			outputInner = append(outputInner, hc.H)
		}
		// py: layer_output = torch.stack(output_inner, dim=1)
		layerOutput, err := convlstm.Stack1(outputInner) // (B, T, hid, H, W)
		if err != nil {
			return nil, nil, nil, err
		}
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
// for the outputs the forward returned (one per returned layer, same
// shapes; a nil entry counts as zero). The last states are taken not to
// reach the loss, as in the golden data. The tape says which backward runs:
// the readable one for Forward's tape, the fast one for ForwardFast's.
func Backward(tape *Tape, gradOutputs []*convlstm.Tensor) (*Grads, error) {
	return backwardNew(tape, gradOutputs, nil, true)
}

// BackwardStates is Backward for a loss that also reads the last states:
// gradLastStates[k] holds dL/dh and dL/dc of lastStates[k] as the forward
// returned them (one per returned layer; nil, or a State with nil H or C,
// counts as zero). An encoder whose last states start a forecaster passes
// the forecaster's Grads.HiddenState here.
func BackwardStates(tape *Tape, gradOutputs []*convlstm.Tensor, gradLastStates []convlstm.State) (*Grads, error) {
	return backwardNew(tape, gradOutputs, gradLastStates, true)
}

// BackwardWeights is Backward without dL/dinput (Grads.Input is nil), which
// training does not need: on the fast path it saves the input half of the
// conv backward of layer 0.
func BackwardWeights(tape *Tape, gradOutputs []*convlstm.Tensor) (*Grads, error) {
	return backwardNew(tape, gradOutputs, nil, false)
}

// backwardNew is backward with gradients of the caller's own: on a fast
// tape, backward computes them into the tape's memory (a Trainer's
// Backward returns them so), which a second Backward over the tape would
// overwrite, so they are copied out.
func backwardNew(tape *Tape, gradOutputs []*convlstm.Tensor, gradLast []convlstm.State, needInput bool) (*Grads, error) {
	g, err := backward(tape, gradOutputs, gradLast, needInput)
	if err != nil || tape.fast == nil {
		return g, err
	}
	c := &Grads{Input: g.Input.Clone(), Weights: make(map[string]*convlstm.Tensor, len(g.Weights)), HiddenState: make([]convlstm.State, len(g.HiddenState))}
	for k, w := range g.Weights {
		c.Weights[k] = w.Clone()
	}
	for l, s := range g.HiddenState {
		c.HiddenState[l] = convlstm.State{H: s.H.Clone(), C: s.C.Clone()}
	}
	return c, nil
}

func backward(tape *Tape, gradOutputs []*convlstm.Tensor, gradLast []convlstm.State, needInput bool) (grads *Grads, err error) {
	defer func() {
		if r := recover(); r != nil {
			grads, err = nil, internalError("Backward", r)
		}
	}()
	if tape == nil || tape.model == nil {
		return nil, fmt.Errorf("bptt: Backward: tape is nil; get one from Forward or ForwardFast")
	}
	m := tape.model
	// The weights must still have the shapes the tape was recorded with.
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("bptt: Backward: %w", err)
	}
	if len(tape.cells) != len(m.CellList) {
		return nil, fmt.Errorf("bptt: Backward: the tape has %d layers, the model %d: the model changed after the forward", len(tape.cells), len(m.CellList))
	}
	for l, c := range m.CellList {
		r := tape.cells[l]
		if c.InputDim != r.InputDim || c.HiddenDim != r.HiddenDim || c.KernelSize != r.KernelSize {
			return nil, fmt.Errorf("bptt: Backward: cell_list.%d has input_dim %d, hidden_dim %d, kernel_size %v; the tape was recorded with %d, %d, %v",
				l, c.InputDim, c.HiddenDim, c.KernelSize, r.InputDim, r.HiddenDim, r.KernelSize)
		}
		if p := c.WCi != nil; p != (r.WCi != nil) || p && (c.WCi.Shape[1] != tape.h || c.WCi.Shape[2] != tape.w) {
			return nil, fmt.Errorf("bptt: Backward: cell_list.%d: peephole weights %v, but the tape was recorded with peepholes %v on frames of (%d, %d)",
				l, shapeOf(c.WCi), r.WCi != nil, tape.h, tape.w)
		}
	}
	nOut := 1
	if m.ReturnAllLayers {
		nOut = m.NumLayers
	}
	if len(gradOutputs) != nOut {
		return nil, fmt.Errorf("bptt: Backward: got %d output gradients, want %d (one per returned layer)", len(gradOutputs), nOut)
	}
	for k, g := range gradOutputs {
		if g == nil {
			continue
		}
		l := k
		if !m.ReturnAllLayers {
			l = m.NumLayers - 1
		}
		if checkShape("", g, tape.b, tape.t, m.HiddenDim[l], tape.h, tape.w) != nil { // the name only for the message
			err := checkShape(fmt.Sprintf("gradOutputs[%d]", k), g, tape.b, tape.t, m.HiddenDim[l], tape.h, tape.w)
			return nil, fmt.Errorf("bptt: Backward: %w (the shape of layer_output[%d])", err, k)
		}
	}
	if gradLast != nil && len(gradLast) != nOut {
		return nil, fmt.Errorf("bptt: Backward: got %d last-state gradients, want %d (one per returned layer) or none", len(gradLast), nOut)
	}
	for k, g := range gradLast {
		l := k
		if !m.ReturnAllLayers {
			l = m.NumLayers - 1
		}
		for _, t := range []struct {
			name string
			x    *convlstm.Tensor
		}{{"h", g.H}, {"c", g.C}} {
			if t.x == nil {
				continue
			}
			if checkShape("", t.x, tape.b, m.HiddenDim[l], tape.h, tape.w) != nil {
				err := checkShape(fmt.Sprintf("gradLastStates[%d].%s", k, t.name), t.x, tape.b, m.HiddenDim[l], tape.h, tape.w)
				return nil, fmt.Errorf("bptt: Backward: %w (the shape of lastStates[%d])", err, k)
			}
		}
	}
	if tape.fast != nil {
		return backwardFast(tape, gradOutputs, gradLast, needInput)
	}
	g := backwardNaive(tape, gradOutputs, gradLast)
	if !needInput {
		g.Input = nil
	}
	return g, nil
}

// gradLastOf returns dL/d(last state) of layer l, zero when layer l is not
// returned or no gradient was given.
func gradLastOf(m *convlstm.ConvLSTM, gradLast []convlstm.State, l int) convlstm.State {
	if gradLast == nil {
		return convlstm.State{}
	}
	if m.ReturnAllLayers {
		return gradLast[l]
	}
	if l == m.NumLayers-1 {
		return gradLast[0]
	}
	return convlstm.State{}
}

// gradOutputOf returns dL/dlayer_output of layer l, or nil when layer l is
// not returned (or its gradient is nil).
func gradOutputOf(m *convlstm.ConvLSTM, gradOutputs []*convlstm.Tensor, l int) *convlstm.Tensor {
	if m.ReturnAllLayers {
		return gradOutputs[l]
	}
	if l == m.NumLayers-1 {
		return gradOutputs[0]
	}
	return nil
}

// newGrads allocates zero weight gradients under the state_dict names.
// paramKey is the state_dict name of parameter n of layer l,
// fmt.Sprintf("cell_list.%d.%s", l, n), from a table for the first layers,
// so that the backward builds no strings.
func paramKey(l int, n string) string {
	if l < len(paramKeys) {
		if k, ok := paramKeys[l][n]; ok {
			return k
		}
	}
	return fmt.Sprintf("cell_list.%d.%s", l, n)
}

var paramKeys = func() (t [8]map[string]string) {
	for l := range t {
		t[l] = map[string]string{}
		for _, n := range []string{"conv.weight", "conv.bias", "W_ci", "W_cf", "W_co"} {
			t[l][n] = fmt.Sprintf("cell_list.%d.%s", l, n)
		}
	}
	return t
}()

func newGrads(m *convlstm.ConvLSTM) *Grads {
	g := &Grads{Weights: map[string]*convlstm.Tensor{}, HiddenState: make([]convlstm.State, m.NumLayers)}
	for k, p := range m.StateDict() {
		g.Weights[k] = convlstm.Zeros(p.Shape...)
	}
	return g
}

// backwardNaive is BPTT over the readable tape.
//
// reference: Forward. The forward ran layer 0 over all of time, then layer
// 1, ...; the backward runs the layers in reverse, and inside a layer the
// time steps in reverse. The gradient reaching h_t of layer l is the sum of
//
//	dL/dlayer_output[l][:, t]       when layer l is returned,
//	dinput of layer l+1 at step t   (layer_output[l] is its input), and
//	dh_cur of layer l at step t+1   (h_t is the next step's h_cur);
//
// c_t gets only dc_cur of step t+1. After step 0 what is left is the
// gradient of the initial state.
func backwardNaive(tape *Tape, gradOutputs []*convlstm.Tensor, gradLast []convlstm.State) *Grads {
	m := tape.model
	grads := newGrads(m)
	b, T, h, w := tape.b, tape.t, tape.h, tape.w
	var dAbove *convlstm.Tensor // dL/dlayer_output[l] from layer l+1's input, (B, T, hid_l, H, W)
	for l := m.NumLayers - 1; l >= 0; l-- {
		cell := m.CellList[l]
		hid := cell.HiddenDim
		dOut := convlstm.Zeros(b, T, hid, h, w) // dL/dlayer_output[l]
		if g := gradOutputOf(m, gradOutputs, l); g != nil {
			addInto(dOut, g)
		}
		if dAbove != nil {
			addInto(dOut, dAbove)
		}
		dw := grads.Weights[paramKey(l, "conv.weight")].Data
		var db []float32
		if bt := grads.Weights[paramKey(l, "conv.bias")]; bt != nil {
			db = bt.Data
		}
		var dwc [3][]float32 // dL/dW_ci, W_cf, W_co of a peephole cell
		for k, n := range []string{"W_ci", "W_cf", "W_co"} {
			if g := grads.Weights[paramKey(l, n)]; g != nil {
				dwc[k] = g.Data
			}
		}
		dInput := convlstm.Zeros(b, T, cell.InputDim, h, w) // dL/dcur_layer_input
		dh := convlstm.Zeros(b, hid, h, w)                  // carried from step t+1
		dc := convlstm.Zeros(b, hid, h, w)
		// After the last step the carry is what the loss reads of the last
		// state directly (zero unless BackwardStates was given it).
		if gl := gradLastOf(m, gradLast, l); gl.H != nil || gl.C != nil {
			if gl.H != nil {
				addInto(dh, gl.H)
			}
			if gl.C != nil {
				addInto(dc, gl.C)
			}
		}
		for t := T - 1; t >= 0; t-- {
			// py: layer_output = torch.stack(output_inner, dim=1)
			// => the gradient of h_t is slab t of dOut, plus the carry.
			dht := timeSlice(dOut, t)
			addInto(dht, dh)
			var dx *convlstm.Tensor
			dx, dh, dc = backwardStep(cell, &tape.naive[l][t], dht, dc, dw, db, dwc)
			// py: cur_layer_input[:, t, :, :, :]
			addTimeSlice(dInput, t, dx)
		}
		grads.HiddenState[l] = convlstm.State{H: dh, C: dc}
		dAbove = dInput
	}
	// py: input_tensor = input_tensor.permute(1, 0, 2, 3, 4); a permutation
	// of the first two axes is its own inverse.
	grads.Input = dAbove
	if !m.BatchFirst {
		grads.Input, _ = convlstm.Permute10(dAbove)
	}
	return grads
}
