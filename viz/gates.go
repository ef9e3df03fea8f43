package viz

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
)

// maxColumns is the most channels or time steps one gate figure shows;
// more would make the tiles too small to read.
const maxColumns = 24

// defaultChannels is how many channels GatePanel shows when none are asked
// for.
const defaultChannels = 8

// gateRows names the six rows of a gate figure, in the order the cell
// computes them.
var gateRows = []string{
	"i  input gate",
	"f  forget gate",
	"o  output gate",
	"g  candidate",
	"c  cell state",
	"h  hidden state",
}

// cRow is the row of the cell state c in gateRows.
const cRow = 4

// stepTensors returns the six tensors of a step in the order of gateRows,
// after checking that they all exist and have the same (B, hid, H, W)
// shape.
func stepTensors(fn, arg string, s convlstm.Step) ([]*convlstm.Tensor, error) {
	ts := []*convlstm.Tensor{s.I, s.F, s.O, s.G, s.C, s.H}
	for k, name := range []string{"I", "F", "O", "G", "C", "H"} {
		if err := checkTensor(fn, arg+"."+name, ts[k], "(B, hid, H, W)"); err != nil {
			return nil, err
		}
		if !convlstm.SameShape(ts[k].Shape, ts[0].Shape) {
			return nil, fmt.Errorf("viz: %s: %s.%s has shape %v, want %v like %s.I",
				fn, arg, name, ts[k].Shape, ts[0].Shape, arg)
		}
	}
	return ts, nil
}

// plane returns the (H, W) image of batch b and channel ch of a
// (B, hid, H, W) tensor, as a sub-slice of its data (not a copy).
func plane(t *convlstm.Tensor, b, ch int) []float32 {
	hid, h, w := t.Shape[1], t.Shape[2], t.Shape[3]
	start := (b*hid + ch) * h * w
	return t.Data[start : start+h*w]
}

// gateGrid builds the figure shared by GatePanel and GatesOverTime:
// planes[col] holds the six (H, W) images of one column, in the order of
// gateRows. The scale of c is symmetric around 0 and fits the largest |c|
// over all columns, so that columns can be compared.
// A cMax > 0 fixes the scale of c to [-cMax, cMax] instead.
func gateGrid(title string, colTitles []string, planes [][][]float32, h, w int, cMax float64) ([]byte, error) {
	var cs [][]float32
	for _, col := range planes {
		cs = append(cs, col[cRow])
	}
	if cMax <= 0 {
		cMax = niceMax(maxAbs(cs...))
	}
	gates, tanh, cell := gateScale(), tanhScale(), cellScale(cMax)
	rowScale := []*colourScale{gates, gates, gates, tanh, cell, tanh}

	g := &tileGrid{
		title:     title,
		rowTitles: gateRows,
		colTitles: colTitles,
		tiles:     make([][]tile, len(gateRows)),
		h:         h,
		w:         w,
		scales:    []*colourScale{gates, tanh, cell},
	}
	for r := range gateRows {
		for _, col := range planes {
			g.tiles[r] = append(g.tiles[r], tile{data: col[r], scale: rowScale[r]})
		}
	}
	return g.png()
}

// GatePanel draws what one cell step computed for one sample of the batch:
// a grid with one row per quantity (the gates i, f, o, the candidate g,
// the new cell state c and hidden state h) and one column per hidden
// channel. step is one entry of a [convlstm.Trace], such as
// trace.Layers[l][t], or the result of Cell.ForwardGates.
//
// channels lists the hidden channels to show, in order; nil (or empty)
// shows the first 8 channels (or fewer if the cell has fewer). At most 24
// channels fit in one figure.
func GatePanel(step convlstm.Step, batch int, channels []int) ([]byte, error) {
	const fn = "GatePanel"
	ts, err := stepTensors(fn, "step", step)
	if err != nil {
		return nil, err
	}
	b, hid, h, w := ts[0].Shape[0], ts[0].Shape[1], ts[0].Shape[2], ts[0].Shape[3]
	if err := checkIndex(fn, "batch", batch, b); err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		for ch := 0; ch < min(hid, defaultChannels); ch++ {
			channels = append(channels, ch)
		}
	}
	if len(channels) > maxColumns {
		return nil, fmt.Errorf("viz: %s: %d channels asked for, want at most %d", fn, len(channels), maxColumns)
	}
	var colTitles []string
	var planes [][][]float32
	for k, ch := range channels {
		if err := checkIndex(fn, fmt.Sprintf("channels[%d]", k), ch, hid); err != nil {
			return nil, err
		}
		colTitles = append(colTitles, fmt.Sprintf("channel %d", ch))
		var col [][]float32
		for _, t := range ts {
			col = append(col, plane(t, batch, ch))
		}
		planes = append(planes, col)
	}
	title := fmt.Sprintf("Gates and state of one step (sample %d of %d)", batch, b)
	return gateGrid(title, colTitles, planes, h, w, 0)
}

