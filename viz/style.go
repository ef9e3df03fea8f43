package viz

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes used in every figure.
const (
	titleSize = 14 // figure titles
	labelSize = 12 // axis labels, row titles, legends
	tickSize  = 10 // tick labels, column titles
)

// sans is the typeface of all text: Liberation Sans, shipped with
// gonum/plot, reads better in small figures than the default serif face.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns the style for black text of the given size, centred on
// the point where it is drawn.
func textStyle(size vg.Length, bold bool) text.Style {
	f := font.From(sans, size)
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{
		Color:   color.Black,
		Font:    f,
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot.Plot that uses the fonts above.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = textStyle(titleSize, true).Font
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
	}
	p.Legend.TextStyle.Font = font.From(sans, labelSize)
	return p
}

// frameGrey outlines images, so that the white end of the sequential scale
// stands out from the white background.
var frameGrey = color.Gray{Y: 150}

// categoryColours are the colours of series, bar groups and categories:
// the Okabe-Ito palette (Okabe and Ito, 2008), which stays distinct for
// the common kinds of colour blindness. The order keeps red and green
// apart: the first two are blue and orange, and vermillion and bluish
// green never come as a pair among the first four.
var categoryColours = []color.RGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 255}, // blue
	{R: 0xE6, G: 0x9F, B: 0x00, A: 255}, // orange
	{R: 0x56, G: 0xB4, B: 0xE9, A: 255}, // sky blue
	{R: 0xCC, G: 0x79, B: 0xA7, A: 255}, // reddish purple
	{R: 0x00, G: 0x00, B: 0x00, A: 255}, // black
	{R: 0xD5, G: 0x5E, B: 0x00, A: 255}, // vermillion
	{R: 0x00, G: 0x9E, B: 0x73, A: 255}, // bluish green
	{R: 0x99, G: 0x99, B: 0x99, A: 255}, // grey
}

// categoryColour returns colour k of categoryColours, cycling.
func categoryColour(k int) color.RGBA {
	n := len(categoryColours)
	return categoryColours[((k%n)+n)%n]
}

// lineDashes are the dash patterns of line series, so that lines differ
// by their style as well as their colour (and in a grey print).
var lineDashes = [][]vg.Length{
	{},
	{vg.Points(7), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(7), vg.Points(2), vg.Points(2), vg.Points(2)},
	{vg.Points(12), vg.Points(4)},
}

// lineDash returns dash pattern k of lineDashes, cycling.
func lineDash(k int) []vg.Length {
	n := len(lineDashes)
	return lineDashes[((k%n)+n)%n]
}

// markerShapes are the marker shapes of line series: all filled or drawn
// with a thick line, each with a different outline.
var markerShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{},
	draw.SquareGlyph{},
	draw.TriangleGlyph{},
	draw.CrossGlyph{},
	draw.PlusGlyph{},
	draw.RingGlyph{},
	draw.BoxGlyph{},
	draw.PyramidGlyph{},
}

// markerShape returns shape k of markerShapes, cycling.
func markerShape(k int) draw.GlyphDrawer {
	n := len(markerShapes)
	return markerShapes[((k%n)+n)%n]
}
