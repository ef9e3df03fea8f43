package fast

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
	"example.com/convlstm/convlstm/internal/par"
)

// The fast path, per layer, for the whole sequence at once.
//
// The conv over cat[x, h] is split by its weight's input-channel axis:
// W = [Wx | Wh], so conv(cat[x, h]) = conv_x(x) + conv_h(h), and on this
// path no concatenated tensor is built. As matrices, with the output channels
// (the 4*hid gate rows i, f, o, g) as rows and the pixels of one frame as
// columns:
//
//	gates[b,t] (4hid x HW) = bias + Wx (4hid x cin*kh*kw) . im2col(x[b,t]) (cin*kh*kw x HW)
//	                              + Wh (4hid x hid*kh*kw) . im2col(h[b,t-1])
//
// The first term does not depend on h, so it is computed for all B*T
// frames in one large product before the time loop ("input phase"). The
// time loop then only adds the Wh term, frame by frame and tile of pixels
// by tile of pixels, and applies the gates and the state update to each
// tile right after its product, while the tile is still in cache
// ("epilogue"). im2col is never materialised: it is written straight into
// the packed B strips the micro-kernel reads.
//
// Layers with many hidden channels (hid >= tapsMinCin) take the taps
// variant of taps.go instead: no im2col; the padded band there does hold
// cat[x, h] (both halves side by side), and one product over it per band of
// rows, within the time step, gives both terms.

// fastTileCols is the number of pixels (columns) one job handles.
const fastTileCols = 4 * kernel.NR

// packedMat is a weight matrix (m x k) packed once into the micro-kernel's
// A panels: for each KC block starting at k0, for each MR-row panel at
// row ip, the kc x MR panel is at data[k0*mpad+ip*kc:].
type packedMat struct {
	m, k, mpad int
	data       []float32
}

// packWeights packs columns [k0, k0+k) of the row-major m x ktot matrix w.
func packWeights(dst []float32, w []float32, m, ktot, k0, k int) packedMat {
	mpad := (m + kernel.MR - 1) / kernel.MR * kernel.MR
	pm := packedMat{m: m, k: k, mpad: mpad, data: dst[:mpad*k]}
	for kb := 0; kb < k; kb += kernel.KC {
		kc := min(kernel.KC, k-kb)
		kernel.PackA(pm.data[kb*mpad:], false, w, ktot, 0, m, k0+kb, kc, 1)
	}
	return pm
}

// im2colRow fills dst[i] with the pixel of plane (h x w) at (y+oy, x+ox),
// where (y, x) is pixel p0+i of the frame in row-major order, and with zero
// where that falls in the padding. Rows are copied a run at a time.
func im2colRow(dst, plane []float32, h, w, oy, ox, p0 int) {
	y, x := p0/w, p0%w
	for i := 0; i < len(dst); {
		seg := min(w-x, len(dst)-i)
		d := dst[i : i+seg]
		iy := y + oy
		if iy < 0 || iy >= h {
			clear(d)
		} else {
			row := plane[iy*w : iy*w+w]
			lo := max(x, -ox)      // first x whose x+ox is inside the row
			hi := min(x+seg, w-ox) // end of the x whose x+ox is inside
			if lo >= hi {
				clear(d)
			} else {
				clear(d[:lo-x])
				copy(d[lo-x:hi-x], row[lo+ox:hi+ox])
				clear(d[hi-x:])
			}
		}
		i += seg
		x = 0
		y++
	}
}

// packIm2col packs rows [k0, k0+kc) and columns [p0, p0+n) of the im2col
// matrix of src (channels of h x w pixels, kernel kh x kw, padding kh/2,
// kw/2) into NR-column strips: row k = (c*kh+dy)*kw+dx, column p holds
// src[c, y+dy-kh/2, x+dx-kw/2] for pixel p = (y, x).
func packIm2col(dst, src []float32, h, w, kh, kw, k0, kc, p0, n int) {
	khw, hw := kh*kw, h*w
	ph, pw := kh/2, kw/2
	for js := 0; js < n; js += kernel.NR {
		cols := min(kernel.NR, n-js)
		s := dst[js*kc : js*kc+kc*kernel.NR]
		for kk := 0; kk < kc; kk++ {
			k := k0 + kk
			c, r := k/khw, k%khw
			d := s[kk*kernel.NR : kk*kernel.NR+kernel.NR]
			im2colRow(d[:cols], src[c*hw:(c+1)*hw], h, w, r/kw-ph, r%kw-pw, p0+js)
			clear(d[cols:])
		}
	}
}

