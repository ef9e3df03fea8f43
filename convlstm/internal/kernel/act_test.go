package kernel

import (
	"math"
	"testing"
)

func TestFastActivations(t *testing.T) {
	var worstExp, worstSig, worstTanh float64
	for v := -100.0; v <= 100; v += 0.001 {
		x := float32(v)
		if x > -87 && x < 88 {
			want := math.Exp(float64(x))
			worstExp = max(worstExp, math.Abs(float64(Exp(x))-want)/want)
		}
		worstSig = max(worstSig, math.Abs(float64(Sigmoid(x))-1/(1+math.Exp(-float64(x)))))
		worstTanh = max(worstTanh, math.Abs(float64(Tanh(x))-math.Tanh(float64(x))))
	}
	t.Logf("max rel err exp %.3g, max abs err sigmoid %.3g, tanh %.3g", worstExp, worstSig, worstTanh)
	if worstExp > 3e-7 || worstSig > 2e-7 || worstTanh > 3e-7 {
		t.Errorf("activations too inexact: exp %.3g, sigmoid %.3g, tanh %.3g", worstExp, worstSig, worstTanh)
	}
}

// TestFusedGatesVec checks the vector epilogue of each kernel Level
// against the scalar one.
func TestFusedGatesVec(t *testing.T) { forEachLevel(t, testFusedGatesVec) }

func testFusedGatesVec(t *testing.T) {
	const n = 16*5 + 7
	mk := func(scale float32, off int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = scale * float32((i*37+off)%201-100) / 10
		}
		return s
	}
	for _, keep := range []bool{false, true} {
		gi, gf, gO, gg, c := mk(1, 1), mk(2, 2), mk(0.5, 3), mk(1.5, 4), mk(0.3, 5)
		h := make([]float32, n)
		wgi, wgf, wgO, wgg, wc := append([]float32(nil), gi...), append([]float32(nil), gf...), append([]float32(nil), gO...), append([]float32(nil), gg...), append([]float32(nil), c...)
		wh := make([]float32, n)
		for p := 0; p < n; p++ {
			i, f, o, g := Sigmoid(wgi[p]), Sigmoid(wgf[p]), Sigmoid(wgO[p]), Tanh(wgg[p])
			wc[p] = f*wc[p] + i*g
			wh[p] = o * Tanh(wc[p])
			if keep {
				wgi[p], wgf[p], wgO[p], wgg[p] = i, f, o, g
			}
		}
		if keep {
			FusedGatesKeep(gi, gf, gO, gg, c, h)
		} else {
			FusedGates(gi, gf, gO, gg, c, h)
		}
		for _, pair := range [][2][]float32{{c, wc}, {h, wh}, {gi, wgi}, {gf, wgf}, {gO, wgO}, {gg, wgg}} {
			for p := range pair[0] {
				if d := math.Abs(float64(pair[0][p] - pair[1][p])); d > 3e-7 {
					t.Fatalf("keep=%v: pixel %d: got %g, want %g", keep, p, pair[0][p], pair[1][p])
				}
			}
		}
	}
}