// GatesOverTime follows one hidden channel of one layer through time: a
// grid with one row per quantity (i, f, o, g, c, h, as in GatePanel) and
// one column per time step. trace must have been filled by a forward pass
// (set model.Trace = &convlstm.Trace{} before calling Forward). At most 24
// time steps fit in one figure.
func GatesOverTime(trace *convlstm.Trace, layer, batch, channel int) ([]byte, error) {
	return GatesOverTimeWith(GateOptions{}, trace, layer, batch, channel)
}

// GateOptions configures GatesOverTimeWith. The zero value is
// GatesOverTime.
type GateOptions struct {
	// Title replaces the default title when not empty.
	Title string
	// CMax > 0 fixes the colour scale of the cell state c to
	// [-CMax, CMax]. The gates and h always have fixed scales, but c is
	// unbounded and by default fits the figure's own largest |c|. To
	// compare two figures (an untrained and a trained model), give both
	// the larger of their CellStateMax.
	CMax float64
}

// GatesOverTimeWith draws the figure of GatesOverTime with options.
func GatesOverTimeWith(opt GateOptions, trace *convlstm.Trace, layer, batch, channel int) ([]byte, error) {
	const fn = "GatesOverTimeWith"
	if math.IsNaN(opt.CMax) || math.IsInf(opt.CMax, 0) || opt.CMax < 0 {
		return nil, fmt.Errorf("viz: %s: opt.CMax = %v, want a finite number >= 0", fn, opt.CMax)
	}
	planes, shape, colTitles, err := tracePlanes(fn, trace, layer, batch, channel)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("Layer %d, channel %d over time (sample %d)", layer, channel, batch)
	if opt.Title != "" {
		title = opt.Title
	}
	return gateGrid(title, colTitles, planes, shape[2], shape[3], opt.CMax)
}

// CellStateMax returns the largest |c| that GatesOverTime would draw for
// the same arguments: pass the larger of two figures' values as
// GateOptions.CMax to draw both on one scale.
func CellStateMax(trace *convlstm.Trace, layer, batch, channel int) (float64, error) {
	planes, _, _, err := tracePlanes("CellStateMax", trace, layer, batch, channel)
	if err != nil {
		return 0, err
	}
	var cs [][]float32
	for _, col := range planes {
		cs = append(cs, col[cRow])
	}
	return maxAbs(cs...), nil
}

// tracePlanes checks the arguments of GatesOverTime and returns the six
// planes of every step, the (B, hid, H, W) shape and the column titles.
func tracePlanes(fn string, trace *convlstm.Trace, layer, batch, channel int) ([][][]float32, []int, []string, error) {
	if trace == nil {
		return nil, nil, nil, fmt.Errorf("viz: %s: trace is nil, want a *convlstm.Trace filled by Forward", fn)
	}
	if err := checkIndex(fn, "layer", layer, len(trace.Layers)); err != nil {
		return nil, nil, nil, err
	}
	steps := trace.Layers[layer]
	if len(steps) == 0 {
		return nil, nil, nil, fmt.Errorf("viz: %s: trace.Layers[%d] has no time steps", fn, layer)
	}
	if len(steps) > maxColumns {
		return nil, nil, nil, fmt.Errorf("viz: %s: trace.Layers[%d] has %d time steps, want at most %d", fn, layer, len(steps), maxColumns)
	}
	var shape []int
	var colTitles []string
	var planes [][][]float32
	for t, step := range steps {
		ts, err := stepTensors(fn, fmt.Sprintf("trace.Layers[%d][%d]", layer, t), step)
		if err != nil {
			return nil, nil, nil, err
		}
		if t == 0 {
			shape = ts[0].Shape
			if err := checkIndex(fn, "batch", batch, shape[0]); err != nil {
				return nil, nil, nil, err
			}
			if err := checkIndex(fn, "channel", channel, shape[1]); err != nil {
				return nil, nil, nil, err
			}
		} else if !convlstm.SameShape(ts[0].Shape, shape) {
			return nil, nil, nil, fmt.Errorf("viz: %s: trace.Layers[%d][%d].I has shape %v, want %v like step 0",
				fn, layer, t, ts[0].Shape, shape)
		}
		colTitles = append(colTitles, fmt.Sprintf("t = %d", t))
		var col [][]float32
		for _, x := range ts {
			col = append(col, plane(x, batch, channel))
		}
		planes = append(planes, col)
	}
	return planes, shape, colTitles, nil
}
