package kernel

import (
	"math"
	"testing"
)

var (
	nan32  = float32(math.NaN())
	inf32  = float32(math.Inf(1))
	ninf32 = float32(math.Inf(-1))
)

// Reference definitions of PyTorch's float32 activations: exp is math.Exp
// rounded to float32 (+Inf where it overflows), sigmoid is 1/(1+exp(-x))
// in float32 as PyTorch's CPU kernel computes it, tanh is math.Tanh rounded.
func refExp(x float32) float32     { return float32(math.Exp(float64(x))) }
func refSigmoid(x float32) float32 { return 1 / (1 + refExp(-x)) }
func refTanh(x float32) float32    { return float32(math.Tanh(float64(x))) }

// sameClass reports whether got and want are both NaN, the same infinity,
// or both finite.
func sameClass(got, want float32) bool {
	g, w := float64(got), float64(want)
	switch {
	case math.IsNaN(w):
		return math.IsNaN(g)
	case math.IsInf(w, 0):
		return g == w
	}
	return !math.IsNaN(g) && !math.IsInf(g, 0)
}

// near reports whether got is want to within atol + rtol*|want|, NaN and
// infinities compared by class (sameClass).
func near(got, want float32, atol, rtol float64) bool {
	if !sameClass(got, want) {
		return false
	}
	if math.IsNaN(float64(want)) || math.IsInf(float64(want), 0) {
		return true
	}
	return math.Abs(float64(got)-float64(want)) <= atol+rtol*math.Abs(float64(want))
}

// TestExpNonFinite checks Exp over the whole float32 range, against
// math.Exp rounded to float32: NaN in, NaN out; +Inf and overflow give
// +Inf, -Inf and underflow 0, the subnormal range to within 2 of its steps.
func TestExpNonFinite(t *testing.T) {
	xs := []float32{nan32, inf32, ninf32, 0, 1, -1, 88, 88.5, 88.7,
		math.Float32frombits(0x42b17217), // 88.72283: the largest x with a finite e^x
		math.Float32frombits(0x42b17218), // 88.72284: e^x overflows
		89, 100, math.MaxFloat32, -87, -87.5, -90, -100, -103.9, -104, -200, -math.MaxFloat32}
	for _, x := range xs {
		got, want := Exp(x), refExp(x)
		if !near(got, want, 0x1p-148, 3e-7) {
			t.Errorf("Exp(%g) = %g, want %g", x, got, want)
		}
	}
}

// TestActivationsMatchPyTorch compares Sigmoid and Tanh with values PyTorch
// 1.13 printed, including where its sigmoid is exactly 0 (exp(-x)
// overflows):
//
//	x = torch.tensor([float('nan'), float('inf'), -float('inf'), -88.7, -88.72, -88.73, -89., -100., 88.8, 100., 17., -17.])
//	print(torch.sigmoid(x).tolist()); print(torch.tanh(x).tolist())
func TestActivationsMatchPyTorch(t *testing.T) {
	xs := []float32{nan32, inf32, ninf32, -88.7, -88.72, -88.73, -89, -100, 88.8, 100, 17, -17}
	sig := []float64{math.NaN(), 1, 0, 3.006635794144578e-39, 2.947087615903095e-39, 0, 0, 0, 1, 1, 1, 4.139937814784389e-08}
	tanh := []float64{math.NaN(), 1, -1, -1, -1, -1, -1, -1, 1, 1, 1, -1}
	for k, x := range xs {
		if s := Sigmoid(x); !near(s, float32(sig[k]), 1e-45, 1e-6) || (s == 0) != (sig[k] == 0) {
			t.Errorf("Sigmoid(%g) = %g, torch %g", x, s, sig[k])
		}
		if th := Tanh(x); !near(th, float32(tanh[k]), 0, 1e-7) {
			t.Errorf("Tanh(%g) = %g, torch %g", x, th, tanh[k])
		}
	}
}

