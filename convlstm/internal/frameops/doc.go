// Package frameops is what the two models on frame sequences (convlstm/train,
// convlstm/seq2seq) share, written once: the 1x1 convolution with a
// sigmoid that turns hidden states into frames, and its backward; the mean
// squared error and its gradient; copies of time and batch ranges; the
// grey tiles of their PNG pictures; and their state_dict methods (Params:
// StateDict, LoadStateDict, SaveNPZ, LoadNPZ).
//
// What a training step calls (Head, HeadBackward, MSE, TimeRange) writes
// into a destination the caller passes (Reuse keeps one per shape), so
// that a step that calls them the same way each time allocates nothing
// after the first.
package frameops
