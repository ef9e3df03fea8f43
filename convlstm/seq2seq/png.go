package seq2seq

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"example.com/convlstm/convlstm"
)

// PredictionsPNG draws, for each of the first nSeq sequences of frames
// (B, T, 1, H, W) split after in input frames, three rows of T tiles:
//
//	row 1: the in input frames, then the true future frames
//	row 2: the model's predictions of the future frames
//	row 3: the copy-last-frame baseline (the last input frame, repeated)
//
// Rows 2 and 3 leave the input columns empty. Pixels are scaled up by
// scale; the result is a PNG file. (The approach of convlstm/train's
// PredictionsPNG.)
func PredictionsPNG(m *Model, frames *convlstm.Tensor, in, nSeq, scale int) ([]byte, error) {
	if frames == nil || frames.Dim() != 5 || frames.Shape[2] != 1 {
		return nil, fmt.Errorf("seq2seq: PredictionsPNG: frames must be (B, T, 1, H, W), got shape %v", shapeOf(frames))
	}
	T := frames.Shape[1]
	if in < 1 || in >= T {
		return nil, fmt.Errorf("seq2seq: PredictionsPNG: in = %d input frames of frames %v leaves nothing to predict", in, frames.Shape)
	}
	if nSeq <= 0 || scale <= 0 {
		return nil, fmt.Errorf("seq2seq: PredictionsPNG: nSeq and scale must be positive, got %d, %d", nSeq, scale)
	}
	nSeq = min(nSeq, frames.Shape[0])
	frames = batchRange(frames, 0, nSeq)
	K, H, W := T-in, frames.Shape[3], frames.Shape[4]
	pred, err := m.Predict(timeRange(frames, 0, in), K) // (nSeq, K, 1, H, W)
	if err != nil {
		return nil, err
	}
	const gap = 2
	cw, ch := W*scale+gap, H*scale+gap
	img := image.NewGray(image.Rect(0, 0, T*cw+3*gap, nSeq*(3*ch+gap)+gap))
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
		for t := 0; t < T; t++ {
			x0 := gap + t*cw
			if t >= in {
				x0 += 2 * gap // a wider gap between the inputs and the future
			}
			tile(frames.Data[(b*T+t)*hw:], x0, y0) // inputs, then truth
			if t >= in {
				tile(pred.Data[(b*K+t-in)*hw:], x0, y0+ch)     // model
				tile(frames.Data[(b*T+in-1)*hw:], x0, y0+2*ch) // copy last frame
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
