// Package nbtrain holds the compiled helpers of the notebook
// notebooks/05-training.ipynb, which trains the next-frame model of package
// train live and then looks inside it.
//
// The notebook runs in gophernotes, an interpreter that cannot call generic
// code and only emulates types declared in cells, so every loop over tensor
// data lives here, behind a plain API that takes and returns
// *convlstm.Tensor, *train.Model and slices. The notebook imports it
// relative to its own folder:
//
//	import "./nbtrain"
//
// What there is:
//
//   - training: LineProgress (a progress writer that prints a line every
//     few seconds instead of redrawing one with carriage returns, so that the
//     saved notebook stays short) and Smooth (a running mean for the loss
//     curve);
//   - models: Clone (a copy of a model's weights, to keep the untrained
//     model next to the trained one) and Run (the model's forward pass with
//     a convlstm.Trace of every gate);
//   - frames: Frames (one sample's frames t0..t1-1 as a (T, H, W) tensor for
//     viz.FrameRows), NextFrame (true next frames, the model's guesses
//     and the copy-last-frame guesses of one sample, aligned) and MSE;
//   - gates: GateStats (the mean of each gate of each hidden channel over
//     the pixels a shape covers, has just entered, has just left, and that
//     stay empty), StatsTable and StatsBars to show them, and MotionChannel
//     to pick the channel whose forget gate best separates shapes from
//     empty space among those the output head reads most;
//   - one pixel: CrossedPixel (a pixel a shape passes over), PixelInput
//     and PixelSeries (the input and the gates and states there over time,
//     for viz.Lines).
//
// Functions check their arguments and return an error that names the
// argument; none panics on bad input.
package nbtrain
