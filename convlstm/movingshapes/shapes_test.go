package movingshapes

import (
	"testing"
)

func TestDeterministicAndInRange(t *testing.T) {
	a, err := New(Config{Size: 16, Frames: 6}, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(Config{Size: 16, Frames: 6}, 3)
	x, err := a.Batch(4)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := b.Batch(4)
	if got := x.Shape; len(got) != 5 || got[0] != 4 || got[1] != 6 || got[2] != 1 || got[3] != 16 || got[4] != 16 {
		t.Fatalf("shape %v", got)
	}
	for i, v := range x.Data {
		if v != y.Data[i] {
			t.Fatal("same seed, different data")
		}
		if v < 0 || v > 1 {
			t.Fatalf("value %g outside [0, 1]", v)
		}
	}
	// Every frame shows something, and the shapes move.
	n := 16 * 16
	moved := 0
	for f := 0; f < 4*6; f++ {
		var mass float32
		for _, v := range x.Data[f*n : (f+1)*n] {
			mass += v
		}
		if mass < 4 {
			t.Errorf("frame %d nearly empty (mass %g)", f, mass)
		}
		if f%6 != 0 {
			for k := 0; k < n; k++ {
				if x.Data[f*n+k] != x.Data[(f-1)*n+k] {
					moved++
					break
				}
			}
		}
	}
	if moved < 4*5-2 {
		t.Errorf("only %d of %d frame pairs differ", moved, 4*5)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{{Size: 4}, {Frames: -1}, {MinShapes: 3, MaxShapes: 2}, {MinSpeed: 2, MaxSpeed: 1}, {Kinds: []Kind{7}}} {
		if _, err := New(c, 1); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}

func TestBounce(t *testing.T) {
	for _, c := range []struct{ p, v, hi, wp, wv float64 }{
		{-1, -2, 10, 1, 2}, {12, 3, 10, 8, -3}, {5, 1, 10, 5, 1},
	} {
		p, v := bounce(c.p, c.v, c.hi)
		if p != c.wp || v != c.wv {
			t.Errorf("bounce(%g, %g, %g) = %g, %g; want %g, %g", c.p, c.v, c.hi, p, v, c.wp, c.wv)
		}
	}
}
