package movingmnist

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"

	"example.com/convlstm/convlstm"
)

// Config of a Generator. Zero fields take the defaults noted, those of
// Srivastava et al. (2015).
type Config struct {
	// Size is the height and width of a frame (default 64).
	Size int
	// Frames is the length of a sequence (default 20: 10 in, 10 predicted).
	Frames int
	// Digits is the number of digits per sequence (default 2).
	Digits int
	// Step is the distance a digit moves per frame, as a fraction of the
	// free range Size-28 (default 0.1: 3.6 pixels in 64x64 frames).
	Step float64
}

func (c Config) withDefaults() (Config, error) {
	c.Size = cmp.Or(c.Size, 64)
	c.Frames = cmp.Or(c.Frames, 20)
	c.Digits = cmp.Or(c.Digits, 2)
	c.Step = cmp.Or(c.Step, 0.1)
	switch {
	case c.Size < DigitSize || c.Size > 1024:
		return c, fmt.Errorf("movingmnist: Config.Size = %d, want %d..1024 (a digit is %dx%d)", c.Size, DigitSize, DigitSize, DigitSize)
	case c.Frames < 1 || c.Frames > 1000:
		return c, fmt.Errorf("movingmnist: Config.Frames = %d, want 1..1000", c.Frames)
	case c.Digits < 1 || c.Digits > 10:
		return c, fmt.Errorf("movingmnist: Config.Digits = %d, want 1..10", c.Digits)
	case !(c.Step > 0 && c.Step <= 1):
		return c, fmt.Errorf("movingmnist: Config.Step = %g, want a fraction in (0, 1]", c.Step)
	}
	return c, nil
}

// Generator draws Moving MNIST sequences as Srivastava et al. (2015) do in
// their released script (the BouncingMNISTDataHandler of
// "unsupervised-videos"): each digit starts at a uniformly random
// position with a uniformly random direction, moves a fixed Step per
// frame, and bounces off the edges; the digits are drawn with a
// pixel-wise maximum. The digits are taken in a shuffled order, reshuffled
// once all are used, as the script does.
//
// Sequence i of a seed is always the same: its trajectories come from a
// random stream of (seed, i) and its digits from position i*Digits of the
// shuffled order, so a training run can resume where it stopped (SetNext).
// A Generator is not safe for concurrent use.
type Generator struct {
	cfg    Config
	digits *Digits
	seed   int64
	next   int
	// The shuffled order of the epoch last used.
	epoch int
	perm  []int
}

