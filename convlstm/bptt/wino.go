package bptt

import (
	"runtime"

	"example.com/convlstm/convlstm/internal/kernel"
)

// convT by Winograd's F(2x2, r x r) (kernel/wino.go), as the fast forward
// computes its conv (fast/wino.go): dx is the correlation of dZ with the
// transposed, flipped kernel,
//
//	dx[c, y, x] = sum_{o, ky, kx} W[o, c, r-1-ky, r-1-kx] * dZ[o, y+ky-ph, x+kx-pw]
//
// so the same transforms apply with dZ's 4*hid planes as the input
// channels and the cout planes of dx as the outputs. A job is three
// vectors of 16 tiles of 2x2 pixels (48 tiles, one B strip of the
// micro-kernel); the vectors of all frames are numbered one after the
// other. It runs on AVX-512 for square 3x3 and 5x5 kernels, when the
// weights and dZ are finite and within winoBound (else the direct convT:
// a NaN or Inf would reach a whole tile, and rounding differs).
//
// The input tiles are read straight from the padded planes (padGeom): the
// tile rows above the frame and the columns left of it fall in the lead,
// the zero rows between frames and the gaps, which are the conv's zero
// padding. A tile whose second output row or column is past the frame (H
// or W odd) reads one row or column beyond that padding, a pixel of the
// next row or frame, whatever it holds: in the transforms that value meets
// only the tile's second output row or column, which is dropped (the last
// column of BT has one nonzero, in its last row, and AT's first row is
// zero there; the transforms skip zero coefficients, so not even a NaN
// gets through). Lanes past the frame's last tile read whatever follows,
// and are dropped with everything they computed (lanes never mix).

// winoBound bounds the weights and gradients of a Winograd convT, so that
// no product or transform can overflow (fast/wino.go has the same).
const winoBound = 1 << 32

// winoT is the Winograd plan of one convT.
type winoT struct {
	ct      *convT
	w       *kernel.Wino
	u       []float32 // the transformed filters (kernel.Wino.PackFilter)
	mpad    int       // cout rounded up to whole MR panels
	th, tv  int       // rows of tiles, vectors per row of tiles, per frame
	nvec    int       // vectors of the run in progress
	scratch chan *winoScratch
}

// winoScratch is one part's scratch (the parts of a run take one each).
type winoScratch struct {
	v, m []float32
	y    [4 * kernel.WinoLanes]float32
}

// winoVecs is the number of vectors per job: one NR strip.
const winoVecs = kernel.NR / kernel.WinoLanes

// initWino sets ct.wino to the Winograd plan of ct, in ct.winoMem's
// memory, or to nil when it cannot take one (kernel.UseWino, or weights
// not all finite and within winoBound).
func (ct *convT) initWino() {
	ct.wino = nil
	k := kernel.WinoFor(ct.kh)
	if ct.kh != ct.kw || !kernel.UseWino(ct.kh, ct.g.h, ct.g.w, ct.m, ct.cout) || !kernel.AllFiniteBelow(ct.wt, winoBound) {
		return
	}
	g := ct.g
	wt := ct.winoMem
	if wt == nil {
		wt = &winoT{}
		ct.winoMem = wt
	}
	*wt = winoT{ct: ct, w: k, mpad: ct.panels * kernel.MR, th: (g.h + 1) / 2,
		tv: ((g.w+1)/2 + kernel.WinoLanes - 1) / kernel.WinoLanes, u: wt.u, scratch: wt.scratch}
	a2 := k.Alpha * k.Alpha
	wt.u = grow(wt.u, a2*wt.mpad*ct.m)
	ct.wino = wt
	// Output channel c of dx, input channel o of dZ: W[o, c] flipped.
	k.PackFilter(wt.u, ct.cout, wt.mpad, ct.m, kernel.Filters{Data: ct.wt, Off: ct.k0, RowStride: ct.ntap, ColStride: ct.ktot, Flip: true})
	nv, nm := a2*kernel.SlotStride(ct.m*kernel.NR), a2*kernel.SlotStride(wt.mpad*kernel.NR)
	if wt.scratch == nil {
		n := runtime.GOMAXPROCS(0)
		wt.scratch = make(chan *winoScratch, n)
		for i := 0; i < n; i++ {
			wt.scratch <- &winoScratch{}
		}
	}
	for i := 0; i < cap(wt.scratch); i++ { // each part's buffers, resized
		s := <-wt.scratch
		s.v, s.m = grow(s.v, nv), grow(s.m, nm)
		wt.scratch <- s
	}
}

// takes reports whether the run's dZ frames [f0, f0+nf) (m planes of
// stride ldz) are all finite and within winoBound.
func (wt *winoT) takes(dz []float32, ldz, f0, nf int) bool {
	ct := wt.ct
	for o := 0; o < ct.m; o++ {
		if !kernel.AllFiniteBelow(dz[o*ldz+ct.g.frame(f0):o*ldz+ct.g.frame(f0+nf)], winoBound) {
			return false
		}
	}
	return true
}

// Do runs the jobs [lo, hi) of the run in progress (convT's arguments).
func (wt *winoT) Do(lo, hi int) {
	s := <-wt.scratch
	defer func() { wt.scratch <- s }()
	ct, k, g := wt.ct, wt.w, wt.ct.g
	const nr, lanes = kernel.NR, kernel.WinoLanes
	ldv, ldm := kernel.SlotStride(ct.m*nr), kernel.SlotStride(wt.mpad*nr)
	for j := lo; j < hi; j++ {
		v0 := j * winoVecs
		nv := min(winoVecs, wt.nvec-v0)
		// V: the input transform of every dZ plane around every vector,
		// read in place: the planes' zeros are the padding (see below).
		for q := 0; q < nv; q++ {
			f, ty, tx := wt.vec(v0 + q)
			first := g.at(ct.f0+f, 2*ty-ct.kh/2) + 2*lanes*tx - ct.kw/2
			for o := 0; o < ct.m; o++ {
				k.Input(ct.dz[o*ct.ldz+first:], g.wp, s.v[o*nr+q*lanes:], ldv)
			}
		}
		k.Multiply(wt.u, s.v, s.m, ct.cout, wt.mpad, ct.m, ldv, ldm)
		// The 2x2 pixels of every tile, through s.y into the frame's rows.
		for q := 0; q < nv; q++ {
			f, ty, tx := wt.vec(v0 + q)
			x0 := 2 * lanes * tx
			n := min(2*lanes, g.w-x0)
			for c := 0; c < ct.cout; c++ {
				k.Output(s.m[c*nr+q*lanes:], ldm, s.y[:], 2*lanes, 0)
				for r := 0; r < 2 && 2*ty+r < g.h; r++ {
					copy(ct.out[c*ct.ldo+g.at(ct.g0+f, 2*ty+r)+x0:][:n], s.y[r*2*lanes:][:n])
				}
			}
		}
	}
}

// vec returns the frame (from the run's first), the row of tiles and the
// vector within the row of vector v.
func (wt *winoT) vec(v int) (f, ty, tx int) {
	per := wt.th * wt.tv
	f, v = v/per, v%per
	return f, v / wt.tv, v % wt.tv
}
