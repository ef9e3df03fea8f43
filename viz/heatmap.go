package viz

import (
	"example.com/convlstm/convlstm"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a 2-D tensor of shape (H, W) as an image with row 0 on
// top, pixel indices on the axes and a colour bar on the right. Use Sub to
// take one frame out of a bigger tensor, e.g. Sub(out, b, t, ch).
//
// The colours follow the data: the sequential scale on [0, max] if no
// value is negative, otherwise the diverging scale on [-m, m] with white
// at 0.
func Heatmap(t *convlstm.Tensor, title string) ([]byte, error) {
	if err := checkTensor("Heatmap", "t", t, "(H, W)"); err != nil {
		return nil, err
	}
	h, w := t.Shape[0], t.Shape[1]
	scale := autoScale("", t.Data)

	p := newPlot(title)
	p.Add(imagePlotter{data: t.Data, h: h, w: w, scale: scale})
	p.X.Label.Text = "column"
	p.Y.Label.Text = "row"
	p.X.Tick.Marker = pixelTicks{n: w}
	p.Y.Tick.Marker = pixelTicks{n: h}
	// Image rows count downwards: put y = 0 at the top of the axis.
	p.Y.Scale = plot.InvertedScale{Normalizer: p.Y.Scale}

	// The image fits in a 10 cm square and keeps its aspect ratio (within
	// reason); the plot adds room for the title and the axes.
	imgW, imgH := fitImage(10*vg.Centimeter, 4, h, w)
	barW := 2.2 * vg.Centimeter
	plotW := imgW + 2*vg.Centimeter
	plotH := imgH + 2.2*vg.Centimeter
	if title != "" {
		plotH += vg.Centimeter
	}
	plotW = max(plotW, textStyle(titleSize, true).Width(title)+margin)

	return render(plotW+barW, plotH, func(dc draw.Canvas) {
		p.Draw(draw.Crop(dc, 0, -barW, 0, 0))
		// The colour bar spans the height of the image.
		img := p.DataCanvas(draw.Crop(dc, 0, -barW, 0, 0))
		bar := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: dc.Max.X - barW + margin, Y: img.Min.Y},
			Max: vg.Point{X: dc.Max.X - margin, Y: img.Max.Y},
		}}
		cb := colourBar(scale, true)
		// Keep the bar itself narrow: the rest of its canvas holds the axis.
		cbData := cb.DataCanvas(bar)
		bar.Min.X += (cbData.Max.X - cbData.Min.X) - 0.5*vg.Centimeter
		cb.Draw(bar)
	})
}

// imagePlotter is a plot.Plotter that fills the data area of a plot with
// an (h, w) image: column c covers x in [c-0.5, c+0.5] and row r covers
// y in [r-0.5, r+0.5], row 0 at the top.
type imagePlotter struct {
	data  []float32
	h, w  int
	scale *colourScale
}

// Plot draws the image into the data area c.
func (ip imagePlotter) Plot(c draw.Canvas, _ *plot.Plot) {
	drawImage(c, ip.data, ip.h, ip.w, ip.scale)
	outline(c)
}

// DataRange tells the plot the extent of the image.
func (ip imagePlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(ip.w) - 0.5, -0.5, float64(ip.h) - 0.5
}

// fitImage returns the size of an h x w image drawn in a side x side
// square: its aspect ratio kept, except that no edge is shorter than
// side/minDiv.
func fitImage(side, minDiv vg.Length, h, w int) (imgW, imgH vg.Length) {
	imgW, imgH = side, side
	if w > h {
		imgH = max(side*vg.Length(h)/vg.Length(w), side/minDiv)
	} else {
		imgW = max(side*vg.Length(w)/vg.Length(h), side/minDiv)
	}
	return imgW, imgH
}
