package viz

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tile is one small heat map in a tileGrid: an image stored row-major in
// data, drawn with scale. A tile with nil data stays blank.
type tile struct {
	data  []float32
	scale *colourScale
}

// tileGrid is a figure made of equally sized heat maps arranged in rows
// and columns, with a title on top, a title for every row on the left and
// for every column above, and one colour bar per scale at the bottom.
// GatePanel, GatesOverTime and FrameRows all build one and render it.
type tileGrid struct {
	title     string
	rowTitles []string
	colTitles []string
	tiles     [][]tile // tiles[row][col]
	h, w      int      // size of every image
	scales    []*colourScale
}

// Sizes of the parts of a tileGrid.
var (
	tileGap       = vg.Length(0.15 * vg.Centimeter) // between two tiles
	margin        = vg.Length(0.4 * vg.Centimeter)  // around the figure
	colourBarH    = vg.Length(2.0 * vg.Centimeter)  // a colour bar with its ticks and label
	colourBarMaxW = vg.Length(6 * vg.Centimeter)    // the widest a colour bar gets
)

// tileSize returns the width and height of one tile: wide enough to see the
// pixels, narrower when there are many columns, and with the aspect ratio
// of the (h, w) images (within reason).
func tileSize(cols, h, w int) (vg.Length, vg.Length) {
	width := 30 * vg.Centimeter / vg.Length(cols)
	width = min(max(width, 1.6*vg.Centimeter), 2.6*vg.Centimeter)
	height := width * vg.Length(h) / vg.Length(w)
	height = min(max(height, width/2), 2*width)
	return width, height
}

// png lays the grid out and renders it.
func (g *tileGrid) png() ([]byte, error) {
	rows, cols := len(g.rowTitles), len(g.colTitles)
	tileW, tileH := tileSize(cols, g.h, g.w)

	titleSty := textStyle(titleSize, true)
	rowSty := textStyle(labelSize, false)
	rowSty.XAlign = draw.XRight
	colSty := textStyle(tickSize, false)

	// Widths and heights of the parts, from the outside in.
	var rowTitleW vg.Length
	for _, s := range g.rowTitles {
		rowTitleW = max(rowTitleW, rowSty.Width(s))
	}
	var titleH vg.Length
	if g.title != "" {
		titleH = titleSty.Height(g.title) + margin
	}
	colTitleH := colSty.Height("0") + tileGap
	gridW := vg.Length(cols)*tileW + vg.Length(cols-1)*tileGap
	gridH := vg.Length(rows)*tileH + vg.Length(rows-1)*tileGap

	left := margin + rowTitleW + margin
	width := left + gridW + margin
	width = max(width, titleSty.Width(g.title)+2*margin)
	width = max(width, vg.Length(len(g.scales))*4*vg.Centimeter+2*margin)
	height := margin + titleH + colTitleH + gridH + margin + colourBarH

	return render(width, height, func(dc draw.Canvas) {
		top := dc.Max.Y - margin
		dc.FillText(titleSty, vg.Point{X: dc.Center().X, Y: top - titleSty.Height(g.title)/2}, g.title)
		top -= titleH

		// Column titles, then one row of tiles after the other.
		for c, s := range g.colTitles {
			x := left + vg.Length(c)*(tileW+tileGap) + tileW/2
			dc.FillText(colSty, vg.Point{X: x, Y: top - colSty.Height(s)/2}, s)
		}
		top -= colTitleH
		for r, s := range g.rowTitles {
			y := top - vg.Length(r)*(tileH+tileGap) // top edge of this row
			dc.FillText(rowSty, vg.Point{X: left - margin, Y: y - tileH/2}, s)
			for c, t := range g.tiles[r] {
				x := left + vg.Length(c)*(tileW+tileGap)
				box := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: y - tileH},
					Max: vg.Point{X: x + tileW, Y: y},
				}}
				if t.data != nil {
					drawImage(box, t.data, g.h, g.w, t.scale)
					outline(box)
				}
			}
		}

		// The colour bars share the bottom strip, side by side.
		if len(g.scales) > 0 {
			n := vg.Length(len(g.scales))
			barW := min((dc.Max.X-2*margin)/n, colourBarMaxW)
			x0 := dc.Center().X - n*barW/2
			for i, s := range g.scales {
				x := x0 + vg.Length(i)*barW
				bar := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x + margin/2, Y: dc.Min.Y + margin/2},
					Max: vg.Point{X: x + barW - margin/2, Y: dc.Min.Y + colourBarH},
				}}
				colourBar(s, false).Draw(bar)
			}
		}
	})
}

// outline draws a thin grey frame around c.
func outline(c draw.Canvas) {
	c.SetLineStyle(draw.LineStyle{Color: frameGrey, Width: vg.Points(0.75)})
	c.Stroke(c.Rectangle.Path())
}

// colourBar returns a plot that shows the colours of s with its values on
// an axis and its label as the axis label. vertical puts the values on the
// y axis instead of the x axis.
func colourBar(s *colourScale, vertical bool) *plot.Plot {
	p := newPlot("")
	p.Add(&plotter.ColorBar{ColorMap: s.cmap, Vertical: vertical})
	if vertical {
		p.HideX()
		p.Y.Label.Text = s.label
		p.Y.Padding = 0
	} else {
		p.HideY()
		p.X.Label.Text = s.label
		p.X.Padding = 0
	}
	return p
}
