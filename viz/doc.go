// Package viz draws the figures of the ConvLSTM notebooks with gonum/plot
// and returns them as PNG bytes.
//
// Every function returns ([]byte, error), so that a Jupyter cell running
// gophernotes can show the result directly:
//
//	b, err := viz.GatePanel(trace.Layers[0][3], 0, nil)
//	if err != nil { panic(err) }
//	display.PNG(b)
//
// and a program can save it with [WritePNG]. The functions take plain
// arguments (tensors, slices, ints, strings and a small options struct)
// and never panic on bad input: they return an error that names the
// argument and says which shape or value was expected.
//
// What there is:
//
//   - [GatePanel] and [GatesOverTime]: the gates i, f, o, g and the state
//     c, h of a ConvLSTM cell as a grid of heat maps, one row per quantity.
//   - [Heatmap] and [FrameRows]: one 2-D tensor, or rows of frames such as
//     an input sequence above the predicted sequence.
//   - [Lines] and [Bars]: line plots (loss curves) and grouped bar charts
//     (benchmarks), with [LinesWith] and [BarsWith] for more options.
//   - [Sub] and [Sequence]: pick a 2-D frame or a (T, H, W) sequence out of
//     a bigger tensor.
//
// # Colours
//
// Heat maps follow fixed rules so that figures can be compared:
//
//   - the sigmoid gates i, f, o (values in [0, 1]) use a sequential
//     scale from 0 (dark) to 1 (light), always the same;
//   - g = tanh(...) and h = o*tanh(c) (values in [-1, 1]) use a diverging
//     scale from blue (-1) through white (0) to red (+1), always the same;
//   - the cell state c is not bounded, so it uses the same diverging
//     colours on [-m, m], where m is the largest |c| in the figure;
//   - other data ([Heatmap], [FrameRows]) uses the diverging scale on
//     [-m, m] if any value is negative and the sequential scale on
//     [0, max] otherwise.
//
// Images are drawn like an image viewer draws them: row 0 on top.
package viz
