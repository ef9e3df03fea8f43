package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGatesBackward checks GatesBackward at every level against the
// readable formulas in float64 (backwardStep's, on float32 inputs), with
// and without a previous cell state, on rows with a vector tail, and with
// NaN and ±Inf among the inputs: a non-finite result must be the same
// non-finite value, finite ones within 1e-6 + 1e-5*|want|.
func TestGatesBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, ldz = 53, 61
	sig := func() float32 { return float32(1 / (1 + math.Exp(-4*rng.Float64()+2))) }
	forEachLevel(t, func(t *testing.T) {
		for _, withCp := range []bool{true, false} {
			for _, spoil := range []float64{0, math.NaN(), math.Inf(1), math.Inf(-1)} {
				gi, gf, gO, gg := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
				cn, dh, dc := make([]float32, n), make([]float32, n), make([]float32, n)
				var cp []float32
				if withCp {
					cp = make([]float32, n)
				}
				for p := 0; p < n; p++ {
					gi[p], gf[p], gO[p] = sig(), sig(), sig()
					gg[p] = float32(math.Tanh(rng.Float64()*4 - 2))
					cn[p], dh[p], dc[p] = rng.Float32()*6-3, rng.Float32()*2-1, rng.Float32()*2-1
					if cp != nil {
						cp[p] = rng.Float32()*4 - 2
					}
				}
				if spoil != 0 {
					cn[3], dh[20], dc[40] = float32(spoil), float32(spoil), float32(spoil)
					if cp != nil {
						cp[50] = float32(spoil)
					}
				}
				dcIn := append([]float32(nil), dc...)
				dz := make([]float32, 4*ldz)
				GatesBackward(gi, gf, gO, gg, cn, cp, dh, dc, dz, ldz)
				for p := 0; p < n; p++ {
					i, f, o, g, c0, tc, d := pixelRef(p, gi, gf, gO, gg, cn, cp, dh)
					dcn := float64(dcIn[p]) + d*o*(1-tc*tc)
					want := []float64{dcn * g * i * (1 - i), dcn * c0 * f * (1 - f), d * tc * o * (1 - o), dcn * i * (1 - g*g), dcn * f}
					got := []float32{dz[p], dz[ldz+p], dz[2*ldz+p], dz[3*ldz+p], dc[p]}
					for k, w := range want {
						if gv := float64(got[k]); !closeOrSame(gv, w) {
							t.Errorf("cp %v, spoil %v: pixel %d, output %d (di df do dg dc): %v, want %v", withCp, spoil, p, k, gv, w)
						}
					}
				}
			}
		}
	})
}

// TestGatesBackwardPeephole checks GatesBackwardPeephole at every level
// against the readable formulas in float64 (backwardStep's peephole lines,
// on float32 inputs), with and without a previous cell state, on a row with
// a vector tail, and with NaN and ±Inf among the inputs: a non-finite
// result must be the same non-finite value, finite ones within 1e-6 +
// 1e-5*|want|. The weight gradients start from nonzero values (they add).
func TestGatesBackwardPeephole(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 53
	sig := func() float32 { return float32(1 / (1 + math.Exp(-4*rng.Float64()+2))) }
	row := func(scale float32) []float32 {
		r := make([]float32, n)
		for p := range r {
			r[p] = (rng.Float32()*2 - 1) * scale
		}
		return r
	}
	forEachLevel(t, func(t *testing.T) {
		for _, withCp := range []bool{true, false} {
			for _, spoil := range []float64{0, math.NaN(), math.Inf(1), math.Inf(-1)} {
				gi, gf, gO, gg := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
				for p := 0; p < n; p++ {
					gi[p], gf[p], gO[p] = sig(), sig(), sig()
					gg[p] = float32(math.Tanh(rng.Float64()*4 - 2))
				}
				cn, dh, dc := row(3), row(1), row(1)
				wci, wcf, wco := row(1), row(1), row(1)
				dwci, dwcf, dwco := row(1), row(1), row(1)
				var cp []float32
				if withCp {
					cp = row(2)
				}
				if spoil != 0 {
					cn[3], dh[20], dc[40], wco[47] = float32(spoil), float32(spoil), float32(spoil), float32(spoil)
					if cp != nil {
						cp[50] = float32(spoil)
					}
				}
				dcIn := append([]float32(nil), dc...)
				dwIn := [3][]float32{append([]float32(nil), dwci...), append([]float32(nil), dwcf...), append([]float32(nil), dwco...)}
				di, df, do, dg := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
				GatesBackwardPeephole(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco)
				for p := 0; p < n; p++ {
					i, f, o, g, c0, tc, d := pixelRef(p, gi, gf, gO, gg, cn, cp, dh)
					dO := d * tc * o * (1 - o)
					dcn := float64(dcIn[p]) + d*o*(1-tc*tc) + dO*float64(wco[p])
					dI, dF := dcn*g*i*(1-i), dcn*c0*f*(1-f)
					want := []float64{dI, dF, dO, dcn * i * (1 - g*g),
						dcn*f + dI*float64(wci[p]) + dF*float64(wcf[p]),
						float64(dwIn[0][p]) + dI*c0, float64(dwIn[1][p]) + dF*c0, float64(dwIn[2][p]) + dO*float64(cn[p])}
					got := []float32{di[p], df[p], do[p], dg[p], dc[p], dwci[p], dwcf[p], dwco[p]}
					for k, w := range want {
						if gv := float64(got[k]); !closeOrSame(gv, w) {
							t.Errorf("cp %v, spoil %v: pixel %d, output %d (di df do dg dc dwci dwcf dwco): %v, want %v", withCp, spoil, p, k, gv, w)
						}
					}
				}
			}
		}
	})
}

// pixelRef returns pixel p's inputs to the readable backward formulas in
// float64: the activations i, f, o, g, the previous cell state c0 (0 when
// cp is nil), tanh of the new cell state and the hidden state's gradient.
func pixelRef(p int, gi, gf, gO, gg, cn, cp, dh []float32) (i, f, o, g, c0, tc, d float64) {
	i, f, o, g = float64(gi[p]), float64(gf[p]), float64(gO[p]), float64(gg[p])
	if cp != nil {
		c0 = float64(cp[p])
	}
	return i, f, o, g, c0, math.Tanh(float64(cn[p])), float64(dh[p])
}

// closeOrSame reports whether got matches the float64 reference want: the
// same NaN or infinity when want is not finite, else within 1e-6 +
// 1e-5*|want|.
func closeOrSame(got, want float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return got == want || math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-6+1e-5*math.Abs(want)
}
