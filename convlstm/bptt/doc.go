// Package bptt is the backward pass of the ConvLSTM of package convlstm:
// backpropagation through time (BPTT) over the layers and steps of one
// forward pass, checked against PyTorch autograd on every golden case.
//
//	tape, outs, states, err := bptt.Forward(m, x, nil) // the readable forward, recorded
//	// loss L(outs); gradOuts[k] = dL/douts[k], the shape of outs[k]
//	grads, err := bptt.Backward(tape, gradOuts)
//	// grads.Weights["cell_list.0.conv.weight"], grads.Input, grads.HiddenState
//
// Two implementations, as for the forward. The readable one pairs each
// forward with the backward that inverts it, in the style of llm.c: Forward
// (tape.go) runs the layer loop of ConvLSTM.Forward with the readable cell
// step Cell.ForwardGates and keeps each step's tensors; backwardNaive walks
// the layers and steps back; backwardStep (cell.go) inverts one cell step
// line by line, Conv2dBackward (conv.go) the conv, and ops.go the tensor
// operations. ForwardFast records its tape with a fast.Runner, the code
// fast.Forward runs, and backwardFast (fast.go) computes the same
// gradients on all cores: the gate gradients with kernel.GatesBackward
// (gatestep.go; kernel.GatesBackwardPeephole for the peephole cell), the
// gradients of h and x as transposed convs by the
// forward's taps micro-kernel (or, for 3x3 and 5x5 kernels on AVX-512 when
// every value is finite, by the forward's Winograd transforms: wino.go),
// and the weight gradient as dot products along the pixels
// (kernel.DotTile), all on zero-padded planes (padded.go, fastconv.go).
// Backward follows the tape.
//
// Memory: a Trainer (trainer.go) keeps all of a training step's memory,
// its tape (the forward's outputs and trace, the padded planes), the
// backward's buffers and the gradients, from one step to the next, so that
// after its first step at a given size a step allocates nothing
// (TestTrainerAllocs; BenchmarkTrainStep runs one); what it returns is its
// own, overwritten by its next call. ForwardFast runs a new Trainer's
// Forward at every call, and Backward, BackwardStates and BackwardWeights
// return gradients of the caller's own. A Trainer's next Forward may
// start from the states (or, input_dim = hidden_dim, the output) its last
// one returned, as truncated BPTT does: the tape copies what it needs
// first (TestTrainerStatesFedBack, FuzzTrainer). A Trainer serves one call
// at a time; a call made during another returns an error
// (TestTrainerConcurrentUse). Both paths handle the peephole cell
// (convlstm.Config.Peephole): its weights' gradients are in Grads.Weights
// as cell_list.<l>.W_ci, .W_cf and .W_co.
//
// Adam and gradient clipping are in package optim.
package bptt
