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
// gradients with matrix products on all cores. Backward follows the tape.
// Both handle the peephole cell (convlstm.Config.Peephole): its weights'
// gradients are in Grads.Weights as cell_list.<l>.W_ci, .W_cf and .W_co.
//
// Adam and gradient clipping are in package optim.
package bptt