// TestFusedGatesNonFinite runs the epilogue at each kernel level on every
// combination of NaN, ±Inf and finite values (large and ordinary) in the
// four gate pre-activations and the cell state, and compares it with the
// scalar Go epilogue and with PyTorch's definitions (refSigmoid, refTanh,
// c = f*c + i*g and h = o*tanh(c) in float32): NaN must stay NaN,
// infinities must be the same, and the sigmoid gates must be exactly 0
// where PyTorch's are (f = sigmoid(-Inf) = 0 times c = Inf is NaN).
func TestFusedGatesNonFinite(t *testing.T) { forEachLevel(t, testFusedGatesNonFinite) }

func testFusedGatesNonFinite(t *testing.T) {
	vals := []float32{nan32, inf32, ninf32, -100, -88.7, 0.7, -3}
	nv := len(vals)
	n := nv * nv * nv * nv * nv // one pixel per combination of the 5 inputs
	in := make([][5]float32, n) // gi, gf, gO, gg, c of each pixel
	for p := range in {
		q := p
		for s := range 5 {
			in[p][s] = vals[q%nv]
			q /= nv
		}
	}
	for _, keep := range []bool{false, true} {
		// Offset the rows by 0..nv so that every combination meets both
		// the vector loop and the scalar tail at some level.
		for _, off := range []int{0, 5} {
			rows := [5][]float32{}
			for s := range rows {
				rows[s] = make([]float32, n+off)
				for p := range n + off {
					rows[s][p] = in[(p+off)%n][s]
				}
			}
			gi, gf, gO, gg, c := rows[0], rows[1], rows[2], rows[3], rows[4]
			h := make([]float32, n+off)
			if keep {
				FusedGatesKeep(gi, gf, gO, gg, c, h)
			} else {
				FusedGates(gi, gf, gO, gg, c, h)
			}
			bad := 0
			for p := range n + off {
				x := in[(p+off)%n]
				// The scalar Go epilogue.
				si, sf, so, sg := Sigmoid(x[0]), Sigmoid(x[1]), Sigmoid(x[2]), Tanh(x[3])
				sc := float32(sf*x[4]) + float32(si*sg)
				sh := so * Tanh(sc)
				// PyTorch's definitions.
				ri, rf, ro, rg := refSigmoid(x[0]), refSigmoid(x[1]), refSigmoid(x[2]), refTanh(x[3])
				rc := float32(rf*x[4]) + float32(ri*rg)
				rh := ro * refTanh(rc)
				got := []float32{c[p], h[p]}
				scal := []float32{sc, sh}
				ref := []float32{rc, rh}
				if keep {
					got = append(got, gi[p], gf[p], gO[p], gg[p])
					scal = append(scal, si, sf, so, sg)
					ref = append(ref, ri, rf, ro, rg)
				}
				for k := range got {
					ok := near(got[k], scal[k], 3e-7, 1e-6) && near(got[k], ref[k], 1e-6, 1e-5)
					if k >= 2 && k <= 4 && (got[k] == 0) != (ref[k] == 0) {
						ok = false // a sigmoid gate must be 0 exactly where PyTorch's is
					}
					if !ok {
						if bad < 10 {
							names := []string{"c", "h", "i", "f", "o", "g"}
							t.Errorf("keep=%v pixel %d (cc_i, cc_f, cc_o, cc_g, c) = %v: %s = %g, scalar Go %g, PyTorch %g",
								keep, p, x, names[k], got[k], scal[k], ref[k])
						}
						bad++
					}
				}
			}
			if bad > 0 {
				t.Fatalf("keep=%v off=%d: %d values differ", keep, off, bad)
			}
		}
	}
}

// TestSgemmNonFinite checks that the products of every kernel level keep
// NaN and infinities as the naive triple loop does (no multiplication by
// zero skipped, no edge tile dropping them): A and B hold a few NaN, +Inf
// and -Inf next to zeros, in full and in edge tiles, with beta 0 and 1.
func TestSgemmNonFinite(t *testing.T) { forEachLevel(t, testSgemmNonFinite) }

