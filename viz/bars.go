package viz

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarOptions configures BarsWith. The zero value gives a chart without
// title or axis label on a linear axis.
type BarOptions struct {
	// XLabel names what the clusters along the x axis are (a shape, a
	// channel, a test case); every chart should have one.
	Title, XLabel, YLabel string

	// LogY puts the values on a logarithmic axis, for values that span
	// orders of magnitude (a naive and a fast implementation). Every value
	// must then be > 0.
	LogY bool

	// ShowValues writes each value above its bar.
	ShowValues bool
}

// Size of a bar chart.
var (
	barsW = 16 * vg.Centimeter
	barsH = 10 * vg.Centimeter
)

// Bars draws a grouped bar chart: one cluster of bars per label along the
// x axis, and in every cluster one bar per group, coloured by group and
// named in the legend. values[g][k] is the value of group g at label k, so
// len(values) == len(groups) and len(values[g]) == len(labels).
//
// For a benchmark of two implementations over several input shapes,
// labels are the shapes, groups are {"naive", "fast"} and values[0] and
// values[1] are their times. Use BarsWith for a logarithmic axis or to
// print the values.
func Bars(title, yLabel string, labels, groups []string, values [][]float64) ([]byte, error) {
	return BarsWith(BarOptions{Title: title, YLabel: yLabel}, labels, groups, values)
}

// BarsWith draws a grouped bar chart like Bars, with options.
func BarsWith(opt BarOptions, labels, groups []string, values [][]float64) ([]byte, error) {
	const fn = "BarsWith"
	if len(labels) == 0 {
		return nil, fmt.Errorf("viz: %s: labels is empty, want one label per cluster of bars", fn)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("viz: %s: groups is empty, want one name per group of bars", fn)
	}
	if len(values) != len(groups) {
		return nil, fmt.Errorf("viz: %s: values has %d rows for %d groups, want values[group][label]", fn, len(values), len(groups))
	}
	lowest := math.Inf(1)
	for g, vs := range values {
		arg := fmt.Sprintf("values[%d]", g)
		if len(vs) != len(labels) {
			return nil, fmt.Errorf("viz: %s: %s has %d values for %d labels, want values[group][label]", fn, arg, len(vs), len(labels))
		}
		if err := checkFinite(fn, arg, vs, opt.LogY); err != nil {
			return nil, err
		}
		for _, v := range vs {
			lowest = math.Min(lowest, v)
		}
	}

	p := newPlot(opt.Title)
	p.X.Label.Text = opt.XLabel
	p.Y.Label.Text = opt.YLabel
	p.NominalX(labels...)
	p.Y.Tick.Marker = niceTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil // horizontal lines only
	p.Add(grid)
	leg := newLegend()

	// Bars start at 0, but 0 is not on a logarithmic axis. There every bar
	// stands on an invisible base bar that reaches the power of ten below
	// the smallest value.
	var base *plotter.BarChart
	if opt.LogY {
		floor := math.Pow(10, math.Ceil(math.Log10(lowest))-1) // < lowest
		base = &plotter.BarChart{Values: make(plotter.Values, len(labels))}
		for k := range base.Values {
			base.Values[k] = floor
		}
		useLogY(p)
	}

	// A cluster takes 70% of the width available per label (about 5 cm of
	// the figure go to the axis and the legend).
	clusterW := 0.7 * (barsW - 5*vg.Centimeter) / vg.Length(len(labels))
	barW := min(clusterW/vg.Length(len(groups)), 2*vg.Centimeter)
	for g, vs := range values {
		heights := append(plotter.Values(nil), vs...)
		if base != nil {
			for k := range heights {
				heights[k] -= base.Values[k]
			}
		}
		bars, err := plotter.NewBarChart(heights, barW)
		if err != nil {
			return nil, fmt.Errorf("viz: %s: %v", fn, err)
		}
		if base != nil {
			bars.StackOn(base)
		}
		bars.Offset = (vg.Length(g) - vg.Length(len(groups)-1)/2) * barW
		bars.Color = categoryColour(g)
		bars.LineStyle.Width = 0
		p.Add(bars)
		leg.Add(groups[g], bars)

		if opt.ShowValues {
			text := make([]string, len(vs))
			pts := make(plotter.XYs, len(vs))
			for k, v := range vs {
				text[k] = formatValue(v)
				pts[k] = plotter.XY{X: float64(k), Y: v}
			}
			lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: text})
			if err != nil {
				return nil, fmt.Errorf("viz: %s: %v", fn, err)
			}
			for i := range lbl.TextStyle {
				lbl.TextStyle[i] = textStyle(tickSize, false)
				lbl.TextStyle[i].YAlign = draw.YBottom
			}
			lbl.Offset = vg.Point{X: bars.Offset, Y: vg.Points(2)}
			p.Add(valueLabels{lbl})
		}
	}
	// Leave half a cluster of room left and right of the outer clusters.
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	if opt.LogY {
		// The bars stand on the power of ten below the smallest value;
		// above the tallest there is room for its value, not a whole
		// empty decade.
		p.Y.Min = base.Values[0]
		p.Y.Max = highest(values) * 2
	} else if opt.ShowValues {
		p.Y.Max = highest(values) * 1.12
	}
	return render(barsW, barsH, func(dc draw.Canvas) {
		drawWithLegend(dc, p, leg)
	})
}

// highest returns the largest of all values.
func highest(values [][]float64) float64 {
	m := math.Inf(-1)
	for _, vs := range values {
		for _, v := range vs {
			m = math.Max(m, v)
		}
	}
	return m
}

// formatValue prints a value with three significant digits but never in
// exponent form: 1510, 151, 15.1, 1.51, 0.151, 0.0151.
func formatValue(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	decimals := 2 - int(math.Floor(math.Log10(a)))
	return strconv.FormatFloat(v, 'f', min(decimals, 8), 64)
}

// valueLabels draws the values above the bars without asking the plot for
// room: gonum/plot would shrink the data area to fit their text boxes
// (badly on a logarithmic axis, leaving an empty band under the title).
// The y range set in BarsWith leaves room for them instead.
type valueLabels struct{ l *plotter.Labels }

func (v valueLabels) Plot(c draw.Canvas, p *plot.Plot) { v.l.Plot(c, p) }

func (v valueLabels) DataRange() (xmin, xmax, ymin, ymax float64) { return v.l.DataRange() }
