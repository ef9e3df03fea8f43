package convlstm

import (
	"errors"
	"sync/atomic"
)

// Step holds what one cell step computed (see Cell), every tensor (B, hid, H, W):
// the gate activations I, F, O in (0, 1) (with the peephole terms in a peephole
// cell) and G in (-1, 1), and the new state C = f*c_cur + i*g and H = o*tanh(C).
type Step struct {
	I, F, O, G, C, H *Tensor
}

// Trace records every step of a forward pass, for plots and teaching:
// Layers[l][t] is layer l at time step t. Set ConvLSTM.Trace to a non-nil
// *Trace before calling Forward to fill it (a nil Trace costs nothing).
// Each Forward (readable or fast) empties the trace first, so it holds
// exactly the layers and steps of the last call (those that ran, if it
// failed). Two calls may not record into one Trace at the same time: the
// second returns an error (give each goroutine its own Trace).
type Trace struct {
	Layers [][]Step
	busy   atomic.Bool
}

// Reset empties the trace (a nil trace is already empty).
func (tr *Trace) Reset() {
	if tr != nil {
		tr.Layers = nil
	}
}

// Begin claims the trace for one forward pass and empties it; End releases
// it. They are for implementations of Forward (this package's and
// convlstm/fast's): Begin errs when another pass is recording into tr.
func (tr *Trace) Begin() error {
	if tr == nil {
		return errors.New("convlstm: the Trace is nil")
	}
	if !tr.busy.CompareAndSwap(false, true) {
		return errors.New("convlstm: the Trace is in use by another Forward: give each concurrent Forward its own Trace")
	}
	tr.Layers = nil
	return nil
}

// End releases the trace that Begin claimed.
func (tr *Trace) End() {
	if tr != nil {
		tr.busy.Store(false)
	}
}
