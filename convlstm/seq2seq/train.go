package seq2seq

import (
	"fmt"
	"io"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/train"
)

// Options of Train. Zero fields take the defaults noted. All but In are
// train.Options' fields (Train hands them to train.Loop, which documents
// them and refuses the same values), with BatchSize 8 by default here;
// they are repeated rather than embedded so that Options stays a flat
// literal, as notebook 06 writes it.
type Options struct {
	// In is the number J of input frames of each sequence; the model
	// predicts the remaining K = Frames - J (default Frames/2).
	In int

	Seconds   float64   // train.Options.Seconds (default 60)
	MaxSteps  int       // train.Options.MaxSteps (0: no bound)
	BatchSize int       // sequences per step (default 8)
	LR        float64   // train.Options.LR (default 1e-2)
	ClipNorm  float64   // train.Options.ClipNorm (default 1; negative: off)
	Progress  io.Writer // train.Options.Progress (a one-line progress bar)
}

// Result is what Train returns: the loss of every step, the number of
// steps and the seconds they took (train.Result, shared with the next-frame
// model's training).
type Result = train.Result

// Train trains m on fresh batches from gen with Adam (and gradient
// clipping) until the time or step bound of opts: each sequence of
// gen.Config().Frames frames is split into opts.In input frames and the
// rest as targets. The loop is convlstm/train's (train.Loop).
func Train(m *Model, gen *movingshapes.Generator, opts Options) (*Result, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if gen == nil {
		return nil, fmt.Errorf("seq2seq: Train: nil generator")
	}
	T := gen.Config().Frames
	if opts.In == 0 {
		opts.In = T / 2
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 8
	}
	if opts.In < 1 || opts.In >= T {
		return nil, fmt.Errorf("seq2seq: Train: In = %d input frames of %d-frame sequences leaves nothing to predict (want 1 <= In < %d)", opts.In, T, T)
	}
	return train.Loop("train-seq2seq", m.StateDict(), gen,
		train.Options{Seconds: opts.Seconds, MaxSteps: opts.MaxSteps, BatchSize: opts.BatchSize, LR: opts.LR, ClipNorm: opts.ClipNorm, Progress: opts.Progress},
		m.lossAndGradOf(opts.In))
}

// lossAndGradOf returns the loss function of Train: LossAndGrad on the
// first in frames of a batch (B, T, C, H, W) and the rest as targets, the
// two copied into memory kept between steps.
func (m *Model) lossAndGradOf(in int) func(batch *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
	var input, target *convlstm.Tensor
	return func(batch *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error) {
		input = frameops.TimeRange(input, batch, 0, in)                // (B, J, C, H, W)
		target = frameops.TimeRange(target, batch, in, batch.Shape[1]) // (B, K, C, H, W)
		return m.LossAndGrad(input, target)
	}
}

// Eval is the score of a model on held-out sequences, over all predicted
// frames.
type Eval struct {
	// ModelMSE is the mean squared error of the model's K predicted frames.
	ModelMSE float64
	// BaselineMSE is that of copy-last-frame: the last input frame
	// repeated for all K future frames.
	BaselineMSE float64
	// ZerosMSE is that of predicting empty (all-zero) frames, for scale:
	// once shapes have moved away from where they were, it beats
	// copy-last-frame.
	ZerosMSE float64
	// ModelByHorizon[k] and BaselineByHorizon[k] are the MSEs of future
	// frame k+1 alone.
	ModelByHorizon, BaselineByHorizon []float64
}

// Evaluate scores m on frames (B, T, C, H, W): the first in frames are
// the input, the other T - in the targets. The model runs on chunks of at
// most 32 sequences.
func Evaluate(m *Model, frames *convlstm.Tensor, in int) (*Eval, error) {
	if frames == nil || frames.Dim() != 5 {
		return nil, fmt.Errorf("seq2seq: Evaluate: frames must be (B, T, C, H, W), got shape %v", shapeOf(frames))
	}
	B, T := frames.Shape[0], frames.Shape[1]
	if in < 1 || in >= T {
		return nil, fmt.Errorf("seq2seq: Evaluate: in = %d input frames of frames %v leaves nothing to predict", in, frames.Shape)
	}
	K := T - in
	// The whole batch is checked once (every size positive, as many values
	// as the shape says): an empty batch would give NaN means.
	if err := m.CheckFrames(frames, K); err != nil {
		return nil, fmt.Errorf("seq2seq: Evaluate: %w", err)
	}
	frame := frames.Shape[2] * frames.Shape[3] * frames.Shape[4]
	ev := &Eval{ModelByHorizon: make([]float64, K), BaselineByHorizon: make([]float64, K)}
	var zeros float64
	const chunk = 32
	for b0 := 0; b0 < B; b0 += chunk {
		part := frameops.BatchRange(frames, b0, min(B, b0+chunk))
		pred, err := m.Predict(timeRange(part, 0, in), K)
		if err != nil {
			return nil, err
		}
		for b := 0; b < part.Shape[0]; b++ {
			last := part.Data[(b*T+in-1)*frame : (b*T+in)*frame]
			for k := 0; k < K; k++ {
				y := part.Data[(b*T+in+k)*frame : (b*T+in+k+1)*frame]
				p := pred.Data[(b*K+k)*frame : (b*K+k+1)*frame]
				for i, v := range y {
					d, e := float64(p[i]-v), float64(last[i]-v)
					ev.ModelByHorizon[k] += d * d
					ev.BaselineByHorizon[k] += e * e
					zeros += float64(v) * float64(v)
				}
			}
		}
	}
	n := float64(B * frame) // values per horizon
	for k := 0; k < K; k++ {
		ev.ModelMSE += ev.ModelByHorizon[k] / (n * float64(K))
		ev.BaselineMSE += ev.BaselineByHorizon[k] / (n * float64(K))
		ev.ModelByHorizon[k] /= n
		ev.BaselineByHorizon[k] /= n
	}
	ev.ZerosMSE = zeros / (n * float64(K))
	return ev, nil
}

// timeRange returns x[:, t0:t1] of a (B, T, ...) tensor as a copy.
func timeRange(x *convlstm.Tensor, t0, t1 int) *convlstm.Tensor {
	return frameops.TimeRange(nil, x, t0, t1)
}
