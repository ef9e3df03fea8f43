// Package seq2seq is the encoder-forecaster of Shi et al. (2015), the
// paper's model for Moving MNIST (§3.3, Fig. 3), built from the ConvLSTM
// of package convlstm and trained with the BPTT of package bptt:
//
//	"The encoding network compresses the whole input sequence into a
//	hidden state tensor and the forecasting network unfolds this hidden
//	state to give the final prediction."
//
// An encoder stack reads J frames; its last (h, c) of every layer start a
// forecaster stack of the same depth and sizes, which runs K more steps
// with no input (an all-zero channel); every forecaster layer's hidden
// states are concatenated along channels and a 1x1 conv with a sigmoid
// turns them into each predicted frame. Frames enter as non-overlapping
// p x p patches (SpaceToDepth: 64x64 with p = 4 becomes 16 channels at
// 16x16), and the head predicts p² channels per pixel that DepthToSpace
// puts back.
//
//	m, _ := seq2seq.NewModel(seq2seq.Config{Hidden: []int{32, 32}, Patch: 4}, 1)
//	pred, _ := m.Predict(frames, 10)    // frames (B, 10, 1, 64, 64) -> (B, 10, 1, 64, 64)
//	loss, grads, _ := m.LossAndGrad(frames, targets) // MSE, gradients by state_dict name
//
// The backward pass (Model.Backward) runs in the reverse order of the
// forward: the head by hand, BPTT over the forecaster (bptt.BackwardWeights,
// which also gives the gradient of its initial states), then BPTT over the
// encoder with those as the gradient of its last states
// (bptt.BackwardStates). Both the readable stacks (bptt.Forward) and the
// fast ones (bptt.ForwardFast, the default) are selectable with
// Model.Readable, and both are checked against PyTorch autograd on the
// golden cases of testdata/golden_seq2seq (testdata/gen_golden_seq2seq.py
// builds the PyTorch twin from the seed's classes).
//
// LossAndGrad, the step of Train, runs in memory the model keeps from call
// to call (on the fast path one bptt.Trainer per stack), so that after the
// first a training step allocates nothing.
//
// Train, Evaluate and PredictionsPNG are the training loop behind
// `make train-seq2seq` (cmd/train-seq2seq). The API is free of generics
// so that notebooks (gophernotes) can call it.
package seq2seq
