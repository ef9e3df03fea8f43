// Package frameops is what the two models on frame sequences (convlstm/train,
// convlstm/seq2seq) share, written once: the 1x1 convolution with a
// sigmoid that turns hidden states into frames, and its backward; the mean
// squared error and its gradient; copies of time and batch ranges; and the
// grey tiles of their PNG pictures.
//
// Every function writes into a destination the caller passes (Reuse keeps
// one per shape), so that a training step that calls them the same way
// each time allocates nothing after the first.
package frameops
