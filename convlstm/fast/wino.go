package fast

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// The conv by Winograd's F(2x2, 3x3) and F(2x2, 5x5) (kernel/wino.go), for
// taps layers with a square 3x3 or 5x5 kernel on AVX-512.
//
// The frame is cut into tiles of 2x2 output pixels; WinoLanes (16) tiles
// side by side in a row of tiles are one "vector", and three vectors (48
// tiles, the micro-kernel's NR columns) are one job of a time step. The
// vectors of all batch items are numbered one after the other, so a job may
// hold vectors of two frames. A job
//
//  1. copies, for each channel of cat[x, h], the alpha rows around each of
//     its vectors into a zero-padded stage and transforms them
//     (kernel.Wino.Input) into V: alpha*alpha slots of cin x 48 values,
//     each slot a packed B strip;
//  2. multiplies, slot by slot, U (the transformed weights, packed once per
//     call into the micro-kernel's A panels) by V into M: 4*hid x 48 per
//     slot;
//  3. transforms M back to 2x2 pixels per tile plus the bias
//     (kernel.Wino.Output), straight into the gate rows of the job, and
//     runs the epilogue on them, as the taps path does on its band.
//
// The algorithm reorders the sums (its results differ from the direct
// conv's by rounding; TestGolden holds it to PyTorch's numbers), and a NaN
// or Inf in a tile would reach all its outputs: a layer takes it only when
// its weights, input and initial state are all finite and at most
// winoBound in magnitude, so that no value can overflow on either path.

// winoBound bounds the inputs and weights of a Winograd layer: products
// stay below 2^64, sums and transforms far below float32's 2^128.
const winoBound = 1 << 32

// winoVecs is the number of vectors (of WinoLanes tiles) per job: one NR
// strip of the micro-kernel.
const winoVecs = kernel.NR / kernel.WinoLanes

// winoConv is the conv of a layer by Winograd.
type winoConv struct {
	w          *kernel.Wino
	cin        int       // channels of cat[x, h]
	mpad       int       // 4*hid rounded up to whole MR panels
	u          []float32 // U packed: slot s, panel ip at [s*mpad*cin + ip*cin], (c, i) at c*MR+i
	th, tv     int       // rows of tiles, vectors per row of tiles
	nvec, jobs int       // vectors of all batch items, jobs per time step
}

// winoEligible reports whether the layer's conv may run by Winograd: a
// square kernel that kernel.UseWino takes (AVX-512, 3x3 or 5x5, frames wide
// enough to fill the vectors, enough channels), and every weight, input and
// initial state value finite and within winoBound.
func winoEligible(kh, kw, h, w, cin, cout int, data ...[]float32) bool {
	if kh != kw || !kernel.UseWino(kh, h, w, cin, cout) {
		return false
	}
	for _, d := range data {
		if !kernel.AllFiniteBelow(d, winoBound) {
			return false
		}
	}
	return true
}

// newWinoConv sets up the layer's Winograd conv: the tiling, and U from the
// weight w (4hid x (cin+hid)*r*r) into dst.
func (l *fastLayer) newWinoConv(dst, w []float32) winoConv {
	k := kernel.WinoFor(l.kh)
	m, cin, r := 4*l.hid, l.cin+l.hid, l.kh
	wc := winoConv{w: k, cin: cin}
	wc.mpad = (m + kernel.MR - 1) / kernel.MR * kernel.MR
	wc.th = (l.h + 1) / 2
	wc.tv = ((l.w+1)/2 + kernel.WinoLanes - 1) / kernel.WinoLanes
	wc.nvec = l.b * wc.th * wc.tv
	wc.jobs = (wc.nvec + winoVecs - 1) / winoVecs
	wc.u = dst[:k.Alpha*k.Alpha*wc.mpad*cin]
	k.PackFilter(wc.u, m, wc.mpad, cin, kernel.Filters{Data: w, RowStride: cin * r * r, ColStride: r * r})
	return wc
}

