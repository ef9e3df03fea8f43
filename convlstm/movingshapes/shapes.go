package movingshapes

import (
	"cmp"
	"fmt"
	"math"
	"math/rand"

	"example.com/convlstm/convlstm"
)

// Kind is a shape family.
type Kind int

// The shape families.
const (
	Square Kind = iota
	Disc
	Digit
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Square:
		return "square"
	case Disc:
		return "disc"
	case Digit:
		return "digit"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Config describes the sequences. Zero fields take the defaults noted.
type Config struct {
	// Size is the height and width of a frame in pixels (default 16; at
	// least 8, at most 256).
	Size int
	// Frames is the number of frames of a sequence (default 10).
	Frames int
	// MinShapes and MaxShapes bound the number of shapes per sequence
	// (defaults 1 and 2).
	MinShapes, MaxShapes int
	// MinSpeed and MaxSpeed bound the speed in pixels per frame (defaults
	// 0.5 and Size/12, at least 1; 0 <= MinSpeed <= MaxSpeed <= Size).
	MinSpeed, MaxSpeed float64
	// Kinds lists the shape families to draw from (default all three).
	Kinds []Kind
}

// withDefaults fills the zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	c.Size = cmp.Or(c.Size, 16)
	c.Frames = cmp.Or(c.Frames, 10)
	c.MinShapes = cmp.Or(c.MinShapes, 1)
	c.MaxShapes = cmp.Or(c.MaxShapes, max(2, c.MinShapes))
	c.MinSpeed = cmp.Or(c.MinSpeed, 0.5)
	c.MaxSpeed = cmp.Or(c.MaxSpeed, max(1, float64(c.Size)/12))
	if len(c.Kinds) == 0 {
		c.Kinds = []Kind{Square, Disc, Digit}
	}
	switch {
	case c.Size < 8 || c.Size > 256:
		return c, fmt.Errorf("movingshapes: Size must be in [8, 256], got %d", c.Size)
	case c.Frames < 1 || int64(c.Frames) > convlstm.MaxElements/int64(c.Size*c.Size):
		return c, fmt.Errorf("movingshapes: Frames must be in [1, %d] (a sequence of %dx%d frames in one tensor), got %d",
			convlstm.MaxElements/int64(c.Size*c.Size), c.Size, c.Size, c.Frames)
	case c.MinShapes < 1 || c.MaxShapes < c.MinShapes:
		return c, fmt.Errorf("movingshapes: want 1 <= MinShapes <= MaxShapes, got %d, %d", c.MinShapes, c.MaxShapes)
	// The speeds are checked with !(in range) so that NaN fails too; above
	// Size a shape would cross the frame more than once per frame (and at
	// 1e18 pixels, bounce would reflect it off the walls for ever).
	case !(c.MinSpeed >= 0 && c.MinSpeed <= float64(c.Size)):
		return c, fmt.Errorf("movingshapes: MinSpeed must be in [0, Size = %d], got %g", c.Size, c.MinSpeed)
	case !(c.MaxSpeed >= c.MinSpeed && c.MaxSpeed <= float64(c.Size)):
		return c, fmt.Errorf("movingshapes: MaxSpeed must be in [MinSpeed = %g, Size = %d], got %g", c.MinSpeed, c.Size, c.MaxSpeed)
	}
	for _, k := range c.Kinds {
		if k < Square || k > Digit {
			return c, fmt.Errorf("movingshapes: unknown kind %d", int(k))
		}
	}
	return c, nil
}

// Generator draws sequences from a seeded random source. It is not safe
// for concurrent use; make one generator per goroutine.
type Generator struct {
	cfg       Config
	rng       *rand.Rand
	spriteBuf []float32 // sprite's memory, reused
}

// New returns a generator of sequences described by cfg, seeded with seed.
func New(cfg Config, seed int64) (*Generator, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Generator{cfg: c, rng: rand.New(rand.NewSource(seed))}, nil
}

// Config returns the configuration with the defaults filled in (the zero
// Config for a nil generator).
func (g *Generator) Config() Config {
	if g == nil {
		return Config{}
	}
	return g.cfg
}

// Sequence returns one sequence as Frames*Size*Size values in [0, 1],
// frame-major, row-major inside a frame; nil from a generator not made by
// New.
func (g *Generator) Sequence() []float32 {
	if g == nil || g.rng == nil {
		return nil
	}
	out := make([]float32, g.cfg.Frames*g.cfg.Size*g.cfg.Size)
	g.sequenceInto(out)
	return out
}

// sequenceInto draws one sequence into out (Frames*Size*Size values,
// overwritten).
func (g *Generator) sequenceInto(out []float32) {
	for i := range out {
		out[i] = 0
	}
	n := g.cfg.Size
	count := g.cfg.MinShapes + g.rng.Intn(g.cfg.MaxShapes-g.cfg.MinShapes+1)
	for s := 0; s < count; s++ {
		sp := g.sprite()
		// Start anywhere the sprite fits, move in a random direction.
		x := g.rng.Float64() * float64(n-sp.w)
		y := g.rng.Float64() * float64(n-sp.h)
		speed := g.cfg.MinSpeed + g.rng.Float64()*(g.cfg.MaxSpeed-g.cfg.MinSpeed)
		angle := g.rng.Float64() * 2 * math.Pi
		vx, vy := speed*math.Cos(angle), speed*math.Sin(angle)
		for t := 0; t < g.cfg.Frames; t++ {
			draw(out[t*n*n:(t+1)*n*n], n, sp, x, y)
			x, vx = bounce(x+vx, vx, float64(n-sp.w))
			y, vy = bounce(y+vy, vy, float64(n-sp.h))
		}
	}
}

