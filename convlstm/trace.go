package convlstm

// Step holds what one cell step computed: the four gate activations after
// their nonlinearities and the new state. Every tensor is (B, hid, H, W).
//
//	I, F, O = sigmoid(cc_i), sigmoid(cc_f), sigmoid(cc_o)   values in (0, 1)
//	G       = tanh(cc_g)                                    values in (-1, 1)
//	C       = f*c_cur + i*g                                 the new cell state
//	H       = o*tanh(C)                                     the new hidden state
type Step struct {
	I, F, O, G, C, H *Tensor
}

// Trace records every step of a forward pass, for plots and teaching:
// Layers[l][t] is layer l at time step t. Set ConvLSTM.Trace to a non-nil
// *Trace before calling Forward to fill it; a nil Trace (the default) costs
// nothing in the ordinary forward pass.
type Trace struct {
	Layers [][]Step
}

// Reset empties the trace so that it can be reused for another forward pass.
func (tr *Trace) Reset() { tr.Layers = tr.Layers[:0] }
