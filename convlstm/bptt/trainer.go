package bptt

import (
	"errors"
	"fmt"
	"sync/atomic"

	"example.com/convlstm/convlstm"
)

// Trainer runs training steps on the fast path with memory of its own: the
// forward's outputs and trace (a fast.Runner), the tape's planes, the
// backward's buffers and the gradients stay from one step to the next (in
// its tape), so
// that after its first step at a given size a step (Forward, then
// Backward) allocates nothing. It computes what ForwardFast and
// BackwardStates compute, bit for bit. The price is ownership: what its
// calls return (outputs, last states, Grads and their tensors) is the
// Trainer's, overwritten by its next call of the same kind; copy what must
// outlive it. What its Forward returned may be given back to its next
// Forward (the last states as the hidden state of truncated BPTT, the
// output as the input): the tape copies what it needs of them first. A
// Trainer serves one call at a time: a Forward or Backward made while
// another runs returns an error.
//
//	tr := bptt.NewTrainer(m)
//	for step := 0; step < n; step++ {
//	    outs, _, err := tr.Forward(x, nil)
//	    ... the loss and its gradient dOut of outs[0] ...
//	    g, err := tr.Backward([]*convlstm.Tensor{dOut}, nil, false)
//	    ... the optimiser step with g.Weights ...
//	}
type Trainer struct {
	// Direct turns Winograd's algorithm off in the forward and the
	// backward: every conv is computed directly, for comparisons (the
	// appendix notebook). Set it before a Forward.
	Direct bool

	model *convlstm.ConvLSTM
	tape  Tape
	busy  atomic.Bool // a Forward or Backward is running; it guards ready
	ready bool        // the last Forward succeeded
}

// errBusy is the error of a call made while another runs.
var errBusy = errors.New("the Trainer is in use by another call (Forward or Backward); give each goroutine its own Trainer")

// NewTrainer returns a Trainer for m. It reads m's weights at every call,
// as ForwardFast and Backward do.
func NewTrainer(m *convlstm.ConvLSTM) *Trainer {
	return &Trainer{model: m, tape: Tape{fast: &fastTape{}}}
}

// Forward is ForwardFast into the Trainer's memory: the same arguments,
// validation, errors and numbers. Its tape is the Trainer's, for Backward.
func (tr *Trainer) Forward(input *convlstm.Tensor, hiddenState []convlstm.State) (outs []*convlstm.Tensor, states []convlstm.State, err error) {
	defer func() {
		if r := recover(); r != nil {
			outs, states, err = nil, nil, internalError("Trainer.Forward", r)
		}
	}()
	if tr == nil || tr.model == nil {
		return nil, nil, fmt.Errorf("bptt: Trainer.Forward: the Trainer has no model; make one with NewTrainer(m)")
	}
	if !tr.busy.CompareAndSwap(false, true) {
		return nil, nil, fmt.Errorf("bptt: Trainer.Forward: %w", errBusy)
	}
	defer tr.busy.Store(false)
	tr.ready = false
	tr.tape.fast.run.Direct = tr.Direct
	if outs, states, err = tr.tape.recordFast(tr.model, input, hiddenState); err != nil {
		return nil, nil, err
	}
	tr.ready = true
	return outs, states, nil
}

// Backward is BackwardStates (BackwardWeights when needInput is false)
// over the tape of the last Forward, into the Trainer's memory: the same
// arguments after the tape, the same checks, errors and numbers.
func (tr *Trainer) Backward(gradOutputs []*convlstm.Tensor, gradLastStates []convlstm.State, needInput bool) (*Grads, error) {
	if tr == nil {
		return nil, fmt.Errorf("bptt: Trainer.Backward: the Trainer is nil; make one with NewTrainer(m)")
	}
	if !tr.busy.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("bptt: Trainer.Backward: %w", errBusy)
	}
	defer tr.busy.Store(false)
	if !tr.ready {
		return nil, fmt.Errorf("bptt: Trainer.Backward: no Forward to go back through (the last one failed, or there was none)")
	}
	return backward(&tr.tape, gradOutputs, gradLastStates, needInput)
}