// winoJob runs job j of time step t: up to winoVecs vectors of tiles (see
// the top of this file).
func (l *fastLayer) winoJob(t, j int, s *fastScratch) {
	wc := &l.wc
	a, cin, hid, hw := wc.w.Alpha, wc.cin, l.hid, l.hw
	a2, lds := a*a, wc.w.StageWidth()
	m := 4 * hid
	const nr, lanes = kernel.NR, kernel.WinoLanes
	v0 := j * winoVecs
	nv := min(winoVecs, wc.nvec-v0)
	s.stage = grow(s.stage, a*lds)
	ldv, ldm := kernel.SlotStride(cin*nr), kernel.SlotStride(wc.mpad*nr)
	s.v = grow(s.v, a2*ldv)
	s.m = grow(s.m, a2*ldm)
	s.gates = grow(s.gates, m*l.gs)
	// 1. V: the input transform of every channel of every vector.
	for q := 0; q < nv; q++ {
		b, ty, tx := l.winoVec(v0 + q)
		hPrev := l.hPrev(b, t)
		xf := l.xFrame(b, t)
		x := l.x[xf*l.cin*hw : (xf+1)*l.cin*hw]
		for c := 0; c < cin; c++ {
			var plane []float32
			if c < l.cin {
				plane = x[c*hw : (c+1)*hw]
			} else if hPrev != nil {
				plane = hPrev[(c-l.cin)*hw : (c-l.cin+1)*hw]
			}
			wc.w.Stage(s.stage, plane, l.w, l.h, l.w, 2*ty-l.kh/2, 2*lanes*tx-l.kw/2)
			wc.w.Input(s.stage, lds, s.v[c*nr+q*lanes:], ldv)
		}
	}
	// 2. M = U . V, slot by slot.
	wc.w.Multiply(wc.u, s.v, s.m, m, wc.mpad, cin, ldv, ldm)
	// 3. The gates of the job's pixels (bias + conv), then the epilogue.
	g := s.gates
	for o := 0; o < m; o++ {
		bias := float32(0)
		if l.bias != nil {
			bias = l.bias[o]
		}
		for q := 0; q < nv; q++ {
			wc.w.Output(s.m[o*nr+q*lanes:], ldm, g[o*l.gs+q*4*lanes:], 2*lanes, bias)
		}
	}
	for q := 0; q < nv; q++ {
		b, ty, tx := l.winoVec(v0 + q)
		x0 := 2 * lanes * tx
		n := min(2*lanes, l.w-x0)
		for r := 0; r < 2 && 2*ty+r < l.h; r++ {
			l.epilogue(t, b, g, q*4*lanes+r*2*lanes, (2*ty+r)*l.w+x0, n)
		}
	}
}

// winoVec returns the batch item, the row of tiles and the vector within
// the row of vector v.
func (l *fastLayer) winoVec(v int) (b, ty, tx int) {
	wc := &l.wc
	per := wc.th * wc.tv
	b, v = v/per, v%per
	return b, v / wc.tv, v % wc.tv
}

// WinogradMatrices returns the matrices of F(2x2, r x r) for r = 3 or 5
// (else nils): BT (alpha x alpha) transforms an input tile, G (alpha x r) a
// filter, AT (2 x alpha) the product back to 2x2 outputs, alpha = r+1:
// Y = AT [(G g GT) .* (BT d B)] A.
func WinogradMatrices(r int) (bt, g, at [][]float64) {
	w := kernel.WinoFor(r)
	if w == nil {
		return nil, nil, nil
	}
	cp := func(m [][]float64) [][]float64 {
		c := make([][]float64, len(m))
		for i := range m {
			c[i] = append([]float64(nil), m[i]...)
		}
		return c
	}
	return cp(w.BT), cp(w.G), cp(w.AT)
}

// WinogradLayers reports, for each layer of m, whether the fast forward
// computes its conv by Winograd's algorithm on frames of h x w pixels when
// every value is finite and within bounds: a taps layer (hidden >= 16)
// with a square 3x3 or 5x5 kernel, on AVX-512, frames wide enough, at
// least 32 channels in (input plus hidden) and out (4*hidden), unless
// turned off (Runner.Direct, bptt.Trainer.Direct).
func WinogradLayers(m *convlstm.ConvLSTM, h, w int) []bool {
	var on []bool
	for _, c := range m.CellList {
		k := c.KernelSize
		on = append(on, c.HiddenDim >= tapsMinCin && k[0] == k[1] && kernel.UseWino(k[0], h, w, c.InputDim+c.HiddenDim, 4*c.HiddenDim))
	}
	return on
}
