// Command train trains the next-frame ConvLSTM on moving shapes for a
// bounded time, evaluates it on held-out sequences against the
// copy-last-frame baseline and writes metrics.json, model.npz (PyTorch
// state_dict names) and predictions.png to -out, the three as one group
// (a failed run leaves the previous run's files as they were; see
// convlstm/internal/runcmd). Every flag is checked before any work
// starts. `make train` runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/runcmd"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/train"
)

// Metrics is metrics.json.
type Metrics struct {
	runcmd.Scores
	Config Config `json:"config"`
}

// Config records the run's settings.
type Config struct {
	runcmd.Common
	Frames int
}

func main() { runcmd.Main("train", run) }

// run parses args, checks every flag, trains, evaluates and writes the
// results; progress goes to progress.
func run(args []string, progress io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	c.Register(fs, runcmd.Common{Out: "build/train", BudgetSeconds: 120, Size: 32, Hidden: []int{16}, Batch: 16, Bound: 0.7})
	fs.IntVar(&c.Frames, "frames", 10, "frames per sequence, at least 2")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Check(); err != nil {
		return err
	}
	if c.Frames < 2 {
		return fmt.Errorf("-frames %d: want at least 2 (one input, one next-frame target)", c.Frames)
	}
	if err := c.Prepare(); err != nil {
		return err
	}
	c.Threads = runtime.GOMAXPROCS(0)
	gen, held, err := c.Data(c.Frames)
	if err != nil {
		return err
	}
	m, err := train.NewModel(c.Hidden, c.Kernel, c.Seed)
	if err != nil {
		return err
	}
	return c.Profiled(func() error { return fit(c, m, gen, held, progress) })
}

// fit trains m, evaluates it on held and writes the results.
func fit(c Config, m *train.Model, gen *movingshapes.Generator, held *convlstm.Tensor, progress io.Writer) error {
	fmt.Printf("next-frame ConvLSTM: %dx%d frames, T=%d, hidden %v, kernel %dx%d, batch %d, Adam lr %g, clip %g, %d cores\n",
		c.Size, c.Size, c.Frames, c.Hidden, c.Kernel, c.Kernel, c.Batch, c.LR, c.ClipNorm, c.Threads)
	fmt.Printf("training for %gs (fast path, BPTT over %d steps)\n", c.BudgetSeconds, c.Frames-1)
	res, err := train.Train(m, gen, train.Options{Seconds: c.BudgetSeconds, MaxSteps: c.MaxSteps, BatchSize: c.Batch,
		LR: c.LR, ClipNorm: c.ClipNorm, Progress: progress})
	if err != nil {
		return err
	}
	t0 := time.Now()
	modelMSE, baseMSE, err := train.Evaluate(m, held)
	if err != nil {
		return err
	}
	met := Metrics{Scores: runcmd.NewScores(modelMSE, baseMSE, c.Bound, res), Config: c}
	fmt.Printf("held-out (%d sequences, %d next-frame targets each, %.1fs): model MSE %.5f, copy-last-frame MSE %.5f, ratio %.3f (bound %g)\n",
		c.EvalSequences, c.Frames-1, time.Since(t0).Seconds(), modelMSE, baseMSE, met.Ratio, c.Bound)
	img, err := train.PredictionsPNG(m, held, 6, 4)
	if err != nil {
		return err
	}
	return runcmd.Finish(&c.Common, met.Scores, met, m.StateDict(), img)
}
