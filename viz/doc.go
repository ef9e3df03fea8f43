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
//   - [GatePanel], [GatesOverTime] and [GatesOverTimeWith]: the gates i, f,
//     o, g and the state c, h of a ConvLSTM cell as a grid of heat maps,
//     one row per quantity; [CellStateMax] gives the range to share
//     between two such figures.
//   - [Heatmap], [FrameRows] and [FrameRowsWith]: one 2-D tensor, or rows
//     of frames such as an input sequence above the predicted sequence;
//     [FramesAndDiff]: two sequences and their difference.
//   - [CategoryMap]: a 2-D map of category numbers, with a legend.
//   - [Lines] and [Bars]: line plots (loss curves) and grouped bar charts
//     (benchmarks), with [LinesWith] and [BarsWith] for more options.
//   - [CellDiagram] and [LayerLoopDiagram]: the data flow of one cell step
//     and the layer-major loop of the model, with the shape on every arrow.
//   - [Sub] and [Sequence]: pick a 2-D frame or a (T, H, W) sequence out of
//     a bigger tensor.
//
// # Colours
//
// Heat maps follow fixed rules so that figures can be compared:
//
//   - the sigmoid gates i, f, o (values in [0, 1]) use a grey scale from
//     0 (black) to 1 (white), always the same;
//   - g = tanh(...) and h = o*tanh(c) (values in [-1, 1]) use a diverging
//     scale from blue (-1) through white (0) to red (+1), always the same;
//   - the cell state c is not bounded, so it uses the same diverging
//     colours on [-m, m], where m is the largest |c| in the figure (or
//     GateOptions.CMax, to share one scale between figures);
//   - other data ([Heatmap], [FrameRows]) uses the diverging scale on
//     [-m, m] if any value is negative and the grey scale on [0, max]
//     otherwise (or a fixed range, FrameOptions.Min and Max); frames are
//     grey, so anti-aliased edges are grey, not coloured rims;
//   - a difference ([FramesAndDiff]) gets its own symmetric scale, fitted
//     to the largest |difference|, which its colour bar prints;
//   - NaN is drawn yellow, a colour in none of the scales.
//
// Lines, bars and categories use the Okabe-Ito palette, which colour-blind
// readers can tell apart (blue and orange first, never red against
// green), and lines also differ by dash pattern and marker. Every axis
// has a label; values are printed without exponents (1510, not 1.51e+03).
//
// Images are drawn like an image viewer draws them: row 0 on top.
package viz