// Batch returns b sequences as a (b, Frames, 1, Size, Size) tensor, the
// batch-first layout of a one-channel ConvLSTM input.
func (g *Generator) Batch(b int) (*convlstm.Tensor, error) { return g.BatchInto(nil, b) }

// BatchInto is Batch into dst when dst has the shape (b, Frames, 1, Size,
// Size), else into a new tensor: the same sequences as Batch, and no
// allocation when dst is reused (a training loop's batch, step after
// step).
func (g *Generator) BatchInto(dst *convlstm.Tensor, b int) (*convlstm.Tensor, error) {
	if g == nil || g.rng == nil {
		return nil, fmt.Errorf("movingshapes: Batch: the generator is nil; make one with New")
	}
	n, T := g.cfg.Size, g.cfg.Frames
	t := dst
	if t == nil || len(t.Shape) != 5 || t.Shape[0] != b || t.Shape[1] != T || t.Shape[2] != 1 || t.Shape[3] != n || t.Shape[4] != n || len(t.Data) != b*T*n*n {
		var err error
		if t, err = convlstm.NewTensor(b, T, 1, n, n); err != nil {
			return nil, fmt.Errorf("movingshapes: Batch: %w", err)
		}
	}
	for i := 0; i < b; i++ {
		g.sequenceInto(t.Data[i*T*n*n : (i+1)*T*n*n])
	}
	return t, nil
}

// bounce reflects a coordinate off the walls 0 and hi.
func bounce(p, v, hi float64) (float64, float64) {
	for p < 0 || p > hi {
		if p < 0 {
			p, v = -p, -v
		}
		if p > hi {
			p, v = 2*hi-p, -v
		}
	}
	return p, v
}

// sprite is a small bitmap of coverages in [0, 1], h rows of w.
type sprite struct {
	h, w int
	px   []float32
}

// sprite draws a random shape into the generator's sprite buffer (valid
// until its next call).
func (g *Generator) sprite() sprite {
	n := g.cfg.Size
	// Shapes are about a quarter of the frame.
	lo, hi := max(3, n/6), max(4, n/3)
	switch g.cfg.Kinds[g.rng.Intn(len(g.cfg.Kinds))] {
	case Square:
		s := lo + g.rng.Intn(hi-lo+1)
		return g.fill(s, s, func(y, x float64) float32 { return 1 })
	case Disc:
		d := lo + g.rng.Intn(hi-lo+1)
		r := float64(d) / 2
		return g.fill(d, d, func(y, x float64) float32 {
			// Coverage of the pixel by the disc, from the distance of its
			// centre to the edge (anti-aliased over one pixel).
			dist := math.Hypot(y+0.5-r, x+0.5-r)
			return float32(math.Max(0, math.Min(1, r-dist+0.5)))
		})
	default:
		glyph := digitFont[g.rng.Intn(10)]
		scale := max(1, (hi+3)/7)
		return g.fill(7*scale, 5*scale, func(y, x float64) float32 {
			if glyph[int(y)/scale][int(x)/scale] == '#' {
				return 1
			}
			return 0
		})
	}
}

// fill returns an h x w sprite with pixel (y, x) = f(y, x), in the
// generator's sprite buffer.
func (g *Generator) fill(h, w int, f func(y, x float64) float32) sprite {
	if cap(g.spriteBuf) < h*w {
		g.spriteBuf = make([]float32, h*w)
	}
	sp := sprite{h: h, w: w, px: g.spriteBuf[:h*w]}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sp.px[y*w+x] = f(float64(y), float64(x))
		}
	}
	return sp
}

// draw composites the sprite at the sub-pixel position (x, y) into the
// frame with max, resampling it bilinearly: frame pixel (py, px) reads the
// sprite at (py-y, px-x).
func draw(frame []float32, n int, sp sprite, x, y float64) {
	sh, sw := sp.h, sp.w
	at := func(r, c int) float32 {
		if r < 0 || r >= sh || c < 0 || c >= sw {
			return 0
		}
		return sp.px[r*sw+c]
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	for py := y0; py <= y0+sh; py++ {
		if py < 0 || py >= n {
			continue
		}
		r := py - y0 // sprite row at or below the sample point
		for px := x0; px <= x0+sw; px++ {
			if px < 0 || px >= n {
				continue
			}
			c := px - x0
			v := (1-fy)*((1-fx)*at(r, c)+fx*at(r, c-1)) + fy*((1-fx)*at(r-1, c)+fx*at(r-1, c-1))
			if v > frame[py*n+px] {
				frame[py*n+px] = v
			}
		}
	}
}
