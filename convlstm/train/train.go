package train

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/optim"
)

// Options of Train. Zero fields take the defaults noted; Loop refuses,
// before any step, a NaN or negative value, an infinite LR, and an
// infinite Seconds with no MaxSteps, naming the field.
type Options struct {
	// Seconds bounds the training time (default 60; +Inf: no bound, only
	// with MaxSteps). Training stops at whichever of Seconds and MaxSteps
	// comes first.
	Seconds float64
	// MaxSteps bounds the number of optimizer steps (0: no bound).
	MaxSteps int
	// BatchSize is the number of sequences per step (default 16).
	BatchSize int
	// LR is Adam's learning rate (default 1e-2; finite).
	LR float64
	// ClipNorm clips the gradient's 2-norm (default 1; negative: off; NaN
	// is an error, not "off").
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
// clipping) until the time or step bound of opts.
func Train(m *Model, gen *movingshapes.Generator, opts Options) (*Result, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if gen == nil {
		return nil, fmt.Errorf("train: Train: nil generator")
	}
	return Loop("train", m.StateDict(), gen, opts, m.LossAndGrad)
}

// Loop is the training loop of Train, for any model: each step draws
// opts.BatchSize fresh sequences (B, T, C, H, W) from gen, gets the loss
// and the gradients of params (by name) from lossAndGrad, clips them to
// opts.ClipNorm and takes an Adam step on params, until the time or step
// bound of opts. label names the run in errors and on the progress line.
// Zero fields of opts take the defaults that Options notes.
func Loop(label string, params map[string]*convlstm.Tensor, gen *movingshapes.Generator,
	opts Options, lossAndGrad func(batch *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error)) (*Result, error) {
	if gen == nil || lossAndGrad == nil {
		return nil, fmt.Errorf("%s: nil generator or loss function", label)
	}
	opts, err := opts.withDefaults(label)
	if err != nil {
		return nil, err
	}
	st := &stepper{params: params, lossAndGrad: lossAndGrad, adam: optim.NewAdam(), clipNorm: opts.ClipNorm, label: label}
	st.adam.LR = opts.LR
	res := &Result{}
	if opts.MaxSteps > 0 {
		res.Losses = make([]float64, 0, min(opts.MaxSteps, 1<<20))
	}
	start := time.Now()
	var lastDraw time.Time
	var batch *convlstm.Tensor // drawn into step after step
	for {
		// The budget is compared in float seconds: as a time.Duration,
		// 1e10 s or +Inf would overflow (to a negative budget).
		if time.Since(start).Seconds() >= opts.Seconds || (opts.MaxSteps > 0 && res.Steps >= opts.MaxSteps) {
			break
		}
		batch, err = gen.BatchInto(batch, opts.BatchSize)
		if err != nil {
			return nil, err
		}
		loss, err := st.step(batch, res.Steps)
		if err != nil {
			return nil, err
		}
		res.Losses = append(res.Losses, loss)
		res.Steps++
		if opts.Progress != nil && time.Since(lastDraw) > 200*time.Millisecond {
			lastDraw = time.Now()
			drawProgress(opts.Progress, label, res, time.Since(start), opts.Seconds, opts.MaxSteps)
		}
	}
	res.Seconds = time.Since(start).Seconds()
	if opts.Progress != nil {
		drawProgress(opts.Progress, label, res, time.Since(start), 0, 0)
		fmt.Fprintln(opts.Progress)
	}
	return res, nil
}

// withDefaults fills the zero fields of o and validates them; label names
// the run in errors. Every comparison is written so that NaN fails it.
func (o Options) withDefaults(label string) (Options, error) {
	o.Seconds = cmp.Or(o.Seconds, 60)
	o.BatchSize = cmp.Or(o.BatchSize, 16)
	o.LR = cmp.Or(o.LR, 1e-2)
	o.ClipNorm = cmp.Or(o.ClipNorm, 1)
	switch {
	case !(o.Seconds > 0):
		return o, fmt.Errorf("%s: Options.Seconds must be positive, got %g", label, o.Seconds)
	case math.IsInf(o.Seconds, 1) && o.MaxSteps == 0:
		return o, fmt.Errorf("%s: Options.Seconds is +Inf and MaxSteps 0: training would never end", label)
	case o.MaxSteps < 0:
		return o, fmt.Errorf("%s: Options.MaxSteps must be >= 0 (0: no bound), got %d", label, o.MaxSteps)
	case o.BatchSize < 0:
		return o, fmt.Errorf("%s: Options.BatchSize must be positive, got %d", label, o.BatchSize)
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return o, fmt.Errorf("%s: Options.LR must be positive and finite, got %g", label, o.LR)
	case math.IsNaN(o.ClipNorm):
		return o, fmt.Errorf("%s: Options.ClipNorm must be a number (negative: no clipping), got %g", label, o.ClipNorm)
	}
	return o, nil
}

// stepper is one optimizer step of Loop: the loss and gradients, the
// clipping, Adam. Its clipper and Adam keep their memory between steps.
type stepper struct {
	params      map[string]*convlstm.Tensor
	lossAndGrad func(batch *convlstm.Tensor) (float64, map[string]*convlstm.Tensor, error)
	adam        *optim.Adam
	clip        optim.Clipper
	clipNorm    float64
	label       string
}

// step trains on one batch and returns its loss; n numbers the step in
// errors.
func (s *stepper) step(batch *convlstm.Tensor, n int) (float64, error) {
	loss, grads, err := s.lossAndGrad(batch)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, fmt.Errorf("%s: loss is %g at step %d", s.label, loss, n)
	}
	if s.clipNorm > 0 {
		if _, err := s.clip.Clip(grads, s.clipNorm); err != nil {
			return 0, err
		}
	}
	if err := s.adam.Step(s.params, grads); err != nil {
		return 0, err
	}
	return loss, nil
}

