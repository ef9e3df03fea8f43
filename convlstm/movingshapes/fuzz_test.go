package movingshapes

import (
	"math"
	"testing"
)

// FuzzConfig: any configuration is either refused by New or gives a
// generator whose Sequence returns (no endless bounce) frames of the
// configured size with values in [0, 1].
func FuzzConfig(f *testing.F) {
	f.Add(16, 4, 1, 2, 0.5, 1.5)
	f.Add(8, 2, 1, 1, 0.0, 8.0)
	f.Add(16, 3, 0, 0, 0.0, 1e18)
	f.Add(16, 3, 0, 0, math.NaN(), math.Inf(1))
	f.Fuzz(func(t *testing.T, size, frames, minShapes, maxShapes int, minSpeed, maxSpeed float64) {
		if frames > 64 || maxShapes > 16 {
			t.Skip("large but valid: slow, not interesting")
		}
		g, err := New(Config{Size: size, Frames: frames, MinShapes: minShapes, MaxShapes: maxShapes, MinSpeed: minSpeed, MaxSpeed: maxSpeed}, 1)
		if err != nil {
			return
		}
		c := g.Config()
		seq := g.Sequence()
		if len(seq) != c.Frames*c.Size*c.Size {
			t.Fatalf("%+v: %d values", c, len(seq))
		}
		for _, v := range seq {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%+v: value %g outside [0, 1]", c, v)
			}
		}
	})
}
