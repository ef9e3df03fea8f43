package runcmd

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
)

// Common holds the flags both training commands have. Its exported fields
// are recorded in metrics.json (under "config"), so their names are those
// of the JSON keys.
type Common struct {
	// Size is the frame height and width (-size).
	Size int
	// Batch is the number of sequences per step (-batch).
	Batch int
	// Kernel is the odd kernel size of every layer (-kernel).
	Kernel int
	// EvalSequences is the number of held-out sequences (-eval).
	EvalSequences int
	// Hidden holds the hidden channels per layer (-hidden "16,16").
	Hidden []int
	// LR, ClipNorm and BudgetSeconds are -lr, -clip and -seconds.
	LR, ClipNorm, BudgetSeconds float64
	// Bound is the largest model/baseline MSE ratio that passes (-bound).
	Bound float64
	// Seed seeds the model and the data (-seed).
	Seed int64
	// Threads is GOMAXPROCS, recorded for the reader of metrics.json.
	Threads int

	// Out, MaxSteps and CPUProfile are -out, -steps and -cpuprofile.
	Out        string `json:"-"`
	MaxSteps   int    `json:"-"`
	CPUProfile string `json:"-"`
	hidden     string
}

// Register defines the common flags on fs, with the defaults in def
// (def.Hidden as the -hidden default).
func (c *Common) Register(fs *flag.FlagSet, def Common) {
	fs.StringVar(&c.Out, "out", def.Out, "output folder")
	fs.Float64Var(&c.BudgetSeconds, "seconds", def.BudgetSeconds, "training time budget in seconds (inf: none, with -steps)")
	fs.IntVar(&c.MaxSteps, "steps", 0, "stop after this many steps (0: time budget only)")
	fs.IntVar(&c.Size, "size", def.Size, "frame height and width, 8 to 256")
	fs.StringVar(&c.hidden, "hidden", joinInts(def.Hidden), "hidden channels per layer, comma separated")
	fs.IntVar(&c.Kernel, "kernel", 3, "kernel size (odd)")
	fs.IntVar(&c.Batch, "batch", def.Batch, "sequences per step")
	fs.Float64Var(&c.LR, "lr", 1e-2, "Adam learning rate")
	fs.Float64Var(&c.ClipNorm, "clip", 1, "gradient norm clipping (negative: off)")
	fs.IntVar(&c.EvalSequences, "eval", 256, "held-out sequences")
	fs.Int64Var(&c.Seed, "seed", 1, "seed of the model and the training data")
	fs.Float64Var(&c.Bound, "bound", def.Bound, "fail if model MSE > bound x baseline MSE")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
}

// Check parses -hidden and validates every common flag, before any work:
// the first bad one is an error naming it and its allowed values.
func (c *Common) Check() error {
	c.Hidden = nil
	for _, s := range strings.Split(c.hidden, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || h < 1 {
			return fmt.Errorf("-hidden %q: want positive channel counts separated by commas", c.hidden)
		}
		c.Hidden = append(c.Hidden, h)
	}
	switch {
	case c.Out == "":
		return fmt.Errorf("-out is empty: want an output folder")
	case !(c.BudgetSeconds > 0):
		return fmt.Errorf("-seconds %g: want a positive number of seconds", c.BudgetSeconds)
	case math.IsInf(c.BudgetSeconds, 1) && c.MaxSteps == 0:
		return fmt.Errorf("-seconds inf needs -steps: the training would never end")
	case c.MaxSteps < 0:
		return fmt.Errorf("-steps %d: want 0 (no bound) or more", c.MaxSteps)
	case c.Size < 8 || c.Size > 256:
		return fmt.Errorf("-size %d: want 8 to 256 pixels", c.Size)
	case c.Kernel < 1 || c.Kernel%2 == 0:
		return fmt.Errorf("-kernel %d: want an odd positive size", c.Kernel)
	case c.Batch < 1:
		return fmt.Errorf("-batch %d: want at least 1 sequence", c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 1):
		return fmt.Errorf("-lr %g: want a positive finite learning rate", c.LR)
	case math.IsNaN(c.ClipNorm) || c.ClipNorm == 0:
		return fmt.Errorf("-clip %g: want a positive norm, or a negative number for no clipping", c.ClipNorm)
	case c.EvalSequences < 1:
		return fmt.Errorf("-eval %d: want at least 1 held-out sequence", c.EvalSequences)
	case !(c.Bound > 0) || math.IsInf(c.Bound, 1):
		return fmt.Errorf("-bound %g: want a positive finite ratio", c.Bound)
	}
	return nil
}

// joinInts is the -hidden form of xs.
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// Main runs run with the command line and the standard error for the
// progress bar, and exits with status 1 after printing its error.
func Main(name string, run func(args []string, progress io.Writer) error) {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Data returns the training stream (seeded with c.Seed) and the held-out
// batch of c.EvalSequences sequences (from another seed) of frames-frame
// sequences at c.Size.
func (c *Common) Data(frames int) (*movingshapes.Generator, *convlstm.Tensor, error) {
	cfg := movingshapes.Config{Size: c.Size, Frames: frames}
	gen, err := movingshapes.New(cfg, c.Seed)
	if err != nil {
		return nil, nil, err
	}
	// Held-out sequences come from another seed than the training stream.
	heldGen, err := movingshapes.New(cfg, c.Seed+1_000_003)
	if err != nil {
		return nil, nil, err
	}
	held, err := heldGen.Batch(c.EvalSequences)
	if err != nil {
		return nil, nil, fmt.Errorf("-eval %d: %w", c.EvalSequences, err)
	}
	return gen, held, nil
}

// Profiled runs f under a CPU profile written to c.CPUProfile (atomically,
// when f returns), or just runs f when there is none.
func (c *Common) Profiled(f func() error) error {
	stop, err := StartCPUProfile(c.CPUProfile)
	if err != nil {
		return err
	}
	err = f()
	if perr := stop(); err == nil {
		err = perr
	}
	return err
}
