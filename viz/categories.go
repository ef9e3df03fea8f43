package viz

import (
	"fmt"
	"image/color"
	"math"

	"example.com/convlstm/convlstm"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxCategories is how many categories CategoryMap tells apart: the
// colours of the palette, each used once.
var maxCategories = len(categoryColours)

// CategoryMap draws a 2-D tensor of shape (H, W) whose values are category
// numbers 0, 1, ..., len(names)-1 (which tile a matrix entry belongs to,
// which region a pixel is in): every category gets a colour of the
// Okabe-Ito palette, and a legend on the right names it. The numbers are
// labels, not amounts, so there is no colour bar. Row 0 is on top;
// xLabel and yLabel name the axes ("column" and "row" if empty).
//
// Every value must be a whole number in [0, len(names)); at most 8
// categories.
func CategoryMap(t *convlstm.Tensor, title, xLabel, yLabel string, names []string) ([]byte, error) {
	const fn = "CategoryMap"
	if err := checkTensor(fn, "t", t, "(H, W)"); err != nil {
		return nil, err
	}
	if len(names) == 0 || len(names) > maxCategories {
		return nil, fmt.Errorf("viz: %s: %d names, want 1 to %d (one per category)", fn, len(names), maxCategories)
	}
	for i, v := range t.Data {
		if float64(v) != math.Trunc(float64(v)) || v < 0 || int(v) >= len(names) {
			return nil, fmt.Errorf("viz: %s: t.Data[%d] = %v, want a category number 0 to %d", fn, i, v, len(names)-1)
		}
	}
	h, w := t.Shape[0], t.Shape[1]
	if xLabel == "" {
		xLabel = "column"
	}
	if yLabel == "" {
		yLabel = "row"
	}
	p := newPlot(title)
	p.Add(categoryPlotter{data: t.Data, h: h, w: w})
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = pixelTicks{n: w}
	p.Y.Tick.Marker = pixelTicks{n: h}
	p.Y.Scale = plot.InvertedScale{Normalizer: p.Y.Scale}

	leg := newLegend()
	for k, name := range names {
		leg.Add(name, swatch{categoryColour(k)})
	}
	imgW, imgH := fitImage(12*vg.Centimeter, 5, h, w)
	// Room for the legend and the y label, whatever the aspect ratio:
	// the cells of a category map need not be square.
	imgH = max(imgH, 5*vg.Centimeter, vg.Length(len(names))*0.8*vg.Centimeter)
	legW := vg.Length(0)
	for _, n := range names {
		legW = max(legW, textStyle(labelSize, false).Width(n))
	}
	legW += 1.5 * vg.Centimeter
	plotW := imgW + 2*vg.Centimeter + legW
	plotH := imgH + 2.2*vg.Centimeter
	if title != "" {
		plotH += vg.Centimeter
	}
	plotW = max(plotW, textStyle(titleSize, true).Width(title)+2*margin)
	plotH = max(plotH, vg.Length(len(names))*0.7*vg.Centimeter+3*vg.Centimeter)
	return render(plotW, plotH, func(dc draw.Canvas) {
		drawWithLegend(dc, p, leg)
	})
}

// categoryPlotter draws category numbers as an image in the palette's
// colours, like imagePlotter draws values.
type categoryPlotter struct {
	data []float32
	h, w int
}

// Plot draws the image into the data area c.
func (cp categoryPlotter) Plot(c draw.Canvas, _ *plot.Plot) {
	size := c.Rectangle.Size()
	img := rasterWith(cp.data, cp.h, cp.w, func(v float32) color.RGBA { return categoryColour(int(v)) },
		dots(size.X), dots(size.Y))
	c.DrawImage(c.Rectangle, img)
	outline(c)
}

// DataRange tells the plot the extent of the image.
func (cp categoryPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(cp.w) - 0.5, -0.5, float64(cp.h) - 0.5
}

// swatch is a legend entry: a filled square of one colour.
type swatch struct{ colour color.Color }

// Thumbnail fills the legend's box; it implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.colour)
	c.Fill(c.Rectangle.Path())
	c.SetLineStyle(draw.LineStyle{Color: frameGrey, Width: vg.Points(0.5)})
	c.Stroke(c.Rectangle.Path())
}
