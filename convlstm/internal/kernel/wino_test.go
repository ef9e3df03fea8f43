package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWinoMatrices checks the Toom-Cook matrices in float64: AT[(G g GT)
// .* (BT d B)]A equals the direct 2x2 correlation of d with g.
func TestWinoMatrices(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, r := range []int{3, 5} {
		w := WinoFor(r)
		a := w.Alpha
		mul := func(x, y [][]float64) [][]float64 {
			z := make([][]float64, len(x))
			for i := range x {
				z[i] = make([]float64, len(y[0]))
				for j := range y[0] {
					for k := range y {
						z[i][j] += x[i][k] * y[k][j]
					}
				}
			}
			return z
		}
		tr := func(x [][]float64) [][]float64 {
			z := make([][]float64, len(x[0]))
			for j := range z {
				z[j] = make([]float64, len(x))
				for i := range x {
					z[j][i] = x[i][j]
				}
			}
			return z
		}
		maxErr := 0.0
		for trial := 0; trial < 20; trial++ {
			d, g := make([][]float64, a), make([][]float64, r)
			for i := range d {
				d[i] = make([]float64, a)
				for j := range d[i] {
					d[i][j] = rng.NormFloat64()
				}
			}
			for i := range g {
				g[i] = make([]float64, r)
				for j := range g[i] {
					g[i][j] = rng.NormFloat64()
				}
			}
			u := mul(mul(w.G, g), tr(w.G))
			v := mul(mul(w.BT, d), tr(w.BT))
			for i := range u {
				for j := range u[i] {
					u[i][j] *= v[i][j]
				}
			}
			y := mul(mul(w.AT, u), tr(w.AT))
			for oy := 0; oy < 2; oy++ {
				for ox := 0; ox < 2; ox++ {
					want := 0.0
					for ky := 0; ky < r; ky++ {
						for kx := 0; kx < r; kx++ {
							want += d[oy+ky][ox+kx] * g[ky][kx]
						}
					}
					maxErr = max(maxErr, math.Abs(y[oy][ox]-want))
				}
			}
		}
		t.Logf("F(2x2, %dx%d): max error %.2g (float64, tolerance 1e-9)", r, r, maxErr)
		if !(maxErr < 1e-9) {
			t.Errorf("F(2x2, %dx%d): max error %g", r, r, maxErr)
		}
	}
}

// TestWinoTransforms runs Filter, Input and Output at every level on 16
// tiles of a few channels and compares the 2x2 outputs with the direct
// correlation in float64 (tolerance 1e-5 + 1e-5|sum of |terms||), and the
// assembly with the Go code.
func TestWinoTransforms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	forEachWino(t, func(t *testing.T, w *Wino) {
		r := w.R
		a := w.Alpha
		const cin = 7
		lds := 2*WinoLanes + a - 2 + 3 // a row stride other than the width
		src := make([][]float32, cin)
		filt := make([][]float32, cin)
		for c := range src {
			src[c] = make([]float32, a*lds)
			for i := range src[c] {
				src[c][i] = float32(rng.NormFloat64())
			}
			filt[c] = make([]float32, r*r)
			for i := range filt[c] {
				filt[c][i] = float32(rng.NormFloat64())
			}
		}
		// M = sum_c U_c .* V_c, slot stride ldm.
		const ldm = WinoLanes + 5
		m := make([]float32, a*a*ldm)
		v := make([]float32, a*a*ldm)
		vGo := make([]float32, a*a*ldm)
		u := make([]float32, a*a)
		for c := 0; c < cin; c++ {
			w.Filter(filt[c], u, 1)
			w.Input(src[c], lds, v, ldm)
			w.inputGo(src[c], lds, vGo, ldm)
			for s := 0; s < a*a; s++ {
				for lane := 0; lane < WinoLanes; lane++ {
					i := s*ldm + lane
					if d := math.Abs(float64(v[i] - vGo[i])); d > 1e-5*(1+math.Abs(float64(vGo[i]))) {
						t.Fatalf("r=%d: Input slot %d lane %d: %g, Go code %g", r, s, lane, v[i], vGo[i])
					}
					m[i] += u[s] * v[i]
				}
			}
		}
		const bias = 0.25
		ldy := 2*WinoLanes + 9
		y := make([]float32, 2*ldy)
		yGo := make([]float32, 2*ldy)
		w.Output(m, ldm, y, ldy, bias)
		w.outputGo(m, ldm, yGo, ldy, bias)
		maxErr := 0.0
		for lane := 0; lane < WinoLanes; lane++ {
			for oy := 0; oy < 2; oy++ {
				for ox := 0; ox < 2; ox++ {
					want, mag := float64(bias), 0.0
					for c := 0; c < cin; c++ {
						for ky := 0; ky < r; ky++ {
							for kx := 0; kx < r; kx++ {
								p := float64(src[c][(oy+ky)*lds+2*lane+ox+kx]) * float64(filt[c][ky*r+kx])
								want += p
								mag += math.Abs(p)
							}
						}
					}
					got := float64(y[oy*ldy+2*lane+ox])
					e := math.Abs(got - want)
					maxErr = max(maxErr, e)
					if !(e <= 1e-5+1e-5*mag) {
						t.Errorf("r=%d lane %d (%d,%d): %g, direct %g", r, lane, oy, ox, got, want)
					}
					if g := yGo[oy*ldy+2*lane+ox]; math.Abs(float64(g)-got) > 1e-5*(1+mag) {
						t.Errorf("r=%d lane %d (%d,%d): %g, Go code %g", r, lane, oy, ox, got, g)
					}
				}
			}
		}
		t.Logf("F(2x2, %dx%d), %d channels: max error %.2g", r, r, cin, maxErr)
	})
}

