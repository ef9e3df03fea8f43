package viz

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// newLegend returns an empty legend in the fonts of this package, with the
// names to the right of their symbols.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sans, labelSize)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(4)
	return l
}

// drawWithLegend draws p into dc with the legend in a column on the right,
// beside the data area, where it cannot hide any data. (The legend of
// gonum/plot itself is drawn inside the data area.)
func drawWithLegend(dc draw.Canvas, p *plot.Plot, leg plot.Legend) {
	dc = draw.Crop(dc, margin/2, -margin/2, margin/2, -margin/2)
	w := leg.Rectangle(dc).Size().X + margin
	area := draw.Crop(dc, 0, -w, 0, 0)
	p.Draw(area)
	data := p.DataCanvas(area)
	column := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: dc.Max.X - w + margin, Y: data.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: data.Max.Y},
	}}
	leg.Draw(column)
}
