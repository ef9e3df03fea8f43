// Command train trains the next-frame ConvLSTM on moving shapes for a
// bounded time, evaluates it on held-out sequences against the
// copy-last-frame baseline and writes metrics.json, model.npz (PyTorch
// state_dict names) and predictions.png to -out. `make train` runs it.
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
	"example.com/convlstm/convlstm/train"
)

// Metrics is metrics.json.
type Metrics struct {
	BaselineMSE float64 `json:"baseline_mse"`
	ModelMSE    float64 `json:"model_mse"`
	Ratio       float64 `json:"ratio"`
	Seconds     float64 `json:"seconds"`
	Steps       int     `json:"steps"`
	FinalLoss   float64 `json:"final_train_loss"`
	Config      Config  `json:"config"`
}

// Config records the run's settings.
type Config struct {
	Size, Frames, Batch, Kernel, EvalSequences int
	Hidden                                     []int
	LR, ClipNorm, BudgetSeconds                float64
	Seed                                       int64
	Threads                                    int
}

func main() {
	out := flag.String("out", "build/train", "output folder")
	seconds := flag.Float64("seconds", 120, "training time budget in seconds")
	maxSteps := flag.Int("steps", 0, "stop after this many steps (0: time budget only)")
	size := flag.Int("size", 32, "frame height and width")
	frames := flag.Int("frames", 10, "frames per sequence")
	hidden := flag.String("hidden", "16", "hidden channels per layer, comma separated")
	kernel := flag.Int("kernel", 3, "kernel size (odd)")
	batch := flag.Int("batch", 16, "sequences per step")
	lr := flag.Float64("lr", 1e-2, "Adam learning rate")
	clip := flag.Float64("clip", 1, "gradient norm clipping (negative: off)")
	evalN := flag.Int("eval", 256, "held-out sequences")
	seed := flag.Int64("seed", 1, "seed of the model and the training data")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the training to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*out, *seconds, *maxSteps, *size, *frames, *hidden, *kernel, *batch, *lr, *clip, *evalN, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(out string, seconds float64, maxSteps, size, frames int, hiddenArg string, kernel, batch int, lr, clip float64, evalN int, seed int64) error {
	var hidden []int
	for _, s := range strings.Split(hiddenArg, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-hidden %q: %v", hiddenArg, err)
		}
		hidden = append(hidden, h)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dataCfg := movingshapes.Config{Size: size, Frames: frames}
	gen, err := movingshapes.New(dataCfg, seed)
	if err != nil {
		return err
	}
	// Held-out sequences come from another seed than the training stream.
	heldGen, err := movingshapes.New(dataCfg, seed+1_000_003)
	if err != nil {
		return err
	}
	held, err := heldGen.Batch(evalN)
	if err != nil {
		return err
	}
	m, err := train.NewModel(hidden, kernel, seed)
	if err != nil {
		return err
	}
	fmt.Printf("next-frame ConvLSTM: %dx%d frames, T=%d, hidden %v, kernel %dx%d, batch %d, Adam lr %g, clip %g, %d cores\n",
		size, size, frames, hidden, kernel, kernel, batch, lr, clip, runtime.GOMAXPROCS(0))
	fmt.Printf("training for %gs (fast path, BPTT over %d steps)\n", seconds, frames-1)
	res, err := train.Train(m, gen, train.Options{Seconds: seconds, MaxSteps: maxSteps, BatchSize: batch, LR: lr, ClipNorm: clip, Progress: os.Stderr})
	if err != nil {
		return err
	}
	t0 := time.Now()
	modelMSE, baseMSE, err := train.Evaluate(m, held)
	if err != nil {
		return err
	}
	met := Metrics{BaselineMSE: baseMSE, ModelMSE: modelMSE, Ratio: modelMSE / baseMSE, Seconds: res.Seconds, Steps: res.Steps,
		Config: Config{Size: size, Frames: frames, Batch: batch, Kernel: kernel, EvalSequences: evalN, Hidden: hidden,
			LR: lr, ClipNorm: clip, BudgetSeconds: seconds, Seed: seed, Threads: runtime.GOMAXPROCS(0)}}
	if n := len(res.Losses); n > 0 {
		met.FinalLoss = res.Losses[n-1]
	}
	fmt.Printf("held-out (%d sequences, %d next-frame targets each, %.1fs): model MSE %.5f, copy-last-frame MSE %.5f, ratio %.3f (bound 0.7)\n",
		evalN, frames-1, time.Since(t0).Seconds(), modelMSE, baseMSE, met.Ratio)
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
	img, err := train.PredictionsPNG(m, held, 6, 4)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "predictions.png"), img, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s/{metrics.json, model.npz, predictions.png}\n", out)
	if met.Ratio > 0.7 {
		return fmt.Errorf("model MSE %.5f is %.3f x the baseline's %.5f: above the 0.7 bound", modelMSE, met.Ratio, baseMSE)
	}
	return nil
}
