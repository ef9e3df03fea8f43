package viz

import (
	"fmt"
	"math"
	"strconv"

	"example.com/convlstm/convlstm"
)

// FrameRows draws sequences of frames as rows of small images, one column
// per time step: for example the input sequence above the predicted one.
// Each seqs[k] is a (T, H, W) tensor (see Sequence to take one out of a
// (B, T, C, H, W) batch) and labels[k] is the title of its row. The
// sequences may have different lengths T, up to 24, but their frames must
// all be (H, W).
//
// All frames share one colour scale, so that rows can be compared: the
// grey scale on [0, max] for non-negative data, otherwise the diverging
// scale on [-m, m]. Use FrameRowsWith to fix the range, for example to
// draw two figures on one scale, and FramesAndDiff to show a difference.
func FrameRows(title string, labels []string, seqs []*convlstm.Tensor) ([]byte, error) {
	return FrameRowsWith(FrameOptions{Title: title}, labels, seqs)
}

// FrameOptions configures FrameRowsWith. The zero value is FrameRows.
type FrameOptions struct {
	Title string
	// Min and Max fix the range of the colour scale when Max > Min:
	// the grey scale if Min >= 0, otherwise the diverging one (give a
	// symmetric range, -m and m, so that 0 is white). Values outside get
	// the colour of the nearer end. Two figures drawn with the same Min
	// and Max can be compared colour by colour.
	Min, Max float64
	// ScaleLabel is written under the colour bar ("value" if empty).
	ScaleLabel string
}

// FrameRowsWith draws rows of frames like FrameRows, with options.
func FrameRowsWith(opt FrameOptions, labels []string, seqs []*convlstm.Tensor) ([]byte, error) {
	const fn = "FrameRowsWith"
	steps, all, err := checkSeqs(fn, labels, seqs)
	if err != nil {
		return nil, err
	}
	if err := checkRange(fn, opt.Min, opt.Max); err != nil {
		return nil, err
	}
	label := opt.ScaleLabel
	if label == "" {
		label = "value"
	}
	scale := autoScale(label, all...)
	if opt.Max > opt.Min {
		scale = fixedScale(label, opt.Min, opt.Max)
	}
	g := frameGrid(opt.Title, labels, seqs, steps)
	g.scales = []*colourScale{scale}
	for r := range g.tiles {
		for c := range g.tiles[r] {
			g.tiles[r][c].scale = scale
		}
	}
	return g.png()
}

// FramesAndDiff draws two sequences of frames and their difference: a
// above b on one shared colour scale, and a - b in a third row on a
// scale of its own, symmetric around 0 and fitted to the largest
// |a - b|, which the row title and the colour bar print. A difference of
// 1e-7 is then as visible as one of 0.5 would be, and an exact match
// shows as a white row with "max |diff| = 0". a and b are (T, H, W)
// tensors of one shape, nameA and nameB their row titles.
func FramesAndDiff(title, nameA, nameB string, a, b *convlstm.Tensor) ([]byte, error) {
	const fn = "FramesAndDiff"
	steps, all, err := checkSeqs(fn, []string{nameA, nameB}, []*convlstm.Tensor{a, b})
	if err != nil {
		return nil, err
	}
	if !convlstm.SameShape(a.Shape, b.Shape) {
		return nil, fmt.Errorf("viz: %s: a has shape %v and b %v, want one shape", fn, a.Shape, b.Shape)
	}
	diff := &convlstm.Tensor{Shape: append([]int(nil), a.Shape...), Data: make([]float32, len(a.Data))}
	for i := range a.Data {
		diff.Data[i] = a.Data[i] - b.Data[i]
	}
	m := maxAbs(diff.Data)
	valueScale := autoScale("value ("+nameA+", "+nameB+")", all...)
	diffLabel := fmt.Sprintf("difference, max |diff| = %s", formatDiff(m))
	diffScale := diverging(diffLabel, -niceMax(m), niceMax(m))
	rows := []string{nameA, nameB, "difference"}
	g := frameGrid(title, rows, []*convlstm.Tensor{a, b, diff}, steps)
	g.scales = []*colourScale{valueScale, diffScale}
	for r := range g.tiles {
		s := valueScale
		if r == 2 {
			s = diffScale
		}
		for c := range g.tiles[r] {
			g.tiles[r][c].scale = s
		}
	}
	return g.png()
}

// formatDiff prints a difference compactly: 0, 3.2e-07, 0.0041, 1.3.
func formatDiff(m float64) string {
	if m == 0 {
		return "0"
	}
	return strconv.FormatFloat(m, 'g', 2, 64)
}

// checkRange returns an error unless [lo, hi] is a usable fixed range or
// both are 0 (no fixed range).
func checkRange(fn string, lo, hi float64) error {
	for _, v := range []float64{lo, hi} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("viz: %s: range [%v, %v], want finite numbers", fn, lo, hi)
		}
	}
	if hi < lo || (hi == lo && hi != 0) {
		return fmt.Errorf("viz: %s: range [%v, %v], want Min < Max (or both 0 for a range that fits the data)", fn, lo, hi)
	}
	return nil
}

// fixedScale returns the grey scale on [lo, hi] if lo >= 0, else the
// diverging one.
func fixedScale(label string, lo, hi float64) *colourScale {
	if lo >= 0 {
		return sequential(label, lo, hi)
	}
	return diverging(label, lo, hi)
}

// frameGrid returns the tile grid of rows of frames, one column per time
// step, without scales.
func frameGrid(title string, labels []string, seqs []*convlstm.Tensor, steps int) *tileGrid {
	h, w := seqs[0].Shape[1], seqs[0].Shape[2]
	g := &tileGrid{title: title, rowTitles: labels, h: h, w: w}
	for t := range steps {
		g.colTitles = append(g.colTitles, fmt.Sprintf("t = %d", t))
	}
	for _, s := range seqs {
		row := make([]tile, steps) // steps past the end of s stay blank
		for t := range s.Shape[0] {
			row[t] = tile{data: s.Data[t*h*w : (t+1)*h*w]}
		}
		g.tiles = append(g.tiles, row)
	}
	return g
}

// checkSeqs checks the arguments of the frame figures and returns the
// number of columns and the data of all sequences.
func checkSeqs(fn string, labels []string, seqs []*convlstm.Tensor) (int, [][]float32, error) {
	if len(seqs) == 0 {
		return 0, nil, fmt.Errorf("viz: %s: seqs is empty, want at least one (T, H, W) tensor", fn)
	}
	if len(labels) != len(seqs) {
		return 0, nil, fmt.Errorf("viz: %s: %d labels for %d seqs, want one label per sequence", fn, len(labels), len(seqs))
	}
	var steps int
	var all [][]float32
	for k, s := range seqs {
		arg := fmt.Sprintf("seqs[%d]", k)
		if err := checkTensor(fn, arg, s, "(T, H, W)"); err != nil {
			return 0, nil, err
		}
		if s.Shape[1] != seqs[0].Shape[1] || s.Shape[2] != seqs[0].Shape[2] {
			return 0, nil, fmt.Errorf("viz: %s: %s has frames of %dx%d, want %dx%d like seqs[0]",
				fn, arg, s.Shape[1], s.Shape[2], seqs[0].Shape[1], seqs[0].Shape[2])
		}
		if s.Shape[0] > maxColumns {
			return 0, nil, fmt.Errorf("viz: %s: %s has %d time steps, want at most %d", fn, arg, s.Shape[0], maxColumns)
		}
		steps = max(steps, s.Shape[0])
		all = append(all, s.Data)
	}
	return steps, all, nil
}
