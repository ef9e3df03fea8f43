// Command train-seq2seq trains the encoder-forecaster ConvLSTM on moving
// shapes (predict the next 10 frames from 10) for a bounded time,
// evaluates it on held-out sequences against copy-last-frame over all
// predicted frames, and writes metrics.json, model.npz (the PyTorch twin's
// state_dict) and predictions.png to -out, the three as one group (a
// failed run leaves the previous run's files as they were; see
// convlstm/internal/runcmd). Every flag is checked before any work
// starts. `make train-seq2seq` runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/runcmd"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/seq2seq"
)

// Metrics is metrics.json.
type Metrics struct {
	runcmd.Scores
	// ZerosMSE is the MSE of predicting empty frames, for scale.
	ZerosMSE float64 `json:"zeros_mse"`
	// Per future frame 1..K.
	ModelByHorizon    []float64 `json:"model_mse_by_horizon"`
	BaselineByHorizon []float64 `json:"baseline_mse_by_horizon"`
	Config            Config    `json:"config"`
}

// Config records the run's settings.
type Config struct {
	runcmd.Common
	In, Out, Patch int
	Readable       bool
}

func main() { runcmd.Main("train-seq2seq", run) }

// run parses args, checks every flag, trains, evaluates and writes the
// results; progress goes to progress.
func run(args []string, progress io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("train-seq2seq", flag.ContinueOnError)
	c.Register(fs, runcmd.Common{Out: "build/train-seq2seq", BudgetSeconds: 200, Size: 64, Hidden: []int{16, 16}, Batch: 8, Bound: 0.8})
	fs.IntVar(&c.In, "in", 10, "input frames, at least 1")
	fs.IntVar(&c.Out, "out-frames", 10, "frames to predict, at least 1")
	fs.IntVar(&c.Patch, "patch", 4, "patch size p, dividing -size (frames enter as p*p channels at size/p)")
	fs.BoolVar(&c.Readable, "readable", false, "train with the readable forward and BPTT (slow) instead of the fast ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Check(); err != nil {
		return err
	}
	switch {
	case c.In < 1:
		return fmt.Errorf("-in %d: want at least 1 input frame", c.In)
	case c.Out < 1:
		return fmt.Errorf("-out-frames %d: want at least 1 frame to predict", c.Out)
	case c.Patch < 1 || c.Size%c.Patch != 0:
		return fmt.Errorf("-patch %d: want a positive divisor of -size %d", c.Patch, c.Size)
	}
	if err := c.Prepare(); err != nil {
		return err
	}
	c.Threads = runtime.GOMAXPROCS(0)
	gen, held, err := c.Data(c.In + c.Out)
	if err != nil {
		return err
	}
	m, err := seq2seq.NewModel(seq2seq.Config{Hidden: c.Hidden, Kernel: c.Kernel, Patch: c.Patch}, c.Seed)
	if err != nil {
		return err
	}
	m.Readable = c.Readable
	return c.Profiled(func() error { return fit(c, m, gen, held, progress) })
}

// fit trains m, evaluates it on held and writes the results.
func fit(c Config, m *seq2seq.Model, gen *movingshapes.Generator, held *convlstm.Tensor, progress io.Writer) error {
	path := "fast"
	if c.Readable {
		path = "readable"
	}
	fmt.Printf("encoder-forecaster ConvLSTM: %dx%d frames as %dx%d patches (%d channels at %dx%d), %d in, %d predicted, hidden %v, kernel %dx%d, batch %d, Adam lr %g, clip %g, %d cores\n",
		c.Size, c.Size, c.Patch, c.Patch, c.Patch*c.Patch, c.Size/c.Patch, c.Size/c.Patch, c.In, c.Out, c.Hidden, c.Kernel, c.Kernel,
		c.Batch, c.LR, c.ClipNorm, c.Threads)
	fmt.Printf("training for %gs (%s path, BPTT through the forecaster and the encoder)\n", c.BudgetSeconds, path)
	res, err := seq2seq.Train(m, gen, seq2seq.Options{In: c.In, Seconds: c.BudgetSeconds, MaxSteps: c.MaxSteps, BatchSize: c.Batch,
		LR: c.LR, ClipNorm: c.ClipNorm, Progress: progress})
	if err != nil {
		return err
	}
	t0 := time.Now()
	ev, err := seq2seq.Evaluate(m, held, c.In)
	if err != nil {
		return err
	}
	met := Metrics{Scores: runcmd.NewScores(ev.ModelMSE, ev.BaselineMSE, c.Bound, res),
		ZerosMSE: ev.ZerosMSE, ModelByHorizon: ev.ModelByHorizon, BaselineByHorizon: ev.BaselineByHorizon, Config: c}
	fmt.Printf("held-out (%d sequences, %d predicted frames each, %.1fs): model MSE %.5f, copy-last-frame MSE %.5f, ratio %.3f (bound %g); empty frames MSE %.5f\n",
		c.EvalSequences, c.Out, time.Since(t0).Seconds(), ev.ModelMSE, ev.BaselineMSE, met.Ratio, c.Bound, ev.ZerosMSE)
	fmt.Printf("per future frame  model:   %s\n", row(ev.ModelByHorizon))
	fmt.Printf("                  copy:    %s\n", row(ev.BaselineByHorizon))
	img, err := seq2seq.PredictionsPNG(m, held, c.In, 6, max(1, 64/c.Size))
	if err != nil {
		return err
	}
	return runcmd.Finish(&c.Common, met.Scores, met, m.StateDict(), img)
}

// row formats MSEs as one line.
func row(xs []float64) string {
	var sb strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&sb, " %.4f", x)
	}
	return sb.String()
}
