package viz

import (
	"bytes"
	"fmt"
	"os"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// dpi is the resolution of every PNG: 96 dots per inch is what a browser
// (and so Jupyter) assumes, so a figure is shown at its natural size.
const dpi = 96

// render makes a white canvas of the given size, lets paint draw on it and
// returns the picture as PNG bytes.
//
// The callers check their input before drawing, so paint should not
// panic. gonum/plot does panic on a few degenerate inputs, though, so a
// panic that slips through is turned into an error as a last resort.
func render(width, height vg.Length, paint func(dc draw.Canvas)) (png []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			png, err = nil, fmt.Errorf("viz: drawing failed: %v", r)
		}
	}()
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	paint(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("viz: encoding PNG: %v", err)
	}
	return buf.Bytes(), nil
}

// WritePNG writes the PNG bytes returned by the other functions to a file,
// creating or truncating it.
func WritePNG(path string, png []byte) error {
	if len(png) == 0 {
		return fmt.Errorf("viz: WritePNG: png is empty, want the bytes of a PNG image")
	}
	return os.WriteFile(path, png, 0o644)
}
