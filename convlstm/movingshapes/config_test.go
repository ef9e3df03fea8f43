package movingshapes

import (
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestSpeedValidated: a speed that is NaN, infinite, negative or beyond
// the frame size is an error naming the field and the allowed range, not a
// generator whose Sequence never returns (bouncing 1e18 pixels off the
// walls one reflection at a time) or draws nonsense.
func TestSpeedValidated(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Size: 16, MaxSpeed: 1e18}, "MaxSpeed"},
		{Config{Size: 16, MaxSpeed: inf}, "MaxSpeed"},
		{Config{Size: 16, MaxSpeed: nan}, "MaxSpeed"},
		{Config{Size: 16, MaxSpeed: 17}, "MaxSpeed"},
		{Config{Size: 16, MinSpeed: nan}, "MinSpeed"},
		{Config{Size: 16, MinSpeed: -1}, "MinSpeed"},
		{Config{Size: 16, MinSpeed: inf, MaxSpeed: inf}, "MinSpeed"},
		{Config{Size: 16, MinSpeed: 2, MaxSpeed: 1}, "MinSpeed"},
	} {
		_, err := New(c.cfg, 1)
		if err == nil || !strings.Contains(err.Error(), c.field) || !strings.Contains(err.Error(), "[") {
			t.Errorf("New(%+v): got error %v, want one naming %s and its range", c.cfg, err, c.field)
		}
	}
	// The largest allowed speed, one frame width per frame, still works.
	g, err := New(Config{Size: 16, Frames: 4, MinSpeed: 16, MaxSpeed: 16}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Sequence()) != 4*16*16 {
		t.Fatal("wrong sequence length")
	}
}

// TestFramesValidated: a sequence longer than a tensor may hold is an
// error naming Frames at New (Sequence used to panic allocating it), and
// a nil generator is an error, not a panic.
func TestFramesValidated(t *testing.T) {
	_, err := New(Config{Size: 16, Frames: 1 << 40}, 1)
	if err == nil || !strings.Contains(err.Error(), "Frames") {
		t.Errorf("Frames 1<<40: error %v, want one naming Frames", err)
	}
	var g *Generator
	if _, err := g.Batch(1); err == nil {
		t.Error("Batch of a nil generator: no error")
	}
	if _, err := (&Generator{}).Batch(1); err == nil || g.Sequence() != nil || (&Generator{}).Sequence() != nil {
		t.Errorf("a zero generator: Batch error %v, or Sequence not nil", err)
	}
}

// TestBatchInto: BatchInto draws what Batch draws from the same seed, into
// the tensor it is given when the shape fits, without allocating.
func TestBatchInto(t *testing.T) {
	g1, _ := New(Config{Size: 16, Frames: 5}, 3)
	g2, _ := New(Config{Size: 16, Frames: 5}, 3)
	var dst *convlstm.Tensor
	for k := 0; k < 3; k++ {
		want, err := g1.Batch(4)
		if err != nil {
			t.Fatal(err)
		}
		prev := dst
		if dst, err = g2.BatchInto(dst, 4); err != nil {
			t.Fatal(err)
		}
		if prev != nil && dst != prev {
			t.Errorf("batch %d: BatchInto did not reuse its tensor", k)
		}
		for i := range want.Data {
			if want.Data[i] != dst.Data[i] {
				t.Fatalf("batch %d differs from Batch's at %d", k, i)
			}
		}
	}
	if n := testing.AllocsPerRun(5, func() { dst, _ = g2.BatchInto(dst, 4) }); n != 0 {
		t.Errorf("BatchInto into a fitting tensor allocated %v times", n)
	}
}
