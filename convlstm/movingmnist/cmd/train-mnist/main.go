// Command train-mnist trains the encoder-forecaster ConvLSTM of Shi et al.
// (2015) on Moving MNIST (package movingmnist: MNIST's training digits for
// training, its test digits for the held-out sequences), 10 frames in and
// 10 predicted, for a time budget; then it scores the model against
// copy-last-frame in the benchmark's units (per-frame MSE: squared errors
// summed over the 64x64 pixels of a frame, averaged over frames and
// sequences) and writes metrics.json, model.npz and predictions.png.
//
// It checkpoints to -out/checkpoint.npz every -checkpoint-every seconds and
// when it stops, and resumes from that file when it exists (-fresh ignores
// it). Ctrl-C (SIGINT) or SIGTERM stops after the current step, writes the
// checkpoint and exits with status 130; run it again to go on. Every file
// is written atomically. `make train-mnist` runs it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"example.com/convlstm/convlstm/internal/atomicfile"
	"example.com/convlstm/convlstm/movingmnist"
	"example.com/convlstm/convlstm/movingmnist/mnisttrain"
	"example.com/convlstm/convlstm/npz"
	"example.com/convlstm/convlstm/seq2seq"
)

// Config records the run's settings (in metrics.json).
type Config struct {
	Size, In, Out, Batch, Kernel, Patch, EvalSequences int
	Hidden                                             []int
	LR, ClipNorm, BudgetSeconds, Bound                 float64
	Seed                                               int64
	Threads                                            int
}

// errInterrupted is run's error when a signal stopped the training.
var errInterrupted = errors.New("interrupted")

func main() {
	var c Config
	out := flag.String("out", "build/train-mnist", "output folder (checkpoint.npz, model.npz, metrics.json, predictions.png)")
	flag.Float64Var(&c.BudgetSeconds, "seconds", 720, "training time budget in seconds, counted over resumed runs")
	maxSteps := flag.Int("steps", 0, "stop after this many steps in all (0: time budget only)")
	flag.IntVar(&c.Size, "size", 64, "frame height and width")
	flag.IntVar(&c.In, "in", 10, "input frames")
	flag.IntVar(&c.Out, "out-frames", 10, "frames to predict")
	hidden := flag.String("hidden", "16,16", "hidden channels per layer, comma separated")
	flag.IntVar(&c.Kernel, "kernel", 3, "kernel size (odd)")
	flag.IntVar(&c.Patch, "patch", 4, "patch size p (frames enter as p*p channels at size/p)")
	flag.IntVar(&c.Batch, "batch", 8, "sequences per step")
	flag.Float64Var(&c.LR, "lr", 1e-2, "Adam learning rate")
	flag.Float64Var(&c.ClipNorm, "clip", 1, "gradient norm clipping (negative: off)")
	flag.IntVar(&c.EvalSequences, "eval", 1000, "held-out sequences (from MNIST's test digits)")
	flag.Int64Var(&c.Seed, "seed", 1, "seed of the model and the data (0..16777216)")
	flag.Float64Var(&c.Bound, "bound", 0.6, "fail if the model's MSE > bound x copy-last-frame's")
	every := flag.Float64("checkpoint-every", 60, "seconds between checkpoints")
	fresh := flag.Bool("fresh", false, "start again even if -out holds a checkpoint (it is replaced at the first save)")
	flag.Parse()
	if err := parseHidden(&c, *hidden); err != nil {
		fmt.Fprintln(os.Stderr, "train-mnist:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once (the files are safe: written atomically)
	}()
	err := run(ctx, *out, c, runOpts{MaxSteps: *maxSteps, Every: *every, Fresh: *fresh}, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(os.Stderr, "train-mnist:", err)
		os.Exit(130)
	case err != nil:
		fmt.Fprintln(os.Stderr, "train-mnist:", err)
		os.Exit(1)
	}
}

func parseHidden(c *Config, arg string) error {
	for _, s := range strings.Split(arg, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-hidden %q: %v", arg, err)
		}
		c.Hidden = append(c.Hidden, h)
	}
	return nil
}

// runOpts are the flags that are not settings of the result.
type runOpts struct {
	MaxSteps int
	Every    float64 // seconds between checkpoints
	Fresh    bool
}

