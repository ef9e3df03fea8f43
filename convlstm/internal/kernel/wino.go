package kernel

//go:generate go run -tags purego wino_gen.go -out wino_amd64.s

// Winograd's minimal filtering, F(2x2, r x r), for the fast forward's convs
// with 3x3 and 5x5 kernels.
//
// A direct conv spends r*r multiply-adds per output pixel, input channel
// and output channel. Winograd's algorithm (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016) computes a tile of
// 2x2 outputs from an alpha x alpha tile of inputs (alpha = r+1) with
// alpha*alpha multiply-adds per input and output channel instead of 4*r*r:
//
//	Y = AT [ (G g GT) .* (BT d B) ] A
//
// g is one r x r filter, d one input tile, .* the element-wise product.
// U = G g GT (alpha x alpha, per filter) is computed once per call;
// V = BT d B (per tile and input channel) and the output transform
// AT M A (per tile and output channel) are a few additions each. The
// element-wise products summed over the input channels are alpha*alpha
// matrix products, one per position (xi, nu) of the tile, which the
// GEMM micro-kernel computes:
//
//	M[xi,nu] (out x tiles) = U[xi,nu] (out x in) . V[xi,nu] (in x tiles)
//
// For r = 3 that is 16 products instead of 36 per 2x2 outputs (2.25x
// fewer), for r = 5 36 instead of 100 (2.78x).
//
// The matrices come from Toom-Cook interpolation at the points 0, 1, -1
// (and 2, -2 for r = 5) and infinity; the fractions sit in G, so BT and AT
// hold small integers. Rounding differs from the direct sum (the
// transforms add and subtract), and a NaN or Inf in a tile spreads to its
// whole 2x2 output instead of the pixels the direct conv reaches: the fast
// path takes this algorithm only when every input is finite and not huge
// (AllFiniteBelow), and checks its results against PyTorch's golden cases.

// WinoWorth reports whether F(2x2, r x r) is worth taking over a direct
// conv from cin to cout channels on frames of h x w pixels. Its saving in
// multiply-adds (4r^2 / Alpha^2: 2.25 for r = 3, 2.78 for r = 5) times
// the share of the lanes that hold tiles of the frame (a row of tiles is
// cut into whole vectors of WinoLanes; 16 pixels wide is 8 tiles, half a
// vector) must be at least 1.5; and both channel counts at least
// WinoMinChannels, since the transforms cost per tile and channel what
// the products cost per tile and channel pair, and the products' depth is
// cin.
func WinoWorth(r, h, w, cin, cout int) bool {
	k := WinoFor(r)
	if k == nil || h <= 0 || w <= 0 || min(cin, cout) < WinoMinChannels {
		return false
	}
	tw := (w + 1) / 2
	lanes := (tw + WinoLanes - 1) / WinoLanes * WinoLanes
	save := float64(4*r*r) / float64(k.Alpha*k.Alpha)
	return save*float64(tw)/float64(lanes) >= 1.5
}

// WinoMinChannels is the fewest input and output channels for which
// WinoWorth takes Winograd's algorithm.
const WinoMinChannels = 32

// WinoPolicy says when the fast paths take Winograd's algorithm.
type WinoPolicy int

const (
	WinoAuto   WinoPolicy = iota // where WinoWorth says it pays (the default)
	WinoNever                    // never: the direct convs (tests, benchmarks)
	WinoAlways                   // for every conv it can compute (tests)
)

// winoPolicy is the policy in place: WinoAuto unless a test sets another
// with SetWinoPolicy (testhooks.go).
var winoPolicy = WinoAuto

// UseWino reports whether a conv with an r x r kernel from cin to cout
// channels on frames of h x w pixels takes Winograd's algorithm under the
// policy: only at the AVX-512 level (the transforms are assembly there;
// the other levels keep the direct convs), for r = 3 or 5. The caller
// still checks its values (AllFiniteBelow).
func UseWino(r, h, w, cin, cout int) bool {
	if current != AVX512 || WinoFor(r) == nil {
		return false
	}
	switch winoPolicy {
	case WinoAlways:
		return true
	case WinoAuto:
		return WinoWorth(r, h, w, cin, cout)
	}
	return false
}

