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

// sequential returns a grey scale from black (lo) to white (hi), whose
// brightness grows evenly. Used for the sigmoid gates and for
// non-negative data such as input frames. Grey has no hue, so the
// anti-aliased edge of a bright shape on a dark frame is a grey rim, not a
// coloured one, and it reads the same to every eye and on paper.
func sequential(label string, lo, hi float64) *colourScale {
	return newScale(label, &greyMap{}, lo, hi)
}

// greyMap is a palette.ColorMap from black (Min) to white (Max).
type greyMap struct{ min, max, alpha float64 }

func (g *greyMap) At(v float64) (color.Color, error) {
	if v < g.min || v > g.max {
		return nil, palette.ErrOverflow
	}
	f := 0.0
	if g.max > g.min {
		f = (v - g.min) / (g.max - g.min)
	}
	y := uint8(math.Round(255 * f))
	return color.RGBA{R: y, G: y, B: y, A: 255}, nil
}
func (g *greyMap) Max() float64     { return g.max }
func (g *greyMap) Min() float64     { return g.min }
func (g *greyMap) SetMax(v float64) { g.max = v }
func (g *greyMap) SetMin(v float64) { g.min = v }
func (g *greyMap) Alpha() float64   { return 1 }
func (g *greyMap) SetAlpha(float64) {}
func (g *greyMap) Palette(n int) palette.Palette {
	if n < 2 {
		n = 2
	}
	cs := make([]color.Color, n)
	for k := range cs {
		y := uint8(math.Round(255 * float64(k) / float64(n-1)))
		cs[k] = color.RGBA{R: y, G: y, B: y, A: 255}
	}
	return greyPalette(cs)
}

type greyPalette []color.Color

func (p greyPalette) Colors() []color.Color { return p }

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

// nanColour marks values that are NaN: a light yellow, in none of the
// scales (the grey scale has every grey).
var nanColour = color.RGBA{R: 0xF0, G: 0xE4, B: 0x42, A: 255}

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
