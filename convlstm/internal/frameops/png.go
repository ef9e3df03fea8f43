package frameops

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// Picture is a grey image of frame tiles on a grey background, for the
// models' prediction pictures.
type Picture struct {
	img         *image.Gray
	h, w, scale int
}

// Gap is the space in pixels between two tiles.
const Gap = 2

// NewPicture returns a picture of the given size in pixels for tiles of
// h x w frames scaled up by scale.
func NewPicture(width, height, h, w, scale int) *Picture {
	img := image.NewGray(image.Rect(0, 0, width, height))
	for i := range img.Pix {
		img.Pix[i] = 96 // grey background between the tiles
	}
	return &Picture{img: img, h: h, w: w, scale: scale}
}

// Tile draws the frame src (h*w values, clamped to [0, 1]) with its top
// left corner at (x0, y0).
func (p *Picture) Tile(src []float32, x0, y0 int) {
	for y := 0; y < p.h*p.scale; y++ {
		for x := 0; x < p.w*p.scale; x++ {
			v := src[(y/p.scale)*p.w+x/p.scale]
			p.img.SetGray(x0+x, y0+y, color.Gray{Y: uint8(255*min(1, max(0, v)) + 0.5)})
		}
	}
}

// PNG encodes the picture.
func (p *Picture) PNG() ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, p.img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