// fastLayer is one layer of the fast path over a whole sequence.
type fastLayer struct {
	b, t, cin, hid, h, w, hw, kh, kw int
	ntiles                           int
	wx, wh                           packedMat
	bias                             []float32 // (4hid) or nil
	x                                []float32 // input (B, T, cin, H, W), or (T, B, ...) when xTimeMajor
	xTimeMajor                       bool
	gx                               []float32       // gate pre-activations (B, T, 4hid, H*W)
	out                              []float32       // hidden states (B, T, hid, H, W): the layer output
	c                                []float32       // cell state (B, hid, H, W), updated in place
	h0                               []float32       // initial h (B, hid, H, W), nil for zeros
	zeroH                            []float32       // a zero h (hid, H, W) when Wh is not all finite, else nil
	steps                            []convlstm.Step // per time step, when tracing
	wci, wcf, wco                    []float32       // the peephole weights (hid, H, W), nil in the seed's cell

	// The convs by taps (taps.go), when taps is set: the gates are
	// then computed band by band into each worker's scratch, row stride
	// gs; else they are in gx, row stride gs = H*W.
	taps    bool
	gs      int
	tc      tapsConv  // the whole conv over cat[x, h]
	wp      int       // padded row width
	offs    []int     // offset of each tap in the padded band
	biasPad []float32 // the bias (or zeros), padded to whole MR panels

	// The conv by Winograd (wino.go), when wino is set (a taps layer
	// whose kernel and values allow it): gate rows of stride gs in each
	// worker's scratch.
	wino bool
	wc   winoConv
}

// gemmTile adds W (packed) . im2col(src)[:, p0:p0+n] into g (4hid rows of
// stride hw), columns p0..p0+n, using the worker's scratch.
func (l *fastLayer) gemmTile(pm *packedMat, src, g []float32, p0, n int, s *fastScratch) {
	for kb := 0; kb < pm.k; kb += kernel.KC {
		kc := min(kernel.KC, pm.k-kb)
		packIm2col(s.b, src, l.h, l.w, l.kh, l.kw, kb, kc, p0, n)
		ablk := pm.data[kb*pm.mpad:]
		for js := 0; js < n; js += kernel.NR {
			cols := min(kernel.NR, n-js)
			bs := s.b[js*kc : js*kc+kc*kernel.NR]
			for ip := 0; ip < pm.m; ip += kernel.MR {
				rows := min(kernel.MR, pm.m-ip)
				kernel.TileKernel(kc, ablk[ip*kc:ip*kc+kc*kernel.MR], bs, g[ip*l.hw+p0+js:], l.hw, rows, cols, s.tmp[:])
			}
		}
	}
}

// inputJob computes bias + Wx . im2col(x[f]) for frame f = b*T+t, tile j.
func (l *fastLayer) inputJob(job int, s *fastScratch) {
	f, tile := job/l.ntiles, job%l.ntiles
	p0 := tile * fastTileCols
	n := min(fastTileCols, l.hw-p0)
	m := 4 * l.hid
	g := l.gx[f*m*l.hw : (f+1)*m*l.hw]
	for o := 0; o < m; o++ {
		row := g[o*l.hw+p0 : o*l.hw+p0+n]
		if l.bias == nil {
			clear(row)
		} else {
			bv := l.bias[o]
			for i := range row {
				row[i] = bv
			}
		}
	}
	xf := l.xFrame(f/l.t, f%l.t)
	l.gemmTile(&l.wx, l.x[xf*l.cin*l.hw:(xf+1)*l.cin*l.hw], g, p0, n, s)
}

// xFrame is the index of frame (b, t) in x: b*T+t, or t*B+b when x is
// time-major (B and T swapped, the layout of a batch_first=false input).
func (l *fastLayer) xFrame(b, t int) int {
	if l.xTimeMajor {
		return t*l.b + b
	}
	return b*l.t + t
}

