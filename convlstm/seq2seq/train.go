package seq2seq

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/optim"
)

// Options of Train. Zero fields take the defaults noted.
type Options struct {
	// In is the number J of input frames of each sequence; the model
	// predicts the remaining K = Frames - J (default Frames/2).
	In int
	// Seconds bounds the training time (default 60). Training stops at
	// whichever of Seconds and MaxSteps comes first.
	Seconds float64
	// MaxSteps bounds the number of optimizer steps (0: no bound).
	MaxSteps int
	// BatchSize is the number of sequences per step (default 8).
	BatchSize int
	// LR is Adam's learning rate (default 1e-2).
	LR float64
	// ClipNorm clips the gradient's 2-norm (default 1; negative: off).
	ClipNorm float64
	// Progress, when non-nil, receives a one-line progress bar (step,
	// loss, elapsed, ETA), redrawn with carriage returns.
	Progress io.Writer
}

// Result is what Train returns.
type Result struct {
	// Losses holds the training loss (MSE of the batch) of every step.
	Losses  []float64
	Steps   int
	Seconds float64
}

// Train trains m on fresh batches from gen with Adam (and gradient
// clipping) until the time or step bound of opts: each sequence of
// gen.Config().Frames frames is split into opts.In input frames and the
// rest as targets.
func Train(m *Model, gen *movingshapes.Generator, opts Options) (*Result, error) {
	if m == nil || gen == nil {
		return nil, fmt.Errorf("seq2seq: Train: nil model or generator")
	}
	T := gen.Config().Frames
	if opts.In == 0 {
		opts.In = T / 2
	}
	if opts.Seconds == 0 {
		opts.Seconds = 60
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 8
	}
	if opts.LR == 0 {
		opts.LR = 1e-2
	}
	if opts.ClipNorm == 0 {
		opts.ClipNorm = 1
	}
	if opts.Seconds < 0 || opts.BatchSize < 0 || opts.LR < 0 || opts.MaxSteps < 0 {
		return nil, fmt.Errorf("seq2seq: Train: negative option in %+v", opts)
	}
	if opts.In < 1 || opts.In >= T {
		return nil, fmt.Errorf("seq2seq: Train: In = %d input frames of %d-frame sequences leaves nothing to predict (want 1 <= In < %d)", opts.In, T, T)
	}
	adam := optim.NewAdam()
	adam.LR = opts.LR
	params := m.StateDict()
	res := &Result{}
	start := time.Now()
	budget := time.Duration(opts.Seconds * float64(time.Second))
	var lastDraw time.Time
	for {
		elapsed := time.Since(start)
		if elapsed >= budget || (opts.MaxSteps > 0 && res.Steps >= opts.MaxSteps) {
			break
		}
		batch, err := gen.Batch(opts.BatchSize) // (B, T, 1, S, S)
		if err != nil {
			return nil, err
		}
		loss, grads, err := m.LossAndGrad(timeRange(batch, 0, opts.In), timeRange(batch, opts.In, T))
		if err != nil {
			return nil, err
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("seq2seq: Train: loss is %g at step %d", loss, res.Steps)
		}
		if opts.ClipNorm > 0 {
			if _, err := optim.ClipGradNorm(grads, opts.ClipNorm); err != nil {
				return nil, err
			}
		}
		if err := adam.Step(params, grads); err != nil {
			return nil, err
		}
		res.Losses = append(res.Losses, loss)
		res.Steps++
		if opts.Progress != nil && time.Since(lastDraw) > 200*time.Millisecond {
			lastDraw = time.Now()
			drawProgress(opts.Progress, res, time.Since(start), budget, opts.MaxSteps)
		}
	}
	res.Seconds = time.Since(start).Seconds()
	if opts.Progress != nil {
		drawProgress(opts.Progress, res, time.Since(start), 0, 0)
		fmt.Fprintln(opts.Progress)
	}
	return res, nil
}

// drawProgress redraws the progress line: the bar follows the time budget
// (or the step bound, when it comes first).
func drawProgress(w io.Writer, res *Result, elapsed, budget time.Duration, maxSteps int) {
	frac := 1.0 // budget 0: the final redraw
	if budget > 0 {
		frac = math.Min(1, elapsed.Seconds()/budget.Seconds())
	}
	if budget > 0 && maxSteps > 0 {
		frac = math.Max(frac, float64(res.Steps)/float64(maxSteps))
	}
	eta := time.Duration((1 - frac) / math.Max(frac, 1e-9) * float64(elapsed))
	const width = 30
	full := int(frac * width)
	bar := strings.Repeat("=", full) + strings.Repeat(" ", width-full)
	// Smooth the loss over the last 20 steps.
	n := min(20, len(res.Losses))
	var avg float64
	for _, l := range res.Losses[len(res.Losses)-n:] {
		avg += l / float64(n)
	}
	fmt.Fprintf(w, "\rtrain-seq2seq [%s] %3.0f%%  step %5d  loss %.5f  elapsed %s  ETA %s ", bar, 100*frac, res.Steps, avg,
		elapsed.Truncate(time.Second), eta.Truncate(time.Second))
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
	frame := frames.Shape[2] * frames.Shape[3] * frames.Shape[4]
	ev := &Eval{ModelByHorizon: make([]float64, K), BaselineByHorizon: make([]float64, K)}
	var zeros float64
	const chunk = 32
	for b0 := 0; b0 < B; b0 += chunk {
		part := batchRange(frames, b0, min(B, b0+chunk))
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
	B, T := x.Shape[0], x.Shape[1]
	inner := len(x.Data) / (B * T)
	shape := append([]int{B, t1 - t0}, x.Shape[2:]...)
	out := convlstm.Zeros(shape...)
	for b := 0; b < B; b++ {
		copy(out.Data[b*(t1-t0)*inner:(b+1)*(t1-t0)*inner], x.Data[(b*T+t0)*inner:(b*T+t1)*inner])
	}
	return out
}

// batchRange returns x[b0:b1] as a copy.
func batchRange(x *convlstm.Tensor, b0, b1 int) *convlstm.Tensor {
	inner := len(x.Data) / x.Shape[0]
	out := convlstm.Zeros(append([]int{b1 - b0}, x.Shape[1:]...)...)
	copy(out.Data, x.Data[b0*inner:b1*inner])
	return out
}