func testSgemmNonFinite(t *testing.T) {
	for _, s := range [][3]int{{3, 5, 7}, {8, 48, 4}, {9, 50, 300}, {17, 100, 33}} {
		m, n, k := s[0], s[1], s[2]
		for _, beta := range []float32{0, 1} {
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := range a {
				a[i] = float32(i%5) - 2 // zeros among them
			}
			for i := range b {
				b[i] = float32(i%7)/4 - 0.5
			}
			// Specials: in A's last row and column (edge tiles), in B's
			// first and last column, and an Inf against a zero.
			a[(m-1)*k] = nan32
			a[k-1] = inf32
			a[(m/2)*k+k/2] = ninf32
			b[n-1] = inf32
			b[(k-1)*n] = ninf32
			b[(k/2)*n+n/2] = nan32
			for i := range k {
				b[i*n+1] = 0 // column 1 is zero: 0 * Inf must still be NaN
			}
			c := make([]float32, m*n)
			for i := range c {
				c[i] = 0.25
			}
			want := append([]float32(nil), c...)
			naiveGemm(false, false, m, n, k, 1, a, k, b, n, beta, want, n)
			Sgemm(false, false, m, n, k, 1, a, k, b, n, beta, c, n)
			specials := 0
			for i := range c {
				w := float64(want[i])
				if math.IsNaN(w) || math.IsInf(w, 0) {
					specials++
				}
				if !near(c[i], want[i], 1e-4, 1e-5) {
					t.Fatalf("%dx%dx%d beta=%g: C[%d,%d] = %g, want %g", m, n, k, beta, i/n, i%n, c[i], want[i])
				}
			}
			if specials == 0 {
				t.Fatalf("%dx%dx%d: the test has no non-finite result", m, n, k)
			}
		}
	}
}

// TestTapsTileNonFinite is TestSgemmNonFinite for the taps kernel: NaN and
// infinities in B read in place, with and without a bias.
func TestTapsTileNonFinite(t *testing.T) { forEachLevel(t, testTapsTileNonFinite) }

func testTapsTileNonFinite(t *testing.T) {
	const ntap, kc, ldb, ldc = 3, 5, 200, NR + 3
	offs := []int{0, 1, 9}
	a := make([]float32, ntap*kc*MR)
	for i := range a {
		a[i] = float32(i%4) - 1.5
	}
	a[7] = 0 // row 7 of step 0 multiplies B by zero
	b := make([]float32, kc*ldb+NR+offs[ntap-1])
	for i := range b {
		b[i] = float32(i%9)/8 - 0.5
	}
	b[3] = nan32
	b[ldb+20] = inf32
	b[2*ldb+47] = ninf32
	b[4*ldb+10] = inf32
	b[4*ldb+11] = ninf32
	for _, withBias := range []bool{false, true} {
		var bias []float32
		if withBias {
			bias = []float32{1, -2, 0.5, 0, 3, -1, 0.25, 2}
		}
		c := make([]float32, MR*ldc)
		want := make([]float32, MR*ldc)
		for i := range c {
			c[i], want[i] = 0.5, 0.5
		}
		for i := range MR {
			for j := range NR {
				var s float64
				if bias != nil {
					s = float64(bias[i])
				} else {
					s = float64(want[i*ldc+j])
				}
				for tp := range ntap {
					for k := range kc {
						s += float64(a[(tp*kc+k)*MR+i]) * float64(b[offs[tp]+k*ldb+j])
					}
				}
				want[i*ldc+j] = float32(s)
			}
		}
		TapsTile(ntap, kc, a, b, c, ldb, offs, ldc, bias)
		for i := range c {
			if !near(c[i], want[i], 1e-5, 1e-5) {
				t.Fatalf("bias=%v: C[%d,%d] = %g, want %g", withBias, i/ldc, i%ldc, c[i], want[i])
			}
		}
	}
}