// stepJob runs time step t for batch item b and tile j (a band of rows on
// the taps path): the Wh product into the precomputed gates, then the
// fused epilogue.
func (l *fastLayer) stepJob(t, job int, s *fastScratch) {
	if l.wino {
		l.winoJob(t, job, s)
		return
	}
	var b, p0, n, y0, nr int
	if l.taps {
		var band int
		b, band = job/l.tc.bands, job%l.tc.bands
		y0 = band * l.tc.bandRows
		nr = min(l.tc.bandRows, l.h-y0)
		if nr <= 0 {
			return
		}
	} else {
		var tile int
		b, tile = job/l.ntiles, job%l.ntiles
		p0 = tile * fastTileCols
		n = min(fastTileCols, l.hw-p0)
	}
	hid, hw, gs := l.hid, l.hw, l.gs
	fr := b*l.t + t
	hPrev := l.hPrev(b, t)
	if !l.taps {
		g := l.gx[fr*4*hid*gs : (fr+1)*4*hid*gs]
		if hPrev == nil {
			// A zero h adds nothing unless Wh holds an Inf or NaN, whose
			// product with 0 is NaN in PyTorch: then zeroH is set.
			hPrev = l.zeroH
		}
		if hPrev != nil {
			l.gemmTile(&l.wh, hPrev, g, p0, n, s)
		}
		l.epilogue(t, b, g, p0, p0, n)
		return
	}
	g := grow(s.gates, (4*hid+kernel.MR-1)/kernel.MR*kernel.MR*gs)
	s.gates = g
	xf := l.xFrame(b, t)
	l.tapsBand(l.x[xf*l.cin*hw:(xf+1)*l.cin*hw], hPrev, g, y0, nr, s)
	for y := y0; y < y0+nr; y++ {
		l.epilogue(t, b, g, (y-y0)*l.wp, y*l.w, l.w)
	}
}

// hPrev is h_{t-1} of batch item b (hid planes of H x W): the output of
// step t-1, or the initial h at t = 0 (nil for zeros).
func (l *fastLayer) hPrev(b, t int) []float32 {
	n := l.hid * l.hw
	if t > 0 {
		fr := b*l.t + t
		return l.out[(fr-1)*n : fr*n]
	}
	if l.h0 != nil {
		return l.h0[b*n : (b+1)*n]
	}
	return nil
}

// epilogue applies the gates and the state update to n pixels of batch
// item b at step t: gate values from g at offset gq of each gate row,
// state and output at offset p of each channel plane.
func (l *fastLayer) epilogue(t, b int, g []float32, gq, p, n int) {
	hid, hw, gs := l.hid, l.hw, l.gs
	fr := b*l.t + t
	c := l.c[b*hid*hw : (b+1)*hid*hw]
	h := l.out[fr*hid*hw : (fr+1)*hid*hw]
	for j := 0; j < hid; j++ {
		q := j*gs + gq
		gi := g[q : q+n]
		gf := g[hid*gs+q : hid*gs+q+n]
		go_ := g[2*hid*gs+q : 2*hid*gs+q+n]
		gg := g[3*hid*gs+q : 3*hid*gs+q+n]
		o := j*hw + p
		cj := c[o : o+n]
		hj := h[o : o+n]
		// Tracing keeps the activations too (the gate buffer is
		// overwritten with them, then copied out). The peephole cell's
		// epilogue is its own kernel (AVX-512, else Go).
		switch keep := l.steps != nil; {
		case l.wci != nil:
			kernel.FusedGatesPeephole(gi, gf, go_, gg, l.wci[o:o+n], l.wcf[o:o+n], l.wco[o:o+n], cj, hj, keep)
		case keep:
			kernel.FusedGatesKeep(gi, gf, go_, gg, cj, hj)
		default:
			kernel.FusedGates(gi, gf, go_, gg, cj, hj)
		}
		if l.steps == nil {
			continue
		}
		st := &l.steps[t]
		bo := b*hid*hw + o
		copy(st.I.Data[bo:bo+n], gi)
		copy(st.F.Data[bo:bo+n], gf)
		copy(st.O.Data[bo:bo+n], go_)
		copy(st.G.Data[bo:bo+n], gg)
		copy(st.C.Data[bo:bo+n], cj)
		copy(st.H.Data[bo:bo+n], hj)
	}
}

