package viz

import (
	"image"
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// raster paints an (h, w) image, stored row-major in data, with the colours
// of s into a picture of pxW × pxH pixels: every value becomes a block of
// pixels, row 0 on top as in any image viewer.
//
// Why not plotter.HeatMap? It draws every value as a separate rectangle,
// and anti-aliasing leaves thin white seams between them; its rasterized
// mode blurs small images when they are scaled up. Painting the blocks at
// the size they are shown gives sharp pixels and no seams.
func raster(data []float32, h, w int, s *colourScale, pxW, pxH int) *image.RGBA {
	return rasterWith(data, h, w, s.colours(), pxW, pxH)
}

// rasterWith is raster with any mapping from value to colour.
func rasterWith(data []float32, h, w int, colourOf func(float32) color.RGBA, pxW, pxH int) *image.RGBA {
	pxW, pxH = max(pxW, w), max(pxH, h)
	img := image.NewRGBA(image.Rect(0, 0, pxW, pxH))
	for py := range pxH {
		row := py * h / pxH
		for px := range pxW {
			col := px * w / pxW
			img.SetRGBA(px, py, colourOf(data[row*w+col]))
		}
	}
	return img
}

// drawImage paints the (h, w) data into the rectangle of c, at the
// resolution of the PNG, so that no scaling blurs it.
func drawImage(c draw.Canvas, data []float32, h, w int, s *colourScale) {
	size := c.Rectangle.Size()
	img := raster(data, h, w, s, dots(size.X), dots(size.Y))
	c.DrawImage(c.Rectangle, img)
}

// dots converts a length to whole pixels of the PNG.
func dots(l vg.Length) int { return int(l.Dots(dpi) + 0.5) }
