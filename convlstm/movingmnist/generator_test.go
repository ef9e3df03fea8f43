package movingmnist

import (
	"math"
	"slices"
	"sync"
	"testing"
)

var (
	testOnce   sync.Once
	testDigits *Digits
	testErr    error
)

// mnistTest loads MNIST's test digits once per test binary.
func mnistTest(t testing.TB) *Digits {
	testOnce.Do(func() { testDigits, testErr = LoadTest() })
	if testErr != nil {
		t.Fatal(testErr)
	}
	return testDigits
}

func TestBatchShapeAndRange(t *testing.T) {
	g, err := New(mnistTest(t), Config{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Batch(4)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{4, 20, 1, 64, 64}; !slices.Equal(b.Shape, want) {
		t.Fatalf("Batch(4) shape %v, want %v", b.Shape, want)
	}
	lo, hi := float32(1), float32(0)
	for _, v := range b.Data {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != 0 || hi != 1 {
		t.Errorf("values in [%g, %g], want [0, 1] with both ends reached", lo, hi)
	}
	if g.Next() != 4 {
		t.Errorf("Next() = %d after Batch(4), want 4", g.Next())
	}
}

// Every frame is the pixel-wise maximum of its digits placed at their
// tracks' top-left corners, and zero elsewhere.
func TestSequenceIsMaxBlend(t *testing.T) {
	d := mnistTest(t)
	g, _ := New(d, Config{}, 7)
	c := g.Config()
	seq := make([]float32, c.Frames*c.Size*c.Size)
	for i := range 20 {
		if err := g.Sequence(i, seq); err != nil {
			t.Fatal(err)
		}
		tracks := g.Tracks(i)
		for f := 0; f < c.Frames; f++ {
			for y := 0; y < c.Size; y++ {
				for x := 0; x < c.Size; x++ {
					var want float32
					for _, tr := range tracks {
						dy, dx := y-tr.Top[f], x-tr.Left[f]
						if dy >= 0 && dy < DigitSize && dx >= 0 && dx < DigitSize {
							want = max(want, d.Digit(tr.Digit)[dy*DigitSize+dx])
						}
					}
					if got := seq[(f*c.Size+y)*c.Size+x]; got != want {
						t.Fatalf("sequence %d frame %d pixel (%d, %d) = %g, want %g", i, f, y, x, got, want)
					}
				}
			}
		}
	}
}

// Positions stay inside the frame; between bounces a digit moves by a
// constant step of length Step; at a wall it is put on the wall and the
// velocity component across it changes sign.
func TestTracksBounce(t *testing.T) {
	g, _ := New(mnistTest(t), Config{Frames: 60}, 3)
	c := g.Config()
	bounces := 0
	for i := range 200 {
		for _, tr := range g.Tracks(i) {
			for f := 0; f < c.Frames; f++ {
				if tr.Top[f] < 0 || tr.Left[f] < 0 || tr.Top[f] > c.Size-DigitSize || tr.Left[f] > c.Size-DigitSize {
					t.Fatalf("sequence %d frame %d: top-left (%d, %d) outside [0, %d]", i, f, tr.Top[f], tr.Left[f], c.Size-DigitSize)
				}
			}
			for _, pos := range [][]float64{tr.Y, tr.X} {
				for f := 2; f < c.Frames; f++ {
					prev, step := pos[f-1]-pos[f-2], pos[f]-pos[f-1]
					wall := pos[f-1] == 0 || pos[f-1] == 1
					switch {
					case wall && prev != 0:
						// Reflected: the next step goes back into the frame.
						if step*prev > 0 || (pos[f-1] == 0 && step < 0) || (pos[f-1] == 1 && step > 0) {
							t.Fatalf("sequence %d frame %d: at wall %g, steps %g then %g: not reflected", i, f, pos[f-1], prev, step)
						}
						bounces++
					case !wall && pos[f] != 0 && pos[f] != 1:
						if math.Abs(step-prev) > 1e-12 {
							t.Fatalf("sequence %d frame %d: step %g after %g without a bounce", i, f, step, prev)
						}
					}
				}
			}
			for f := 1; f < c.Frames; f++ {
				dy, dx := tr.Y[f]-tr.Y[f-1], tr.X[f]-tr.X[f-1]
				if d := math.Hypot(dy, dx); d > c.Step+1e-12 {
					t.Fatalf("sequence %d frame %d: moved %g, more than Step %g", i, f, d, c.Step)
				}
			}
		}
	}
	if bounces < 100 {
		t.Errorf("only %d bounces in 200 sequences of 60 frames: the test saw too few", bounces)
	}
	t.Logf("%d bounces checked", bounces)
}

func TestBounce(t *testing.T) {
	for _, c := range []struct{ p, v, wantP, wantV float64 }{
		{0.5, 0.1, 0.5, 0.1},
		{-0.05, -0.1, 0, 0.1},
		{1.02, 0.1, 1, -0.1},
		{0, -0.1, 0, 0.1},
		{1, 0.1, 1, -0.1},
	} {
		if p, v := bounce(c.p, c.v); p != c.wantP || v != c.wantV {
			t.Errorf("bounce(%g, %g) = %g, %g, want %g, %g", c.p, c.v, p, v, c.wantP, c.wantV)
		}
	}
}

// The same seed gives the same sequences, also when started in the
// middle (SetNext); another seed gives others.
func TestDeterminism(t *testing.T) {
	d := mnistTest(t)
	a, _ := New(d, Config{}, 42)
	b, _ := New(d, Config{}, 42)
	other, _ := New(d, Config{}, 43)
	x, _ := a.Batch(6)
	y, _ := b.Batch(6)
	z, _ := other.Batch(6)
	if !slices.Equal(x.Data, y.Data) {
		t.Error("two generators of seed 42 gave different batches")
	}
	if slices.Equal(x.Data, z.Data) {
		t.Error("seeds 42 and 43 gave the same batch")
	}
	resumed, _ := New(d, Config{}, 42)
	resumed.SetNext(4)
	r, _ := resumed.Batch(2)
	n := len(x.Data) / 6
	if !slices.Equal(r.Data, x.Data[4*n:]) {
		t.Error("SetNext(4) then Batch(2) differs from sequences 4 and 5 of the same seed")
	}
}

// The digits are used in a shuffled order, each once per epoch.
func TestDigitsOncePerEpoch(t *testing.T) {
	d := &Digits{N: 5, Pix: make([]float32, 5*784), Labels: make([]uint8, 5)}
	g, _ := New(d, Config{Digits: 1}, 1)
	for e := range 3 {
		seen := map[int]bool{}
		for i := e * 5; i < (e+1)*5; i++ {
			seen[g.Tracks(i)[0].Digit] = true
		}
		if len(seen) != 5 {
			t.Errorf("epoch %d used digits %v, want all 5 once", e, seen)
		}
	}
}

func TestGeneratorErrors(t *testing.T) {
	d := &Digits{N: 1, Pix: make([]float32, 784), Labels: make([]uint8, 1)}
	for _, c := range []Config{{Size: 20}, {Frames: -1}, {Digits: 11}, {Step: 2}, {Step: math.NaN()}} {
		if _, err := New(d, c, 1); err == nil {
			t.Errorf("New(%+v): no error", c)
		}
	}
	if _, err := New(nil, Config{}, 1); err == nil {
		t.Error("New(nil digits): no error")
	}
	g, _ := New(d, Config{}, 1)
	if _, err := g.Batch(0); err == nil {
		t.Error("Batch(0): no error")
	}
	if err := g.Sequence(0, make([]float32, 3)); err == nil {
		t.Error("Sequence into 3 values: no error")
	}
	if err := g.SetNext(-1); err == nil {
		t.Error("SetNext(-1): no error")
	}
}
