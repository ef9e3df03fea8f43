package train

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
)

// PredictionsPNG draws, for each of the first nSeq sequences of x
// (B, T, 1, H, W), three rows of T-1 frames: the true frames 1..T-1, the
// model's predictions of them, and the copy-last-frame baseline (frames
// 0..T-2). Pixels are scaled up by scale; the result is a PNG file.
func PredictionsPNG(m *Model, x *convlstm.Tensor, nSeq, scale int) ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkFrames(x, 2); err != nil {
		return nil, err
	}
	if nSeq <= 0 || scale <= 0 {
		return nil, fmt.Errorf("train: PredictionsPNG: nSeq and scale must be positive, got %d, %d", nSeq, scale)
	}
	nSeq = min(nSeq, x.Shape[0])
	x = frameops.BatchRange(x, 0, nSeq)
	T, H, W := x.Shape[1], x.Shape[3], x.Shape[4]
	pred, err := m.Predict(timeRange(x, 0, T-1))
	if err != nil {
		return nil, err
	}
	gap := frameops.Gap
	cw, ch := W*scale+gap, H*scale+gap
	pic := frameops.NewPicture((T-1)*cw+gap, nSeq*(3*ch+gap)+gap, H, W, scale)
	hw := H * W
	for b := 0; b < nSeq; b++ {
		y0 := gap + b*(3*ch+gap)
		for t := 0; t < T-1; t++ {
			x0 := gap + t*cw
			pic.Tile(x.Data[(b*T+t+1)*hw:], x0, y0)         // truth
			pic.Tile(pred.Data[(b*(T-1)+t)*hw:], x0, y0+ch) // model
			pic.Tile(x.Data[(b*T+t)*hw:], x0, y0+2*ch)      // copy last frame
		}
	}
	return pic.PNG()
}