// WinoLanes is the number of tiles one transform call handles: one zmm
// register of float32.
const WinoLanes = 16

// Wino holds the matrices of F(2x2, R x R).
type Wino struct {
	R, Alpha int
	BT       [][]float64 // Alpha x Alpha: input transform
	G        [][]float64 // Alpha x R: filter transform
	AT       [][]float64 // 2 x Alpha: output transform
}

// WinoFor returns F(2x2, r x r) for r = 3 or 5, else nil.
func WinoFor(r int) *Wino {
	switch r {
	case 3:
		return wino3
	case 5:
		return wino5
	}
	return nil
}

var (
	wino3 = newWino(3, []float64{0, 1, -1})
	wino5 = newWino(5, []float64{0, 1, -1, 2, -2})
)

// newWino builds F(2, r) by Toom-Cook from the finite points p (r of them)
// and infinity. A 1-D correlation y_i = sum_k g_k d_{i+k} is the transpose
// of the linear convolution of g with a 2-tap signal; Toom-Cook computes
// that convolution by evaluating both polynomials at the points (G and
// AT's transpose), multiplying, and interpolating (BT's transpose):
//
//	G[j][k]  = p_j^k / f_j,  f_j = prod_{l != j} (p_j - p_l);  G[inf] = x^(r-1)'s coefficient
//	AT[i][j] = p_j^i;                                           AT[i][inf] = 1 if i == 1
//	BT[j][k] = coefficient of x^k in prod_{l != j} (x - p_l);   BT[inf]   = that of prod_l (x - p_l)
func newWino(r int, p []float64) *Wino {
	a := r + 1
	w := &Wino{R: r, Alpha: a}
	w.BT = make([][]float64, a)
	w.G = make([][]float64, a)
	w.AT = [][]float64{make([]float64, a), make([]float64, a)}
	// poly returns the coefficients (lowest first) of prod (x - p_l), l != skip.
	poly := func(skip int) []float64 {
		c := []float64{1}
		for l, pl := range p {
			if l == skip {
				continue
			}
			n := make([]float64, len(c)+1)
			for k, v := range c {
				n[k+1] += v
				n[k] -= pl * v
			}
			c = n
		}
		return c
	}
	for j, pj := range p {
		f := 1.0
		for l, pl := range p {
			if l != j {
				f *= pj - pl
			}
		}
		w.BT[j] = make([]float64, a)
		copy(w.BT[j], poly(j))
		w.G[j] = make([]float64, r)
		pk := 1.0
		for k := 0; k < r; k++ {
			w.G[j][k] = pk/f + 0 // + 0: no -0 (0/f with f < 0)
			pk *= pj
		}
		w.AT[0][j], w.AT[1][j] = 1, pj
	}
	w.BT[a-1] = poly(-1)
	w.G[a-1] = make([]float64, r)
	w.G[a-1][r-1] = 1
	w.AT[1][a-1] = 1
	return w
}

// Filter sets u[(xi*Alpha+nu)*ldu] to U = G g GT for the R x R filter g
// (row-major), rounded once to float32.
func (w *Wino) Filter(g []float32, u []float32, ldu int) {
	r, a := w.R, w.Alpha
	var t [6][6]float64 // t = G g: Alpha x R
	for xi := 0; xi < a; xi++ {
		gr := w.G[xi]
		for kx := 0; kx < r; kx++ {
			s := 0.0
			for ky := 0; ky < r; ky++ {
				s += gr[ky] * float64(g[ky*r+kx])
			}
			t[xi][kx] = s
		}
	}
	for xi := 0; xi < a; xi++ {
		for nu := 0; nu < a; nu++ {
			gr := w.G[nu]
			s := 0.0
			for kx := 0; kx < r; kx++ {
				s += t[xi][kx] * gr[kx]
			}
			u[(xi*a+nu)*ldu] = float32(s)
		}
	}
}

// StageWidth is the number of values of each row that Input reads: the
// 2*WinoLanes+Alpha-2 input columns of WinoLanes tiles side by side.
func (w *Wino) StageWidth() int { return 2*WinoLanes + w.Alpha - 2 }

