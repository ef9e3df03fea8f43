package kernel

import (
	"math"
	"math/rand"
	"testing"
)

// TestFusedGatesPeephole checks the peephole epilogue against the reference
// activations (refSigmoid, refTanh) on random values and on NaN and
// infinities in the pre-activations, the state and the weights (0 * Inf is
// NaN, as in PyTorch), with keep off and on, at every level (the epilogue
// is AVX-512 assembly at that level, Go below it). Tolerance 2e-6 + 1e-5*|want|.
func TestFusedGatesPeephole(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	special := []float32{nan32, inf32, ninf32, 0, 100, -100}
	const n = 67
	for _, l := range Levels() {
		restore := Use(l)
		for _, keep := range []bool{false, true} {
			var in [8][n]float32 // gi, gf, gO, gg, wci, wcf, wco, c
			for k := range in {
				for p := range in[k] {
					in[k][p] = float32(rng.NormFloat64() * 2)
					if rng.Intn(8) == 0 {
						in[k][p] = special[rng.Intn(len(special))]
					}
				}
			}
			gi, gf, gO, gg := in[0], in[1], in[2], in[3]
			c, h := in[7], [n]float32{}
			FusedGatesPeephole(gi[:], gf[:], gO[:], gg[:], in[4][:], in[5][:], in[6][:], c[:], h[:], keep)
			var worst float64
			for p := 0; p < n; p++ {
				cp := in[7][p]
				i := refSigmoid(in[0][p] + in[4][p]*cp)
				f := refSigmoid(in[1][p] + in[5][p]*cp)
				g := refTanh(in[3][p])
				cn := f*cp + i*g
				o := refSigmoid(in[2][p] + in[6][p]*cn)
				want := [][2]float32{{c[p], cn}, {h[p], o * refTanh(cn)}}
				if keep {
					want = append(want, [2]float32{gi[p], i}, [2]float32{gf[p], f}, [2]float32{gO[p], o}, [2]float32{gg[p], g})
				}
				for _, w := range want {
					if !near(w[0], w[1], 2e-6, 1e-5) {
						t.Fatalf("%v keep=%v pixel %d: got %g, want %g", l, keep, p, w[0], w[1])
					}
					if d := math.Abs(float64(w[0] - w[1])); d > worst { // NaN and Inf-Inf are skipped
						worst = d
					}
				}
			}
			t.Logf("%v keep=%v: max finite error %.3g", l, keep, worst)
		}
		restore()
	}
}
