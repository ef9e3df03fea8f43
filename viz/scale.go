package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// colourScale maps values to colours: a gonum colour map with its range
// (Min, Max) set, and the label written under its colour bar.
type colourScale struct {
	label string
	cmap  palette.ColorMap
}

// sequential returns a scale that goes from black (lo) to white (hi)
// through purple, blue, green and yellow (Kindlmann's map, whose
// brightness grows evenly). Used for the sigmoid gates and for
// non-negative data such as input frames.
func sequential(label string, lo, hi float64) *colourScale {
	return newScale(label, moreland.Kindlmann(), lo, hi)
}

// diverging returns a scale from blue (lo) through light grey to red (hi).
// With lo = -hi, grey is exactly 0. Used for g, c, h and signed data.
func diverging(label string, lo, hi float64) *colourScale {
	return newScale(label, moreland.SmoothBlueRed(), lo, hi)
}

func newScale(label string, cmap palette.ColorMap, lo, hi float64) *colourScale {
	cmap.SetMin(lo)
	cmap.SetMax(hi)
	return &colourScale{label: label, cmap: cmap}
}

// gateScale is the fixed scale of the sigmoid gates i, f, o.
func gateScale() *colourScale { return sequential("i, f, o (sigmoid)", 0, 1) }

// tanhScale is the fixed scale of g and h, which lie in [-1, 1].
func tanhScale() *colourScale { return diverging("g, h (tanh)", -1, 1) }

// cellScale is the scale of the cell state c, symmetric around 0.
func cellScale(m float64) *colourScale { return diverging("c (cell state)", -m, m) }

// autoScale picks a scale for data with no known range: diverging and
// symmetric around 0 if any value is negative, otherwise sequential from 0
// to the largest value.
func autoScale(label string, values ...[]float32) *colourScale {
	negative := false
	for _, vs := range values {
		for _, v := range vs {
			negative = negative || (v < 0 && !math.IsInf(float64(v), -1))
		}
	}
	m := niceMax(maxAbs(values...))
	if negative {
		return diverging(label, -m, m)
	}
	return sequential(label, 0, m)
}

// niceMax returns m, or 1 if m is zero so that the scale is never empty
// (gonum/plot cannot draw a colour bar whose range has zero width).
func niceMax(m float64) float64 {
	if m == 0 {
		return 1
	}
	return m
}

// maxAbs returns the largest |v| over all the values, ignoring NaN and
// infinities.
func maxAbs(values ...[]float32) float64 {
	m := 0.0
	for _, vs := range values {
		for _, v := range vs {
			x := math.Abs(float64(v))
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				m = math.Max(m, x)
			}
		}
	}
	return m
}

// nanColour marks values that are NaN: a mid grey, in none of the scales.
var nanColour = color.RGBA{R: 128, G: 128, B: 128, A: 255}

// levels is how many colours of a scale are used: plenty for the eye.
const levels = 256

// colours returns a lookup function from value to colour. Values beyond
// the range of the scale get the colour of its nearest end.
func (s *colourScale) colours() func(v float32) color.RGBA {
	lo, hi := s.cmap.Min(), s.cmap.Max()
	table := make([]color.RGBA, levels)
	for k, c := range s.cmap.Palette(levels).Colors() {
		table[k] = color.RGBAModel.Convert(c).(color.RGBA)
	}
	return func(v float32) color.RGBA {
		x := float64(v)
		if math.IsNaN(x) {
			return nanColour
		}
		frac := math.Max(0, math.Min(1, (x-lo)/(hi-lo))) // 0 at lo, 1 at hi
		return table[int(math.Round(frac*(levels-1)))]
	}
}