// Stage copies the Alpha rows from y0 and the StageWidth columns from x0
// of a plane of h x wd pixels (pixel (y, x) at plane[y*ld+x]; nil for a
// plane of zeros) into stage (row stride StageWidth), with zeros where
// they fall outside the plane: the input of Input for the tiles whose
// first input pixel is (y0, x0).
func (w *Wino) Stage(stage, plane []float32, ld, h, wd, y0, x0 int) {
	lds := w.StageWidth()
	lo, hi := max(0, -x0), min(lds, wd-x0) // stage columns inside the plane
	for i := 0; i < w.Alpha; i++ {
		d := stage[i*lds : (i+1)*lds]
		y := y0 + i
		if plane == nil || y < 0 || y >= h || lo >= hi {
			clear(d)
			continue
		}
		clear(d[:lo])
		copy(d[lo:hi], plane[y*ld+x0+lo:y*ld+x0+hi])
		clear(d[hi:])
	}
}

// Filters says where PackFilter reads the filters of a conv: the filter
// from input channel c to output channel o is the R*R values
// Data[Off + o*RowStride + c*ColStride + t], t = 0 .. R*R-1 row-major, or
// in reverse order (the filter turned by 180 degrees) when Flip.
type Filters struct {
	Data                      []float32
	Off, RowStride, ColStride int
	Flip                      bool
}

// get copies filter (o, c) into g (R*R values).
func (f *Filters) get(o, c int, g []float32) {
	src := f.Data[f.Off+o*f.RowStride+c*f.ColStride:][:len(g)]
	if !f.Flip {
		copy(g, src)
		return
	}
	for i := range g {
		g[i] = src[len(g)-1-i]
	}
}

// PackFilter sets u to U = G g GT of the rows x k filters g of a conv
// (read as f says), packed as the A panels of Multiply: slot s (=
// xi*Alpha+nu) at u[s*mpad*k:], output channel o of input channel c at
// [(o/MR)*MR*k + c*MR + o%MR]; the rows from rows to mpad (a multiple of
// MR) are zero.
func (w *Wino) PackFilter(u []float32, rows, mpad, k int, f Filters) {
	slot := mpad * k
	rr := w.R * w.R
	u = u[:w.Alpha*w.Alpha*slot]
	clear(u)
	var g [25]float32
	o0 := 0
	if current == AVX512 {
		// 16 filters at a time, two panels of MR rows: the filters of
		// rows o0..o0+15 from channel c gathered lane by lane.
		var src [25 * WinoLanes]float32
		for ; o0+2*MR <= mpad && o0 < rows; o0 += 2 * MR {
			for c := 0; c < k; c++ {
				for l := 0; l < 2*MR; l++ {
					if o0+l >= rows {
						for t := 0; t < rr; t++ {
							src[t*WinoLanes+l] = 0
						}
						continue
					}
					f.get(o0+l, c, g[:rr])
					for t, v := range g[:rr] {
						src[t*WinoLanes+l] = v
					}
				}
				winoFilterAsm(w, src[:rr*WinoLanes], u[o0*k+c*MR:], slot, MR*k)
			}
		}
	}
	for o := o0; o < rows; o++ {
		base := (o/MR)*MR*k + o%MR
		for c := 0; c < k; c++ {
			f.get(o, c, g[:rr])
			w.Filter(g[:rr], u[base+c*MR:], slot)
		}
	}
}

// Multiply sets M = U . V, slot by slot: v holds Alpha*Alpha slots of k x NR
// values (a packed B strip each, slot stride ldv), u the packed filters
// (PackFilter), and m gets Alpha*Alpha slots of mpad x NR (slot stride
// ldm), rows [0, rows) set. The B strip of a slot stays in L1 while the
// panels of U go by.
func (w *Wino) Multiply(u, v, m []float32, rows, mpad, k, ldv, ldm int) {
	for sl := 0; sl < w.Alpha*w.Alpha; sl++ {
		us := u[sl*mpad*k:]
		bs := v[sl*ldv : sl*ldv+k*NR]
		ms := m[sl*ldm:]
		for ip := 0; ip < rows; ip += MR {
			// The taps kernel with one tap at offset 0 and a zero bias is
			// the micro-kernel that sets its tile instead of adding to it.
			tapsKernel(1, k, us[ip*k:ip*k+k*MR], bs, ms[ip*NR:], NR, winoOffs[:], NR, winoZeros[:])
		}
	}
}