// TestAllFiniteBelow checks the check at every level, with the bad value
// in the vector part and in the tail.
func TestAllFiniteBelow(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		for _, n := range []int{0, 5, 16, 37, 64} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(i%7) - 3
			}
			if !AllFiniteBelow(x, 3) {
				t.Errorf("n=%d: in bounds, got false", n)
			}
			if n > 0 && AllFiniteBelow(x, 2.5) {
				t.Errorf("n=%d: |x| = 3 > 2.5, got true", n)
			}
			for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -4} {
				for _, at := range []int{0, n / 2, n - 1} {
					if n == 0 {
						continue
					}
					y := append([]float32(nil), x...)
					y[at] = bad
					if AllFiniteBelow(y, 3) {
						t.Errorf("n=%d: %g at %d, got true", n, bad, at)
					}
				}
			}
		}
	})
}

// TestWinoPackFilter compares PackFilter at every level with Filter in
// float64 per filter, for row counts that fill the 16-filter groups of the
// assembly and that leave a panel of 8 (and padding rows) to the Go code.
func TestWinoPackFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	forEachWino(t, func(t *testing.T, w *Wino) {
		r := w.R
		for _, c := range []struct{ rows, k int }{{32, 3}, {20, 5}, {7, 2}} {
			mpad := (c.rows + MR - 1) / MR * MR
			filt := make([]float32, c.rows*c.k*r*r)
			for i := range filt {
				filt[i] = float32(rng.NormFloat64())
			}
			a2 := w.Alpha * w.Alpha
			u := make([]float32, a2*mpad*c.k)
			for i := range u {
				u[i] = float32(math.NaN()) // PackFilter must set every value
			}
			w.PackFilter(u, c.rows, mpad, c.k, Filters{Data: filt, RowStride: c.k * r * r, ColStride: r * r})
			want := make([]float32, a2)
			maxErr := 0.0
			for o := 0; o < mpad; o++ {
				for ch := 0; ch < c.k; ch++ {
					clear(want)
					if o < c.rows {
						w.Filter(filt[(o*c.k+ch)*r*r:(o*c.k+ch+1)*r*r], want, 1)
					}
					for s := 0; s < a2; s++ {
						got := u[s*mpad*c.k+(o/MR)*MR*c.k+ch*MR+o%MR]
						e := math.Abs(float64(got - want[s]))
						maxErr = max(maxErr, e)
						if !(e <= 1e-6*(1+math.Abs(float64(want[s])))) {
							t.Fatalf("r=%d rows=%d: filter (%d, %d) slot %d: %g, Filter %g", r, c.rows, o, ch, s, got, want[s])
						}
					}
				}
			}
			t.Logf("r=%d rows=%d k=%d: max error %.2g", r, c.rows, c.k, maxErr)
		}
	})
}

// forEachWino runs f at each kernel level (forEachLevel) for the 3x3 and
// the 5x5 transforms in turn.
func forEachWino(t *testing.T, f func(t *testing.T, w *Wino)) {
	t.Helper()
	forEachLevel(t, func(t *testing.T) {
		for _, r := range []int{3, 5} {
			f(t, WinoFor(r))
		}
	})
}

// TestWinoWorth: the lanes a frame fills and the channel counts decide.
func TestWinoWorth(t *testing.T) {
	for _, c := range []struct {
		r, h, w, cin, cout int
		want               bool
	}{
		{3, 32, 32, 64, 64, true},
		{3, 16, 16, 64, 64, false}, // 8 tiles of 16 lanes: 2.25 * 0.5 < 1.5
		{5, 24, 24, 35, 128, true}, // 12 of 16: 2.78 * 0.75
		{3, 24, 24, 64, 64, true},  // 2.25 * 0.75 = 1.69
		{3, 32, 32, 17, 64, false}, // too few input channels
		{3, 32, 32, 64, 16, false}, // too few output channels
		{4, 32, 32, 64, 64, false}, // no F(2x2, 4x4)
		{3, 0, 32, 64, 64, false},
	} {
		if got := WinoWorth(c.r, c.h, c.w, c.cin, c.cout); got != c.want {
			t.Errorf("WinoWorth(%d, %d, %d, %d, %d) = %v, want %v", c.r, c.h, c.w, c.cin, c.cout, got, c.want)
		}
	}
}
