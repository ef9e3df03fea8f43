package main

import "example.com/convlstm/convlstm/movingmnist/mnisttrain"

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
	// copy-last-frame's error the model removes. The run fails when Ratio
	// is above Bound.
	Ratio  float64 `json:"ratio"`
	Margin float64 `json:"margin"`
	Bound  float64 `json:"bound"`
	// CrossEntropy: see mnisttrain.Score.
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

func newMetrics(s *mnisttrain.Score, c Config, p progress, losses []float64) Metrics {
	m := Metrics{ModelMSE: s.Model, BaselineMSE: s.CopyLast, ZerosMSE: s.Empty, Ratio: s.Model / s.CopyLast, Bound: c.Bound,
		CrossEntropy: s.CrossEntropy, ModelByHorizon: s.ModelByHorizon, BaselineByHorizon: s.CopyLastByHorizon,
		Seconds: p.Seconds, Steps: p.Steps, Sequences: p.Steps * c.Batch, Config: c}
	m.Margin = 1 - m.Ratio
	if n := min(50, len(losses)); n > 0 {
		for _, l := range losses[len(losses)-n:] {
			m.FinalLoss += l / float64(n)
		}
	}
	return m
}
