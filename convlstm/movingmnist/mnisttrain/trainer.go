// Package mnisttrain trains the encoder-forecaster of package seq2seq on
// Moving MNIST (package movingmnist): the training step shared by the
// command train-mnist (`make train-mnist`) and the notebooks, and the
// benchmark's per-frame units. The API is free of generics so that
// notebooks (gophernotes) can call it.
package mnisttrain

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
	"example.com/convlstm/convlstm/movingmnist"
	"example.com/convlstm/convlstm/optim"
	"example.com/convlstm/convlstm/seq2seq"
)

// Trainer takes Adam steps of an encoder-forecaster on batches of a
// Moving MNIST generator: each sequence's first In frames are the input,
// the rest the targets, and the loss is their mean squared error.
type Trainer struct {
	Model *seq2seq.Model
	Adam  *optim.Adam
	Gen   *movingmnist.Generator
	// In is the number of input frames; Batch the sequences per step;
	// ClipNorm the gradient norm clipping (<= 0: off).
	In, Batch int
	ClipNorm  float64
	// Steps counts the steps taken (restored from a checkpoint by its
	// owner).
	Steps int
}

// NewTrainer returns a trainer with Adam at learning rate lr.
func NewTrainer(m *seq2seq.Model, gen *movingmnist.Generator, in, batch int, lr, clipNorm float64) (*Trainer, error) {
	if m == nil || gen == nil {
		return nil, fmt.Errorf("mnisttrain: NewTrainer: nil model or generator")
	}
	if T := gen.Config().Frames; in < 1 || in >= T {
		return nil, fmt.Errorf("mnisttrain: NewTrainer: in = %d input frames of %d-frame sequences leaves nothing to predict (want 1 <= in < %d)", in, T, T)
	}
	if batch < 1 || !(lr > 0) {
		return nil, fmt.Errorf("mnisttrain: NewTrainer: batch %d and lr %g must be positive", batch, lr)
	}
	adam := optim.NewAdam()
	adam.LR = lr
	return &Trainer{Model: m, Adam: adam, Gen: gen, In: in, Batch: batch, ClipNorm: clipNorm}, nil
}

// Step draws the next batch, computes the loss and its gradients (BPTT
// through the forecaster and the encoder), clips them and takes an Adam
// step. It returns the batch's loss before the step (MSE per pixel).
func (t *Trainer) Step() (float64, error) {
	batch, err := t.Gen.Batch(t.Batch) // (B, T, 1, S, S)
	if err != nil {
		return 0, err
	}
	T := batch.Shape[1]
	loss, grads, err := t.Model.LossAndGrad(FrameRange(batch, 0, t.In), FrameRange(batch, t.In, T))
	if err != nil {
		return 0, err
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, fmt.Errorf("mnisttrain: loss is %g at step %d", loss, t.Steps)
	}
	if t.ClipNorm > 0 {
		if _, err := optim.ClipGradNorm(grads, t.ClipNorm); err != nil {
			return 0, err
		}
	}
	if err := t.Adam.Step(t.Model.StateDict(), grads); err != nil {
		return 0, err
	}
	t.Steps++
	return loss, nil
}

// Run takes steps until maxSteps steps (0: no bound) or seconds have
// passed, whichever comes first, and returns their losses. When progress
// is non-nil it gets a one-line progress bar, redrawn in place.
func (t *Trainer) Run(maxSteps int, seconds float64, progress io.Writer) ([]float64, error) {
	start := time.Now()
	var losses []float64
	var lastDraw time.Time
	for (maxSteps <= 0 || len(losses) < maxSteps) && time.Since(start).Seconds() < seconds {
		loss, err := t.Step()
		if err != nil {
			return losses, err
		}
		losses = append(losses, loss)
		if progress != nil && time.Since(lastDraw) > 250*time.Millisecond {
			lastDraw = time.Now()
			DrawProgress(progress, t.Steps, losses, time.Since(start).Seconds(), seconds, t.Gen.Config().Size)
		}
	}
	if progress != nil {
		DrawProgress(progress, t.Steps, losses, time.Since(start).Seconds(), seconds, t.Gen.Config().Size)
		fmt.Fprintln(progress)
	}
	return losses, nil
}

// DrawProgress redraws the progress line (carriage return, no newline):
// the bar follows the time budget; the loss is smoothed over the last 50
// steps and also shown per frame (x size²).
func DrawProgress(w io.Writer, steps int, losses []float64, seconds, budget float64, size int) {
	frac := math.Min(1, seconds/math.Max(budget, 1e-9))
	const width = 30
	full := int(frac * width)
	bar := strings.Repeat("=", full) + strings.Repeat(" ", width-full)
	n := min(50, len(losses))
	var avg float64
	for _, l := range losses[len(losses)-n:] {
		avg += l / float64(n)
	}
	eta := time.Duration(math.Max(0, budget-seconds) * float64(time.Second))
	fmt.Fprintf(w, "\rtrain-mnist [%s] %3.0f%%  step %6d  loss %.5f (per-frame %.1f)  %s  ETA %s ", bar, 100*frac, steps, avg,
		avg*float64(size*size), time.Duration(seconds*float64(time.Second)).Truncate(time.Second), eta.Truncate(time.Second))
}

// FrameRange returns x[:, t0:t1] of a (B, T, ...) tensor as a copy
// (frameops.TimeRange, the copy the models' training steps use).
func FrameRange(x *convlstm.Tensor, t0, t1 int) *convlstm.Tensor {
	return frameops.TimeRange(nil, x, t0, t1)
}