// fastScratch is one worker's scratch: a packed B block and an edge tile.
type fastScratch struct {
	b     []float32
	pad   []float32 // the taps path's padded band of x or h
	gates []float32 // the taps path's gates of the band
	stage []float32 // the Winograd path's rows of one channel around a vector of tiles
	v, m  []float32 // the Winograd path's transformed input and product
	tmp   [kernel.MR * kernel.NR]float32
}

// fastPool runs the jobs of one phase on all cores: the calling goroutine
// and the long-lived workers of internal/par, one part each, take job
// numbers from an atomic counter until none is left (the jobs differ in
// cost, so a fixed split would leave cores idle). Starting a phase hands
// out pointers: nothing is allocated per phase.
type fastPool struct {
	nw      int
	scratch []fastScratch // one per part
	call    par.Call
	next    atomic.Int64
	njobs   int64
	layer   *fastLayer
	phase   int // -1: input phase; t >= 0: time step t
	errMu   sync.Mutex
	err     error
}

// reset readies the pool for a call on nw cores, keeping the scratch of
// an earlier call when it has nw entries.
func (p *fastPool) reset(nw int) {
	if len(p.scratch) != nw {
		p.scratch = make([]fastScratch, nw)
		for i := range p.scratch {
			p.scratch[i].b = make([]float32, kernel.KC*fastTileCols)
		}
	}
	p.nw, p.err, p.layer = nw, nil, nil
}

// run executes njobs jobs of the given phase of layer l and waits for them.
func (p *fastPool) run(l *fastLayer, phase, njobs int) {
	p.layer, p.phase, p.njobs = l, phase, int64(njobs)
	p.next.Store(0)
	p.call.Run(min(p.nw, njobs), p)
}

// Do runs the parts [lo, hi) of a phase: part w works with scratch w.
func (p *fastPool) Do(lo, hi int) {
	for w := lo; w < hi; w++ {
		p.work(w)
	}
}

func (p *fastPool) work(w int) {
	defer func() {
		if r := recover(); r != nil {
			p.errMu.Lock()
			if p.err == nil {
				p.err = fmt.Errorf("convlstm: fast path: internal error: %v", r)
			}
			p.errMu.Unlock()
			p.next.Store(p.njobs) // stop the phase
		}
	}()
	l, s := p.layer, &p.scratch[w]
	for {
		j := p.next.Add(1) - 1
		if j >= p.njobs {
			return
		}
		if p.phase < 0 {
			l.inputJob(int(j), s)
		} else {
			l.stepJob(p.phase, int(j), s)
		}
	}
}