// TrainFor trains m for the given number of seconds with the default
// options and returns the loss curve (one value per step).
func TrainFor(m *Model, gen *movingshapes.Generator, seconds float64) ([]float64, error) {
	res, err := Train(m, gen, Options{Seconds: seconds})
	if err != nil {
		return nil, err
	}
	return res.Losses, nil
}

// drawProgress redraws the progress line: the bar follows the time budget
// in seconds (or the step bound, when it comes first).
func drawProgress(w io.Writer, label string, res *Result, elapsed time.Duration, budget float64, maxSteps int) {
	frac := 1.0 // budget 0: the final redraw
	if budget > 0 {
		frac = math.Min(1, elapsed.Seconds()/budget) // 0 for an infinite budget
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
	fmt.Fprintf(w, "\r%s [%s] %3.0f%%  step %5d  loss %.5f  elapsed %s  ETA %s ", label, bar, 100*frac, res.Steps, avg,
		elapsed.Truncate(time.Second), eta.Truncate(time.Second))
}

// Evaluate returns the mean squared error of the model's next-frame
// predictions on frames (B, T, 1, H, W), over the targets frames[:, 1:],
// and that of the copy-last-frame baseline (predict frame t+1 = frame t)
// on the same targets.
func Evaluate(m *Model, frames *convlstm.Tensor) (modelMSE, baselineMSE float64, err error) {
	if err := m.check(); err != nil {
		return 0, 0, err
	}
	if err := checkFrames(frames, 2); err != nil {
		return 0, 0, err
	}
	T := frames.Shape[1]
	pred, err := m.Predict(timeRange(frames, 0, T-1))
	if err != nil {
		return 0, 0, err
	}
	target := timeRange(frames, 1, T)
	last := timeRange(frames, 0, T-1)
	for k, y := range target.Data {
		d, e := float64(pred.Data[k]-y), float64(last.Data[k]-y)
		modelMSE += d * d
		baselineMSE += e * e
	}
	n := float64(len(target.Data))
	return modelMSE / n, baselineMSE / n, nil
}
