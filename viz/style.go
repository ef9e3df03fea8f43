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
