package train

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"example.com/convlstm/convlstm"
)

// PredictionsPNG draws, for each of the first nSeq sequences of frames
// (B, T, 1, H, W), three rows of T-1 frames: the true frames 1..T-1, the
// model's predictions of them, and the copy-last-frame baseline (frames
// 0..T-2). Pixels are scaled up by scale; the result is a PNG file.
func PredictionsPNG(m *Model, frames *convlstm.Tensor, nSeq, scale int) ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkFrames(frames, 2); err != nil {
		return nil, err
	}
	if nSeq <= 0 || scale <= 0 {
		return nil, fmt.Errorf("train: PredictionsPNG: nSeq and scale must be positive, got %d, %d", nSeq, scale)
	}
	nSeq = min(nSeq, frames.Shape[0])
	frames = timeRange(batchRange(frames, nSeq), 0, frames.Shape[1])
	T, H, W := frames.Shape[1], frames.Shape[3], frames.Shape[4]
	pred, err := m.Predict(timeRange(frames, 0, T-1))
	if err != nil {
		return nil, err
	}
	const gap = 2
	cw, ch := W*scale+gap, H*scale+gap
	img := image.NewGray(image.Rect(0, 0, (T-1)*cw+gap, nSeq*(3*ch+gap)+gap))
	for i := range img.Pix {
		img.Pix[i] = 96 // grey background between the tiles
	}
	hw := H * W
	tile := func(src []float32, x0, y0 int) {
		for y := 0; y < H*scale; y++ {
			for x := 0; x < W*scale; x++ {
				v := src[(y/scale)*W+x/scale]
				img.SetGray(x0+x, y0+y, color.Gray{Y: uint8(255*min(1, max(0, v)) + 0.5)})
			}
		}
	}
	for b := 0; b < nSeq; b++ {
		y0 := gap + b*(3*ch+gap)
		for t := 0; t < T-1; t++ {
			x0 := gap + t*cw
			tile(frames.Data[(b*T+t+1)*hw:], x0, y0)    // truth
			tile(pred.Data[(b*(T-1)+t)*hw:], x0, y0+ch) // model
			tile(frames.Data[(b*T+t)*hw:], x0, y0+2*ch) // copy last frame
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// batchRange returns x[:n] of a 5-D tensor as a copy.
func batchRange(x *convlstm.Tensor, n int) *convlstm.Tensor {
	inner := len(x.Data) / x.Shape[0]
	out := convlstm.Zeros(append([]int{n}, x.Shape[1:]...)...)
	copy(out.Data, x.Data[:n*inner])
	return out
}
