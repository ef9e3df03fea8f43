package mnisttrain

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/seq2seq"
)

// Score is a model's error on held-out sequences in the benchmark's
// units. MSEs are per frame: squared errors summed over the H x W pixels
// of a frame (pixels in [0, 1]), averaged over the predicted frames and
// the sequences (that is, per-pixel MSE x H*W), as the Moving MNIST tables
// of later papers (e.g. PredRNN, Wang et al. 2017) report them.
type Score struct {
	// Model, CopyLast and Empty are the per-frame MSEs of the model, of
	// copy-last-frame (the last input frame repeated) and of empty frames.
	Model, CopyLast, Empty float64
	// ModelByHorizon[k] and CopyLastByHorizon[k] are those of future
	// frame k+1 alone.
	ModelByHorizon, CopyLastByHorizon []float64
	// CrossEntropy is the model's binary cross-entropy summed over the
	// predicted frames' pixels, averaged over sequences (Shi et al.'s
	// measure), with predictions clamped to [1e-7, 1-1e-7].
	CrossEntropy float64
}

// Evaluate scores m on frames (B, T, 1, H, W), the first in frames being
// the input: the MSEs by seq2seq.Evaluate, scaled to per-frame units, and
// the cross-entropy.
func Evaluate(m *seq2seq.Model, frames *convlstm.Tensor, in int) (*Score, error) {
	ev, err := seq2seq.Evaluate(m, frames, in)
	if err != nil {
		return nil, err
	}
	px := float64(frames.Shape[3] * frames.Shape[4])
	s := &Score{Model: ev.ModelMSE * px, CopyLast: ev.BaselineMSE * px, Empty: ev.ZerosMSE * px}
	for k := range ev.ModelByHorizon {
		s.ModelByHorizon = append(s.ModelByHorizon, ev.ModelByHorizon[k]*px)
		s.CopyLastByHorizon = append(s.CopyLastByHorizon, ev.BaselineByHorizon[k]*px)
	}
	if s.CrossEntropy, err = crossEntropy(m, frames, in); err != nil {
		return nil, err
	}
	return s, nil
}

// crossEntropy is -sum(y log p + (1-y) log(1-p)) over the predicted
// pixels, averaged over sequences.
func crossEntropy(m *seq2seq.Model, frames *convlstm.Tensor, in int) (float64, error) {
	B, T := frames.Shape[0], frames.Shape[1]
	if in < 1 || in >= T {
		return 0, fmt.Errorf("mnisttrain: crossEntropy: in = %d of %d frames", in, T)
	}
	const eps = 1e-7
	inner := len(frames.Data) / B
	var sum float64
	for b0 := 0; b0 < B; b0 += 32 {
		b1 := min(B, b0+32)
		part := convlstm.Zeros(append([]int{b1 - b0}, frames.Shape[1:]...)...)
		copy(part.Data, frames.Data[b0*inner:b1*inner])
		pred, err := m.Predict(FrameRange(part, 0, in), T-in) // (b, K, C, H, W)
		if err != nil {
			return 0, err
		}
		y := FrameRange(part, in, T)
		for i, p := range pred.Data {
			q := math.Min(1-eps, math.Max(eps, float64(p)))
			t := float64(y.Data[i])
			sum -= t*math.Log(q) + (1-t)*math.Log(1-q)
		}
	}
	return sum / float64(B), nil
}
