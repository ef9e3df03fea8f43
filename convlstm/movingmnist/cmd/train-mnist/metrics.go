package main

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/seq2seq"
)

// Metrics is metrics.json. MSEs are per frame, in the benchmark's units:
// squared errors summed over the Size x Size pixels of a frame (pixels in
// [0, 1]), averaged over the predicted frames and the held-out sequences
// (per-pixel MSE x Size²).
type Metrics struct {
	ModelMSE    float64 `json:"model_mse_per_frame"`
	BaselineMSE float64 `json:"copy_last_frame_mse_per_frame"`
	// ZerosMSE is that of predicting empty frames, for scale.
	ZerosMSE float64 `json:"empty_frames_mse_per_frame"`
	// Ratio is ModelMSE / BaselineMSE, Margin 1 - Ratio: the fraction of
	// copy-last-frame's error the model removes.
	Ratio  float64 `json:"ratio"`
	Margin float64 `json:"margin"`
	Bound  float64 `json:"bound"`
	// CrossEntropy is the model's binary cross-entropy summed over the
	// predicted frames' pixels, averaged over sequences (Shi et al.'s
	// measure), with predictions clamped to [1e-7, 1-1e-7].
	CrossEntropy float64 `json:"model_cross_entropy_per_sequence"`
	// Per future frame 1..K.
	ModelByHorizon    []float64 `json:"model_mse_per_frame_by_horizon"`
	BaselineByHorizon []float64 `json:"copy_last_frame_mse_per_frame_by_horizon"`
	Seconds           float64   `json:"train_seconds"`
	Steps             int       `json:"steps"`
	Sequences         int       `json:"train_sequences"`
	// FinalLoss is the training MSE per pixel averaged over this run's
	// last 50 steps (0 when this run took none).
	FinalLoss float64 `json:"final_train_loss_per_pixel"`
	Config    Config  `json:"config"`
}

func newMetrics(ev *seq2seq.Eval, ce float64, c Config, p progress, losses []float64) Metrics {
	px := float64(c.Size * c.Size)
	m := Metrics{ModelMSE: ev.ModelMSE * px, BaselineMSE: ev.BaselineMSE * px, ZerosMSE: ev.ZerosMSE * px,
		Ratio: ev.ModelMSE / ev.BaselineMSE, Bound: c.Bound, CrossEntropy: ce,
		Seconds: p.Seconds, Steps: p.Steps, Sequences: p.Steps * c.Batch, Config: c}
	m.Margin = 1 - m.Ratio
	for k := range ev.ModelByHorizon {
		m.ModelByHorizon = append(m.ModelByHorizon, ev.ModelByHorizon[k]*px)
		m.BaselineByHorizon = append(m.BaselineByHorizon, ev.BaselineByHorizon[k]*px)
	}
	if n := min(50, len(losses)); n > 0 {
		for _, l := range losses[len(losses)-n:] {
			m.FinalLoss += l / float64(n)
		}
	}
	return m
}

// crossEntropy is the binary cross-entropy of the model's predictions of
// frames[:, in:] from frames[:, :in], summed over predicted pixels and
// averaged over sequences: -sum(y log p + (1-y) log(1-p)).
func crossEntropy(m *seq2seq.Model, frames *convlstm.Tensor, in int) (float64, error) {
	if frames == nil || frames.Dim() != 5 || in < 1 || in >= frames.Shape[1] {
		return 0, fmt.Errorf("crossEntropy: frames (B, T, C, H, W) with 1 <= in < T wanted, got %v and in = %d", frames.Shape, in)
	}
	B, T := frames.Shape[0], frames.Shape[1]
	const eps = 1e-7
	var sum float64
	for b0 := 0; b0 < B; b0 += 32 {
		part := batchRange(frames, b0, min(B, b0+32))
		pred, err := m.Predict(frameRange(part, 0, in), T-in) // (b, K, C, H, W)
		if err != nil {
			return 0, err
		}
		y := frameRange(part, in, T)
		for i, p := range pred.Data {
			q := math.Min(1-eps, math.Max(eps, float64(p)))
			t := float64(y.Data[i])
			sum -= t*math.Log(q) + (1-t)*math.Log(1-q)
		}
	}
	return sum / float64(B), nil
}

// batchRange returns x[b0:b1] as a copy.
func batchRange(x *convlstm.Tensor, b0, b1 int) *convlstm.Tensor {
	inner := len(x.Data) / x.Shape[0]
	out := convlstm.Zeros(append([]int{b1 - b0}, x.Shape[1:]...)...)
	copy(out.Data, x.Data[b0*inner:b1*inner])
	return out
}
