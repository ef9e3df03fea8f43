package convlstm

import (
	"errors"
	"sync/atomic"
)

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
//
// Each Forward (readable or fast) empties the trace first, so it holds
// exactly the layers and steps of the last call (of the steps that ran, if
// that call failed). Two calls may not record into one Trace at the same
// time: the second returns an error (give each goroutine its own Trace).
type Trace struct {
	Layers [][]Step
	busy   atomic.Bool
}

// Reset empties the trace.
func (tr *Trace) Reset() { tr.Layers = nil }

// Begin claims the trace for one forward pass and empties it; End releases
// it. They are for implementations of Forward (this package's and
// convlstm/fast's): Begin errs when another pass is recording into tr.
func (tr *Trace) Begin() error {
	if !tr.busy.CompareAndSwap(false, true) {
		return errors.New("convlstm: the Trace is in use by another Forward: give each concurrent Forward its own Trace")
	}
	tr.Layers = nil
	return nil
}

// End releases the trace that Begin claimed.
func (tr *Trace) End() { tr.busy.Store(false) }