// SlotStride is a stride for n values per slot of V or M: n rounded up to
// whole 64-byte lines, plus one when that is even. The Alpha*Alpha slots of
// one tile then do not all fall in the same sets of the L1 cache, as they
// would with a stride of a multiple of 4 KB.
func SlotStride(n int) int {
	n = (n + 15) &^ 15
	if (n/16)%2 == 0 {
		n += 16
	}
	return n
}

var (
	winoOffs  [1]int
	winoZeros [MR]float32
)

// Input computes V = BT d B for WinoLanes tiles side by side: the tile of
// lane t has its value (i, j) at src[i*lds + 2t + j], and V[xi][nu] of the
// tiles goes to dst[(xi*Alpha+nu)*ldd : +WinoLanes]. Each of the Alpha
// rows of src must hold 2*WinoLanes + Alpha - 2 values.
func (w *Wino) Input(src []float32, lds int, dst []float32, ldd int) {
	if current == AVX512 && winoInAsm(w, src, lds, dst, ldd) {
		return
	}
	w.inputGo(src, lds, dst, ldd)
}

// Output computes Y = AT M A + bias for WinoLanes tiles side by side:
// M[xi][nu] of the tiles is src[(xi*Alpha+nu)*lds : +WinoLanes], and output
// (a, b) of the tile of lane t goes to dst[a*ldd + 2t + b].
func (w *Wino) Output(src []float32, lds int, dst []float32, ldd int, bias float32) {
	if current == AVX512 && winoOutAsm(w, src, lds, dst, ldd, bias) {
		return
	}
	w.outputGo(src, lds, dst, ldd, bias)
}

func (w *Wino) inputGo(src []float32, lds int, dst []float32, ldd int) {
	a := w.Alpha
	var d, tT [6][6]float32 // tT[nu][i] = t[i][nu]
	for lane := 0; lane < WinoLanes; lane++ {
		for i := 0; i < a; i++ {
			for j := 0; j < a; j++ {
				d[i][j] = src[i*lds+2*lane+j]
			}
		}
		// t = d B (rows), then V = BT t (columns).
		for i := 0; i < a; i++ {
			for nu := 0; nu < a; nu++ {
				tT[nu][i] = winoDot(w.BT[nu], &d[i])
			}
		}
		for xi := 0; xi < a; xi++ {
			for nu := 0; nu < a; nu++ {
				dst[(xi*a+nu)*ldd+lane] = winoDot(w.BT[xi], &tT[nu])
			}
		}
	}
}

func (w *Wino) outputGo(src []float32, lds int, dst []float32, ldd int, bias float32) {
	a := w.Alpha
	var m [6]float32 // column nu of M
	for lane := 0; lane < WinoLanes; lane++ {
		var s [2][6]float32 // AT M
		for nu := 0; nu < a; nu++ {
			for xi := 0; xi < a; xi++ {
				m[xi] = src[(xi*a+nu)*lds+lane]
			}
			for r := 0; r < 2; r++ {
				s[r][nu] = winoDot(w.AT[r], &m)
			}
		}
		for r := 0; r < 2; r++ {
			for b := 0; b < 2; b++ {
				dst[r*ldd+2*lane+b] = winoDot(w.AT[b], &s[r]) + bias
			}
		}
	}
}

// winoDot is the sum of c[j]*x[j] over the nonzero coefficients of a
// transform's row c, in order, in float32.
func winoDot(c []float64, x *[6]float32) float32 {
	s := float32(0)
	for j, cj := range c {
		if cj != 0 {
			s += float32(cj) * x[j]
		}
	}
	return s
}

// AllFiniteBelow reports whether every value of x is finite with
// magnitude at most bound (false for any NaN).
func AllFiniteBelow(x []float32, bound float32) bool {
	if current == AVX512 {
		if ok, done := allBelowAsm(x, bound); done {
			return ok
		}
	}
	for _, v := range x {
		if !(v <= bound && v >= -bound) {
			return false
		}
	}
	return true
}
