// Command train-seq2seq trains the encoder-forecaster ConvLSTM on moving
// shapes (predict the next 10 frames from 10) for a bounded time,
// evaluates it on held-out sequences against copy-last-frame over all
// predicted frames, and writes metrics.json, model.npz (the PyTorch twin's
// state_dict) and predictions.png to -out. `make train-seq2seq` runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/seq2seq"
)

// Metrics is metrics.json.
type Metrics struct {
	BaselineMSE float64 `json:"baseline_mse"`
	ModelMSE    float64 `json:"model_mse"`
	Ratio       float64 `json:"ratio"`
	Bound       float64 `json:"bound"`
	// ZerosMSE is the MSE of predicting empty frames, for scale.
	ZerosMSE float64 `json:"zeros_mse"`
	// Per future frame 1..K.
	ModelByHorizon    []float64 `json:"model_mse_by_horizon"`
	BaselineByHorizon []float64 `json:"baseline_mse_by_horizon"`
	Seconds           float64   `json:"seconds"`
	Steps             int       `json:"steps"`
	FinalLoss         float64   `json:"final_train_loss"`
	Config            Config    `json:"config"`
}

// Config records the run's settings.
type Config struct {
	Size, In, Out, Batch, Kernel, Patch, EvalSequences int
	Hidden                                             []int
	LR, ClipNorm, BudgetSeconds                        float64
	Seed                                               int64
	Threads                                            int
	Readable                                           bool
}

func main() {
	var c Config
	out := flag.String("out", "build/train-seq2seq", "output folder")
	flag.Float64Var(&c.BudgetSeconds, "seconds", 200, "training time budget in seconds")
	maxSteps := flag.Int("steps", 0, "stop after this many steps (0: time budget only)")
	flag.IntVar(&c.Size, "size", 64, "frame height and width")
	flag.IntVar(&c.In, "in", 10, "input frames")
	flag.IntVar(&c.Out, "out-frames", 10, "frames to predict")
	hidden := flag.String("hidden", "16,16", "hidden channels per layer, comma separated")
	flag.IntVar(&c.Kernel, "kernel", 3, "kernel size (odd)")
	flag.IntVar(&c.Patch, "patch", 4, "patch size p (frames enter as p*p channels at size/p)")
	flag.IntVar(&c.Batch, "batch", 8, "sequences per step")
	flag.Float64Var(&c.LR, "lr", 1e-2, "Adam learning rate")
	flag.Float64Var(&c.ClipNorm, "clip", 1, "gradient norm clipping (negative: off)")
	flag.IntVar(&c.EvalSequences, "eval", 256, "held-out sequences")
	flag.Int64Var(&c.Seed, "seed", 1, "seed of the model and the training data")
	flag.BoolVar(&c.Readable, "readable", false, "train with the readable forward and BPTT (slow) instead of the fast ones")
	bound := flag.Float64("bound", 0.8, "fail if model MSE > bound x baseline MSE")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "train-seq2seq:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "train-seq2seq:", err)
			os.Exit(1)
		}
	}
	err := run(*out, c, *hidden, *maxSteps, *bound)
	pprof.StopCPUProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "train-seq2seq:", err)
		os.Exit(1)
	}
}

func run(out string, c Config, hiddenArg string, maxSteps int, bound float64) error {
	for _, s := range strings.Split(hiddenArg, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-hidden %q: %v", hiddenArg, err)
		}
		c.Hidden = append(c.Hidden, h)
	}
	c.Threads = runtime.GOMAXPROCS(0)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dataCfg := movingshapes.Config{Size: c.Size, Frames: c.In + c.Out}
	gen, err := movingshapes.New(dataCfg, c.Seed)
	if err != nil {
		return err
	}
	// Held-out sequences come from another seed than the training stream.
	heldGen, err := movingshapes.New(dataCfg, c.Seed+1_000_003)
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
	m.Readable = c.Readable
	path := "fast"
	if c.Readable {
		path = "readable"
	}
	fmt.Printf("encoder-forecaster ConvLSTM: %dx%d frames as %dx%d patches (%d channels at %dx%d), %d in, %d predicted, hidden %v, kernel %dx%d, batch %d, Adam lr %g, clip %g, %d cores\n",
		c.Size, c.Size, c.Patch, c.Patch, c.Patch*c.Patch, c.Size/c.Patch, c.Size/c.Patch, c.In, c.Out, c.Hidden, c.Kernel, c.Kernel,
		c.Batch, c.LR, c.ClipNorm, c.Threads)
	fmt.Printf("training for %gs (%s path, BPTT through the forecaster and the encoder)\n", c.BudgetSeconds, path)
	res, err := seq2seq.Train(m, gen, seq2seq.Options{In: c.In, Seconds: c.BudgetSeconds, MaxSteps: maxSteps, BatchSize: c.Batch,
		LR: c.LR, ClipNorm: c.ClipNorm, Progress: os.Stderr})
	if err != nil {
		return err
	}
	t0 := time.Now()
	ev, err := seq2seq.Evaluate(m, held, c.In)
	if err != nil {
		return err
	}
	met := Metrics{BaselineMSE: ev.BaselineMSE, ModelMSE: ev.ModelMSE, Ratio: ev.ModelMSE / ev.BaselineMSE, Bound: bound,
		ZerosMSE: ev.ZerosMSE, ModelByHorizon: ev.ModelByHorizon, BaselineByHorizon: ev.BaselineByHorizon,
		Seconds: res.Seconds, Steps: res.Steps, Config: c}
	if n := len(res.Losses); n > 0 {
		met.FinalLoss = res.Losses[n-1]
	}
	fmt.Printf("held-out (%d sequences, %d predicted frames each, %.1fs): model MSE %.5f, copy-last-frame MSE %.5f, ratio %.3f (bound %g); empty frames MSE %.5f\n",
		c.EvalSequences, c.Out, time.Since(t0).Seconds(), ev.ModelMSE, ev.BaselineMSE, met.Ratio, bound, ev.ZerosMSE)
	fmt.Printf("per future frame  model:   %s\n", row(ev.ModelByHorizon))
	fmt.Printf("                  copy:    %s\n", row(ev.BaselineByHorizon))
	js, err := json.MarshalIndent(met, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "metrics.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := m.SaveNPZ(filepath.Join(out, "model.npz")); err != nil {
		return err
	}
	img, err := seq2seq.PredictionsPNG(m, held, c.In, 6, max(1, 64/c.Size))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "predictions.png"), img, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s/{metrics.json, model.npz, predictions.png}\n", out)
	if met.Ratio > bound {
		return fmt.Errorf("model MSE %.5f is %.3f x the baseline's %.5f: above the %g bound", ev.ModelMSE, met.Ratio, ev.BaselineMSE, bound)
	}
	return nil
}

// row formats MSEs as one line.
func row(xs []float64) string {
	var sb strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&sb, " %.4f", x)
	}
	return sb.String()
}
