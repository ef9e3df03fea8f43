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
// operations. ForwardFast records its tape with fast.ForwardTrace, the code
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
// A training loop calls tape.Release() once it has the gradients: the
// next ForwardFast and Backward then reuse its memory (the planes and the
// trace), and a step allocates nothing per time step
// (TestNoAllocationPerTimeStep). A Trainer (trainer.go) goes further: it
// keeps all of a step's memory, outputs and gradients included, so that
// after its first step a step allocates nothing at all (TestTrainerAllocs;
// BenchmarkTrainStep runs one), at the price of owning what it returns.
// Both handle the peephole cell (convlstm.Config.Peephole): its weights'
// gradients are in Grads.Weights as cell_list.<l>.W_ci, .W_cf and .W_co.
//
// Adam and gradient clipping are in package optim.
package bptt