// fastWorkspace is a Runner's memory, reused from one call to the next.
type fastWorkspace struct {
	gx, wx, wh []float32
	direct     bool        // no Winograd: the Runner's Direct
	pool       fastPool    // the cores' share of the work, with their scratch
	layers     []fastLayer // the layers of the call, their buffers reused

	// The results (runner.go).
	outs        []*convlstm.Tensor
	states      []convlstm.State
	tensors     [][3]convlstm.Tensor // per layer: the output, the last h and c
	shapes      [][3][5]int          // their shapes' memory
	lastH       [][]float32
	traceLayers [][]convlstm.Step
	// The input and initial states of the call (unalias), and the copies
	// made of those that were the Runner's results.
	h0, c0, h0Copy, c0Copy [][]float32
	xCopy                  []float32
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// layer prepares layer li in the workspace's fastLayer li, reusing the
// buffers of the last call (the output, c, the trace's steps, the packed
// weights): x is (B, T, cin, H, W); h0 and c0 are the initial state (B,
// hid, H, W) or nil for zeros; trace keeps every step's activations.
func (ws *fastWorkspace) layer(li int, cell *convlstm.Cell, x []float32, b, t, h, w int, h0, c0 []float32, trace bool) *fastLayer {
	hid, cin := cell.HiddenDim, cell.InputDim
	kh, kw := cell.KernelSize[0], cell.KernelSize[1]
	hw := h * w
	for len(ws.layers) <= li {
		ws.layers = append(ws.layers, fastLayer{})
	}
	l := &ws.layers[li]
	old := *l
	*l = fastLayer{
		b: b, t: t, cin: cin, hid: hid, h: h, w: w, hw: hw, kh: kh, kw: kw,
		ntiles: (hw + fastTileCols - 1) / fastTileCols,
		x:      x, h0: h0,
		offs: old.offs, biasPad: old.biasPad,
	}
	l.out, l.c = grow(old.out, b*t*hid*hw), grow(old.c, b*hid*hw)
	if c0 != nil {
		copy(l.c, c0)
	} else {
		clear(l.c)
	}
	if cell.Conv.Bias != nil {
		l.bias = cell.Conv.Bias.Data
	}
	if cell.WCi != nil {
		l.wci, l.wcf, l.wco = cell.WCi.Data, cell.WCf.Data, cell.WCo.Data
	}
	m, khw := 4*hid, kh*kw
	ktot := (cin + hid) * khw
	mpad := (m + kernel.MR - 1) / kernel.MR * kernel.MR
	ws.wx = grow(ws.wx, mpad*cin*khw)
	ws.wh = grow(ws.wh, mpad*hid*khw)
	l.taps = hid >= tapsMinCin
	l.wino = !ws.direct && l.taps && winoEligible(kh, kw, h, w, cin+hid, 4*hid, cell.Conv.Weight.Data, l.bias, l.wci, l.wcf, l.wco, x, h0, c0)
	if l.wino {
		ws.wx = grow(ws.wx, (kh+1)*(kh+1)*mpad*(cin+hid))
		l.wc = l.newWinoConv(ws.wx, cell.Conv.Weight.Data)
		// Three vectors of 2 rows of 2*WinoLanes pixels per gate row,
		// and an odd number of 64-byte lines between rows.
		l.gs = winoVecs*4*kernel.WinoLanes + 16
	} else if l.taps {
		ws.wx = grow(ws.wx, mpad*ktot)
		l.tc = l.newTapsConv(ws.wx, cell.Conv.Weight.Data, m, ktot, 0, cin+hid, b, runtime.GOMAXPROCS(0))
		// Whole strips per gate row, and an odd number of 64-byte
		// lines between rows.
		l.gs = (l.tc.bandRows*l.wp + kernel.NR - 1) / kernel.NR * kernel.NR
		if (l.gs/16)%2 == 0 {
			l.gs += 16
		}
		l.biasPad = grow(l.biasPad, mpad)
		clear(l.biasPad)
		copy(l.biasPad, l.bias)
	} else {
		l.gs = hw
		ws.gx = grow(ws.gx, b*t*m*hw)
		l.gx = ws.gx
		l.wx = packWeights(ws.wx, cell.Conv.Weight.Data, m, ktot, 0, cin*khw)
		l.wh = packWeights(ws.wh, cell.Conv.Weight.Data, m, ktot, cin*khw, hid*khw)
		for o := 0; o < m && l.zeroH == nil; o++ {
			for _, v := range cell.Conv.Weight.Data[o*ktot+cin*khw : (o+1)*ktot] {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					l.zeroH = grow(old.zeroH, hid*hw)
					clear(l.zeroH)
					break
				}
			}
		}
	}
	switch {
	case !trace:
	case len(old.steps) == t && old.steps[0].I.Numel() == b*hid*hw && [4]int(old.steps[0].I.Shape) == [4]int{b, hid, h, w}:
		l.steps = old.steps // the trace of the last call, overwritten
	default:
		l.steps = traceSteps(t, b, hid, h, w)
	}
	return l
}

// runInput runs the input phase: the gate pre-activations of all frames.
func (l *fastLayer) runInput(p *fastPool) {
	if l.taps { // done within the time steps
		return
	}
	p.run(l, -1, l.b*l.t*l.ntiles)
}

// runStep runs time step t of every batch item.
func (l *fastLayer) runStep(p *fastPool, t int) {
	if l.wino {
		p.run(l, t, l.wc.jobs)
		return
	}
	if l.taps {
		p.run(l, t, l.b*l.tc.bands)
		return
	}
	p.run(l, t, l.b*l.ntiles)
}

// traceSteps returns new tensors for the T steps of a traced layer, each
// (b, hid, h, w).
func traceSteps(t, b, hid, h, w int) []convlstm.Step {
	steps := make([]convlstm.Step, t)
	for i := range steps {
		steps[i] = convlstm.Step{I: convlstm.Zeros(b, hid, h, w), F: convlstm.Zeros(b, hid, h, w), O: convlstm.Zeros(b, hid, h, w),
			G: convlstm.Zeros(b, hid, h, w), C: convlstm.Zeros(b, hid, h, w), H: convlstm.Zeros(b, hid, h, w)}
	}
	return steps
}