func run(ctx context.Context, out string, c Config, o runOpts, stdout, stderr io.Writer) error {
	if c.Seed < 0 || c.Seed > 1<<24 {
		return fmt.Errorf("-seed %d: want 0..16777216 (the checkpoint stores it as float32)", c.Seed)
	}
	c.Threads = runtime.GOMAXPROCS(0)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	trainDigits, err := movingmnist.LoadTrain()
	if err != nil {
		return err
	}
	testDigits, err := movingmnist.LoadTest()
	if err != nil {
		return err
	}
	dataCfg := movingmnist.Config{Size: c.Size, Frames: c.In + c.Out}
	gen, err := movingmnist.New(trainDigits, dataCfg, c.Seed)
	if err != nil {
		return err
	}
	heldGen, err := movingmnist.New(testDigits, dataCfg, c.Seed+1)
	if err != nil {
		return err
	}
	held, err := heldGen.Batch(c.EvalSequences)
	if err != nil {
		return err
	}
	m, err := seq2seq.NewModel(seq2seq.Config{Hidden: c.Hidden, Kernel: c.Kernel, Patch: c.Patch}, c.Seed)
	if err != nil {
		return err
	}
	tr, err := mnisttrain.NewTrainer(m, gen, c.In, c.Batch, c.LR, c.ClipNorm)
	if err != nil {
		return err
	}
	ckpt := filepath.Join(out, "checkpoint.npz")
	var p progress
	if _, statErr := os.Stat(ckpt); statErr == nil && !o.Fresh {
		if p, err = loadCheckpoint(ckpt, m, tr.Adam, c); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "resuming from %s: step %d, %.0fs of training done\n", ckpt, p.Steps, p.Seconds)
	}
	tr.Steps = p.Steps
	gen.SetNext(p.NextSeq)
	fmt.Fprintf(stdout, "encoder-forecaster ConvLSTM on Moving MNIST: %dx%d frames as %dx%d patches (%d channels at %dx%d), %d in, %d predicted, hidden %v, kernel %dx%d, batch %d, Adam lr %g, clip %g, %d cores\n",
		c.Size, c.Size, c.Patch, c.Patch, c.Patch*c.Patch, c.Size/c.Patch, c.Size/c.Patch, c.In, c.Out, c.Hidden, c.Kernel, c.Kernel,
		c.Batch, c.LR, c.ClipNorm, c.Threads)
	fmt.Fprintf(stdout, "training for %gs in all (checkpoint %s every %gs; Ctrl-C stops and keeps it)\n", c.BudgetSeconds, ckpt, o.Every)
	losses, err := trainLoop(ctx, tr, c, o, &p, ckpt, stderr)
	if err != nil {
		return err
	}
	// Score on the held-out sequences.
	score, err := mnisttrain.Evaluate(m, held, c.In)
	if err != nil {
		return err
	}
	met := newMetrics(score, c, p, losses)
	fmt.Fprintf(stdout, "held-out (%d sequences of MNIST's test digits, %d predicted frames each), per-frame MSE (squared errors summed over the %dx%d pixels):\n", c.EvalSequences, c.Out, c.Size, c.Size)
	fmt.Fprintf(stdout, "  model %.1f, copy-last-frame %.1f, empty frames %.1f; model/copy-last-frame = %.3f: the model's error is %.1f%% below copy-last-frame's (bound: ratio <= %g)\n",
		met.ModelMSE, met.BaselineMSE, met.ZerosMSE, met.Ratio, 100*met.Margin, c.Bound)
	fmt.Fprintf(stdout, "  per future frame  model: %s\n", row(met.ModelByHorizon))
	fmt.Fprintf(stdout, "                    copy:  %s\n", row(met.BaselineByHorizon))
	fmt.Fprintf(stdout, "  cross-entropy per sequence (%d frames, Shi et al.'s measure): %.1f\n", c.Out, met.CrossEntropy)
	js, err := json.MarshalIndent(met, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(out, "metrics.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(out, "model.npz"), 0o644, func(w io.Writer) error {
		return npz.Encode(w, m.StateDict())
	}); err != nil {
		return err
	}
	img, err := seq2seq.PredictionsPNG(m, held, c.In, 6, max(1, 64/c.Size))
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(out, "predictions.png"), img, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s/{metrics.json, model.npz, predictions.png}\n", out)
	if met.Ratio > c.Bound {
		return fmt.Errorf("model per-frame MSE %.1f is %.3f x copy-last-frame's %.1f: above the %g bound", met.ModelMSE, met.Ratio, met.BaselineMSE, c.Bound)
	}
	fmt.Fprintf(stdout, "the model beats copy-last-frame by %.1f%% (it must by at least %.0f%%: ratio <= %g)\n", 100*met.Margin, 100*(1-c.Bound), c.Bound)
	return nil
}

// trainLoop takes steps until the budget (over all resumed runs) or
// MaxSteps is reached or ctx is cancelled, checkpointing every o.Every
// seconds and at the end. It returns this run's losses.
func trainLoop(ctx context.Context, tr *mnisttrain.Trainer, c Config, o runOpts, p *progress, ckpt string, stderr io.Writer) ([]float64, error) {
	start, startSeconds := time.Now(), p.Seconds
	lastSave, lastDraw := time.Now(), time.Time{}
	var losses []float64
	seconds := func() float64 { return startSeconds + time.Since(start).Seconds() }
	save := func() error {
		p.Steps, p.Seconds, p.NextSeq = tr.Steps, seconds(), tr.Gen.Next()
		lastSave = time.Now()
		return saveCheckpoint(ckpt, tr.Model, tr.Adam, *p, c)
	}
	for seconds() < c.BudgetSeconds && (o.MaxSteps <= 0 || tr.Steps < o.MaxSteps) {
		if ctx.Err() != nil {
			if err := save(); err != nil {
				return nil, fmt.Errorf("interrupted, and the checkpoint could not be written (the previous one is kept): %w", err)
			}
			fmt.Fprintln(stderr)
			return nil, fmt.Errorf("%w after step %d (%.0fs of training): checkpoint written to %s; run again to resume", errInterrupted, p.Steps, p.Seconds, ckpt)
		}
		loss, err := tr.Step()
		if err != nil {
			return nil, err
		}
		losses = append(losses, loss)
		if time.Since(lastDraw) > 250*time.Millisecond {
			lastDraw = time.Now()
			mnisttrain.DrawProgress(stderr, tr.Steps, losses, seconds(), c.BudgetSeconds, c.Size)
		}
		if time.Since(lastSave).Seconds() >= o.Every {
			if err := save(); err != nil {
				return nil, err
			}
		}
	}
	if err := save(); err != nil {
		return nil, err
	}
	mnisttrain.DrawProgress(stderr, tr.Steps, losses, p.Seconds, c.BudgetSeconds, c.Size)
	fmt.Fprintln(stderr)
	return losses, nil
}

// row formats numbers as one line.
func row(xs []float64) string {
	var sb strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&sb, " %6.1f", x)
	}
	return sb.String()
}
