// Package runcmd is what the training commands (convlstm/train/cmd/train,
// convlstm/seq2seq/cmd/train-seq2seq) share: their common flags, checked
// all at once before any work starts (every message names its flag), a
// CPU profile, and the writing of a run's results as one group.
//
// A run's results (metrics.json, model.npz, predictions.png) are written
// by WriteAll: each goes first to a staging folder inside the output
// folder (through internal/atomicfile: a temporary file, synced, renamed),
// and only when every one of them is written are they renamed over the
// previous run's, one after the other. A run that fails before that point
// (bad flags, a failed training or evaluation, a full disk, an output name
// taken by a folder) leaves the previous results exactly as they were; the
// only window for a mix of old and new files is a crash during the final
// renames (a few system calls). Other files in the output folder are never
// touched.
package runcmd