// New returns a generator over digits (e.g. LoadTrain() for training,
// LoadTest() for evaluation).
func New(digits *Digits, cfg Config, seed int64) (*Generator, error) {
	if digits == nil || digits.N < 1 || len(digits.Pix) != digits.N*DigitSize*DigitSize {
		return nil, fmt.Errorf("movingmnist: New: need digits of %dx%d pixels", DigitSize, DigitSize)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Generator{cfg: cfg, digits: digits, seed: seed, epoch: -1}, nil
}

// Config returns the generator's settings, defaults filled in.
func (g *Generator) Config() Config { return g.cfg }

// Next is the index of the sequence the next Batch starts with.
func (g *Generator) Next() int { return g.next }

// SetNext makes the next Batch start at sequence i (i >= 0).
func (g *Generator) SetNext(i int) error {
	if i < 0 {
		return fmt.Errorf("movingmnist: SetNext(%d): want i >= 0", i)
	}
	g.next = i
	return nil
}

// Track is the path of one digit through a sequence.
type Track struct {
	// Digit is its index in the Digits.
	Digit int
	// Y and X are its positions per frame as fractions of the free range
	// [0, 1] (before rounding down to pixels).
	Y, X []float64
	// Top and Left are its top-left pixel per frame, in [0, Size-28].
	Top, Left []int
}

// Tracks returns the paths of the digits of sequence i.
func (g *Generator) Tracks(i int) []Track {
	c := g.cfg
	r := rand.New(rand.NewPCG(uint64(g.seed), uint64(i)))
	canvas := float64(c.Size - DigitSize)
	tracks := make([]Track, c.Digits)
	for n := range tracks {
		tr := &tracks[n]
		tr.Digit = g.digitAt(i*c.Digits + n)
		// py: y = np.random.rand(batch_size); x = np.random.rand(batch_size)
		y, x := r.Float64(), r.Float64()
		// py: theta = np.random.rand(batch_size) * 2 * np.pi
		theta := r.Float64() * 2 * math.Pi
		// py: v_y = np.sin(theta); v_x = np.cos(theta)
		vy, vx := math.Sin(theta), math.Cos(theta)
		tr.Y, tr.X = make([]float64, c.Frames), make([]float64, c.Frames)
		tr.Top, tr.Left = make([]int, c.Frames), make([]int, c.Frames)
		for t := 0; t < c.Frames; t++ {
			// The script takes a step before it records the first frame.
			// py: y += v_y * self.step_length_; x += v_x * self.step_length_
			y, vy = bounce(y+vy*c.Step, vy)
			x, vx = bounce(x+vx*c.Step, vx)
			tr.Y[t], tr.X[t] = y, x
			// py: start_y = (canvas_size * start_y).astype(np.int32)
			tr.Top[t], tr.Left[t] = int(canvas*y), int(canvas*x)
		}
	}
	return tracks
}

// bounce reflects a position that left [0, 1]: it is put on the edge and
// its velocity turned around, as the script does.
//
//	if x[j] <= 0: x[j] = 0; v_x[j] = -v_x[j]
//	if x[j] >= 1.0: x[j] = 1.0; v_x[j] = -v_x[j]
func bounce(p, v float64) (float64, float64) {
	if p <= 0 {
		p, v = 0, -v
	}
	if p >= 1 {
		p, v = 1, -v
	}
	return p, v
}

// digitAt returns the digit at position k of the shuffled order: epoch
// k / N, each epoch a fresh permutation (the script's
// np.random.shuffle(self.indices_) when its row counter wraps).
func (g *Generator) digitAt(k int) int {
	n := g.digits.N
	if e := k / n; e != g.epoch {
		r := rand.New(rand.NewPCG(uint64(g.seed)^0x9e3779b97f4a7c15, uint64(e)))
		g.perm, g.epoch = r.Perm(n), e
	}
	return g.perm[k%n]
}

// Sequence draws sequence i into dst (Frames*Size*Size values, frames
// row-major), which it first clears; values are in [0, 1].
func (g *Generator) Sequence(i int, dst []float32) error {
	c := g.cfg
	hw := c.Size * c.Size
	if len(dst) != c.Frames*hw {
		return fmt.Errorf("movingmnist: Sequence: dst has %d values, want Frames*Size*Size = %d", len(dst), c.Frames*hw)
	}
	clear(dst)
	for _, tr := range g.Tracks(i) {
		digit := g.digits.Digit(tr.Digit)
		for t := 0; t < c.Frames; t++ {
			frame := dst[t*hw : (t+1)*hw]
			// py: data[j, i, top:bottom, left:right] = self.Overlap(data[j, i, top:bottom, left:right], digit_image)
			// where Overlap(a, b) is np.maximum(a, b).
			for y := 0; y < DigitSize; y++ {
				row := frame[(tr.Top[t]+y)*c.Size+tr.Left[t]:][:DigitSize]
				for x, v := range digit[y*DigitSize : (y+1)*DigitSize] {
					row[x] = max(row[x], v)
				}
			}
		}
	}
	return nil
}

// Batch returns the next b sequences (b, Frames, 1, Size, Size) and moves
// Next on by b.
func (g *Generator) Batch(b int) (*convlstm.Tensor, error) {
	if b < 1 || b > 1<<16 {
		return nil, fmt.Errorf("movingmnist: Batch(%d): want 1..65536 sequences", b)
	}
	c := g.cfg
	n := c.Frames * c.Size * c.Size
	out := convlstm.Zeros(b, c.Frames, 1, c.Size, c.Size) // (B, T, 1, H, W)
	for k := 0; k < b; k++ {
		if err := g.Sequence(g.next+k, out.Data[k*n:(k+1)*n]); err != nil {
			return nil, err
		}
	}
	g.next += b
	return out, nil
}
