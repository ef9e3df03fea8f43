package seq2seq

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
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
	if err := m.CheckFrames(frames, T-in); err != nil {
		return nil, fmt.Errorf("seq2seq: PredictionsPNG: %w", err)
	}
	if nSeq <= 0 || scale <= 0 {
		return nil, fmt.Errorf("seq2seq: PredictionsPNG: nSeq and scale must be positive, got %d, %d", nSeq, scale)
	}
	nSeq = min(nSeq, frames.Shape[0])
	frames = frameops.BatchRange(frames, 0, nSeq)
	K, H, W := T-in, frames.Shape[3], frames.Shape[4]
	pred, err := m.Predict(timeRange(frames, 0, in), K) // (nSeq, K, 1, H, W)
	if err != nil {
		return nil, err
	}
	gap := frameops.Gap
	cw, ch := W*scale+gap, H*scale+gap
	pic := frameops.NewPicture(T*cw+3*gap, nSeq*(3*ch+gap)+gap, H, W, scale)
	hw := H * W
	for b := 0; b < nSeq; b++ {
		y0 := gap + b*(3*ch+gap)
		for t := 0; t < T; t++ {
			x0 := gap + t*cw
			if t >= in {
				x0 += 2 * gap // a wider gap between the inputs and the future
			}
			pic.Tile(frames.Data[(b*T+t)*hw:], x0, y0) // inputs, then truth
			if t >= in {
				pic.Tile(pred.Data[(b*K+t-in)*hw:], x0, y0+ch)     // model
				pic.Tile(frames.Data[(b*T+in-1)*hw:], x0, y0+2*ch) // copy last frame
			}
		}
	}
	return pic.PNG()
}
