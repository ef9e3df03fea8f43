package viz

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LineOptions configures LinesWith. The zero value gives a plot without
// title or axis labels on linear axes.
type LineOptions struct {
	Title, XLabel, YLabel string

	// LogY puts the y axis on a logarithmic scale, for values that span
	// orders of magnitude such as a loss or a run time. Every y value must
	// then be > 0.
	LogY bool

	// Colours and Dashes pick the colour and the dash pattern of each
	// series by index (0, 1, 2, ...): series k gets colour Colours[k] and
	// dash pattern Dashes[k]. Give two series the same colour and
	// different dashes to pair them, e.g. "f trained" (solid) and
	// "f untrained" (dashed). Nil, or a list shorter than ys, means
	// index k for series k. Colours are the Okabe-Ito palette (safe for
	// colour-blind readers); dash 0 is a solid line.
	Colours, Dashes []int
}

// Lines draws one line per series: ys[k] is the series named names[k],
// plotted against its index 0, 1, 2, ... (a step or epoch number). A
// legend shows the names. Use LinesWith for other x values or a
// logarithmic y axis.
func Lines(title, xLabel, yLabel string, names []string, ys [][]float64) ([]byte, error) {
	return LinesWith(LineOptions{Title: title, XLabel: xLabel, YLabel: yLabel}, nil, names, ys)
}

// LinesWith draws one line per series, like Lines, against the x values
// xs, which all series share: len(xs) must equal len(ys[k]) for every k.
// A nil xs means 0, 1, 2, ... as in Lines.
func LinesWith(opt LineOptions, xs []float64, names []string, ys [][]float64) ([]byte, error) {
	const fn = "LinesWith"
	if len(ys) == 0 {
		return nil, fmt.Errorf("viz: %s: ys is empty, want at least one series", fn)
	}
	if len(names) != len(ys) {
		return nil, fmt.Errorf("viz: %s: %d names for %d series in ys, want one name per series", fn, len(names), len(ys))
	}
	if err := checkFinite(fn, "xs", xs, false); err != nil {
		return nil, err
	}
	for k, y := range ys {
		arg := fmt.Sprintf("ys[%d]", k)
		if len(y) == 0 {
			return nil, fmt.Errorf("viz: %s: %s is empty, want at least one value", fn, arg)
		}
		if xs != nil && len(y) != len(xs) {
			return nil, fmt.Errorf("viz: %s: %s has %d values, want %d like xs", fn, arg, len(y), len(xs))
		}
		if err := checkFinite(fn, arg, y, opt.LogY); err != nil {
			return nil, err
		}
	}

	p := newPlot(opt.Title)
	p.X.Label.Text = opt.XLabel
	p.Y.Label.Text = opt.YLabel
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	if opt.LogY {
		useLogY(p)
	}
	p.Add(plotter.NewGrid())
	leg := newLegend()

	for k, y := range ys {
		pts := make(plotter.XYs, len(y))
		for i, v := range y {
			pts[i] = plotter.XY{X: float64(i), Y: v}
			if xs != nil {
				pts[i].X = xs[i]
			}
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, fmt.Errorf("viz: %s: ys[%d]: %v", fn, k, err)
		}
		colour, dash := k, k
		if k < len(opt.Colours) {
			colour = opt.Colours[k]
		}
		if k < len(opt.Dashes) {
			dash = opt.Dashes[k]
		}
		line.Color = categoryColour(colour)
		line.Width = vg.Points(2)
		line.Dashes = lineDash(dash)
		points.Color = categoryColour(colour)
		points.Shape = markerShape(dash)
		points.Radius = vg.Points(3)
		p.Add(line)
		// Markers show where the measurements are, but would hide a long
		// curve: only draw them on short series.
		if len(y) <= 30 {
			p.Add(points)
			leg.Add(names[k], line, points)
		} else {
			leg.Add(names[k], line)
		}
	}
	if opt.LogY {
		wholeDecades(&p.Y)
	}
	return render(16*vg.Centimeter, 10*vg.Centimeter, func(dc draw.Canvas) {
		drawWithLegend(dc, p, leg)
	})
}

// checkFinite returns an error if a value of vs is NaN or infinite, or,
// with positive set, not > 0 (a logarithmic axis needs that).
func checkFinite(fn, arg string, vs []float64, positive bool) error {
	for i, v := range vs {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return fmt.Errorf("viz: %s: %s[%d] = %v, want a finite number", fn, arg, i, v)
		case positive && v <= 0:
			return fmt.Errorf("viz: %s: %s[%d] = %v, want > 0 on a logarithmic axis", fn, arg, i, v)
		}
	}
	return nil
}
