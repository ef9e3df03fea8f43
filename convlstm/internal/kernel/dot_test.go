package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDotTile checks DotTile at every level against a float64 sum of the
// same products, on segments of whole vectors (the assembly) and not, and
// that a NaN or Inf in one product reaches exactly the outputs it is in.
func TestDotTile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	forEachLevel(t, func(t *testing.T) {
		for _, c := range []struct{ nseg, n, stride int }{{1, 16, 16}, {3, 32, 40}, {2, 64, 64}, {4, 20, 33}, {1, 1, 1}, {5, 48, 100}} {
			lda := c.nseg*c.stride + 7
			a := make([]float32, DotMR*lda)
			b := make([]float32, 9*lda)
			for i := range a {
				a[i] = rng.Float32()*2 - 1
			}
			for i := range b {
				b[i] = rng.Float32()*2 - 1
			}
			boffs := [DotNR]int{0, 3, lda, 2*lda + 5, 5 * lda, 8*lda + 1}
			for _, spoil := range []float32{0, float32(math.NaN()), float32(math.Inf(1))} {
				if spoil != 0 {
					b[boffs[2]+(c.nseg-1)*c.stride+c.n-1] = spoil
				}
				var out [DotMR * DotNR]float32
				DotTile(c.nseg, c.n, c.stride, a, lda, b, &boffs, &out)
				maxErr := 0.0
				for i := 0; i < DotMR; i++ {
					for j := 0; j < DotNR; j++ {
						var want float64
						for s := 0; s < c.nseg; s++ {
							for k := 0; k < c.n; k++ {
								want += float64(a[i*lda+s*c.stride+k]) * float64(b[boffs[j]+s*c.stride+k])
							}
						}
						got := float64(out[i*DotNR+j])
						switch {
						case math.IsNaN(want) || math.IsInf(want, 0):
							if !(math.IsNaN(want) && math.IsNaN(got)) && got != want {
								t.Errorf("%v spoil %v: out[%d][%d] = %v, want %v", c, spoil, i, j, got, want)
							}
						default:
							if math.IsNaN(got) || math.IsInf(got, 0) {
								t.Errorf("%v spoil %v: out[%d][%d] = %v, want %v", c, spoil, i, j, got, want)
							}
							maxErr = max(maxErr, math.Abs(got-want))
						}
					}
				}
				if tol := 1e-5 * float64(c.nseg*c.n); maxErr > tol {
					t.Errorf("%v: max error %.3g > %.3g", c, maxErr, tol)
				}
				t.Logf("%v spoil %v: max error %.3g", c, spoil, maxErr)
			}
		}
	})
}

// BenchmarkDotTile: one tile over 2048 values, its operands in cache.
func BenchmarkDotTile(b *testing.B) {
	const n = 2048
	a := make([]float32, DotMR*n)
	x := make([]float32, DotNR*n+64)
	boffs := [DotNR]int{0, n + 1, 2*n + 2, 3*n + 3, 4*n + 4, 5*n + 5}
	var out [DotMR * DotNR]float32
	for _, l := range Levels() {
		b.Run(fmt.Sprint(l), func(b *testing.B) {
			defer Use(l)()
			for i := 0; i < b.N; i++ {
				DotTile(1, n, n, a, n, x, &boffs, &out)
			}
			b.ReportMetric(2*DotMR*DotNR*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
