package fast

import "example.com/convlstm/convlstm/internal/kernel"

// The conv by kernel taps, for convs with many input channels.
//
// With im2col, every input value is copied kh*kw times into the packed B
// strips, and for a layer like cin = 64 -> 4*hid = 64 rows that copying
// costs a good share of the product itself. Instead, the conv is a sum over
// the kh*kw taps (dy, dx) of 1x1 convs of the shifted input:
//
//	gates[:, y, x] = bias + sum_{dy,dx} W[:, :, dy, dx] . x[:, y+dy-ph, x+dx-pw]
//
// If the input is stored zero-padded, one plane per channel with rows of
// wp = W+pw values (pw = kw/2 zeros, then the W pixels; the zeros are the
// left padding of their row and the right padding of the row above, and
// kh-1 rows of zeros pad the top and bottom), the pixel (y, x) of tap
// (dy, dx) sits at the fixed offset dy*wp+dx from the padded pixel (y, x),
// which is at y*wp+x: the B operand of every tap
// is the padded input itself, read in place with row stride (channel
// stride) ldb, and a strip of 48 consecutive padded pixels is 48
// consecutive values. The micro-kernel (tapsKernel) sums over all taps and
// channels in registers; the columns of the padded grid that fall in the
// padding (x >= W, 1 of 65 for W = 64, 3x3) are computed and dropped.
//
// On this path the input product is not hoisted out of the time loop: with
// no packing to amortise, it is as fast band by band, and the gates then
// never leave the cache. A job of time step t is one batch item and a band
// of output rows: it copies the band's rows of x[b, t] (plus the kh-1 halo
// rows) into the worker's padded buffer and runs the 8 x 48 tiles over it
// (and of h[b, t-1]: the padded band holds cat[x, h], and one product
// over all cin+hid channels and taps gives bias + Wx * x + Wh * h) into the
// worker's gate buffer (padded layout, row stride gs), then runs the
// epilogue on the band. Layers take this path when hid is at least
// tapsMinCin.

// tapsMinCin is the smallest hidden size whose layers take the taps path:
// below it the kernel's depth per tap is too short to pay for the tile's
// load and store, and im2col's copies are cheap. It is a test hook, like
// kernel.Use and kernel.SetWinoPolicy: only tests change it (convModes
// force every layer onto one path), never while a forward runs, and no
// non-test code writes it.
var tapsMinCin = 16

// tapsBufBytes bounds a worker's padded band and the band's gates
// together, to keep them in L2.
const tapsBufBytes = 640 << 10

// tapsConv is one conv of a layer on the taps path: its packed weight and
// its banding of the frame.
type tapsConv struct {
	cin      int       // channels of the conv's input
	w        []float32 // weights, tap-major (see packTaps)
	ldb      int       // channel stride of the padded band
	bandRows int       // output rows per job
	bands    int       // jobs per frame
}

// setupTaps sets the geometry shared by the layer's taps convs (padded
// row width, tap offsets).
func (l *fastLayer) setupTaps() {
	// One gap of pw zeros before each row: the taps that fall off the
	// right end of a row read the next row's gap.
	l.wp = l.w + l.kw/2
	if cap(l.offs) < l.kh*l.kw {
		l.offs = make([]int, l.kh*l.kw)
	}
	l.offs = l.offs[:l.kh*l.kw]
	for dy := 0; dy < l.kh; dy++ {
		for dx := 0; dx < l.kw; dx++ {
			l.offs[dy*l.kw+dx] = dy*l.wp + dx
		}
	}
}

// newTapsConv prepares the conv of columns [k0, k0+cin*kh*kw) of the layer's
// weight (m x ktot) for nframes frames cut into bands of rows (see
// tapsBandRows), over nw workers.
func (l *fastLayer) newTapsConv(dst, w []float32, m, ktot, k0, cin, nframes, nw int) tapsConv {
	l.setupTaps()
	ntap := l.kh * l.kw
	tc := tapsConv{cin: cin}
	tc.bandRows = l.tapsBandRows(cin, nframes, nw)
	tc.bands = (l.h + tc.bandRows - 1) / tc.bandRows
	tc.ldb = l.tapsLdb(tc.bandRows)
	tc.w = packTaps(dst, w, m, ktot, k0, cin, ntap)
	return tc
}

// tapsLdb is the channel stride of a padded band of rows output rows: room
// for the last strip read past the band at the largest offset, and an odd
// number of 64-byte lines between channels, which spreads the rows of B
// over the L1 sets.
func (l *fastLayer) tapsLdb(rows int) int {
	strips := (rows*l.wp + kernel.NR - 1) / kernel.NR
	ldb := strips*kernel.NR + l.offs[len(l.offs)-1]
	ldb = (ldb + 15) &^ 15
	if (ldb/16)%2 == 0 {
		ldb += 16
	}
	return ldb
}

// tapsBandRows picks the rows per band, the bands as even as the height
// allows: the one that computes the fewest padded columns (whole strips of
// NR per band), counting the idle workers of the last round of jobs, among
// the bands whose padded buffer and gates fit tapsBufBytes and that give
// every worker at least two jobs; ties go to the taller band (fewer halo
// rows).
func (l *fastLayer) tapsBandRows(cin, nframes, nw int) int {
	mpad := (4*l.hid + kernel.MR - 1) / kernel.MR * kernel.MR
	best, bestCost := 0, 0.0
	for bands := 1; bands <= l.h; bands++ {
		r := (l.h + bands - 1) / bands
		if (l.h+r-1)/r != bands {
			continue // the same r as fewer bands
		}
		jobs := nframes * bands
		gs := (r*l.wp + kernel.NR - 1) / kernel.NR * kernel.NR
		if r > 1 && (4*(cin*l.tapsLdb(r)+mpad*gs) > tapsBufBytes || jobs < 2*nw) {
			continue
		}
		cols := 0
		for y0 := 0; y0 < l.h; y0 += r {
			nr := min(r, l.h-y0)
			cols += (nr*l.wp + kernel.NR - 1) / kernel.NR * kernel.NR
		}
		rounds := (jobs + nw - 1) / nw
		cost := float64(cols) * float64(rounds*nw) / float64(jobs)
		if best == 0 || cost < bestCost*0.999 {
			best, bestCost = r, cost
		}
	}
	return max(best, 1)
}

// packTaps packs columns [k0, k0+cin*ntap) of the m x ktot weight w (column
// k0 + c*ntap + t is channel c, tap t) tap-major into MR-row panels: panel
// ip holds W[ip+i, c, t] at [ip*ntap*cin + (t*cin+c)*MR + i], zero past m.
func packTaps(dst, w []float32, m, ktot, k0, cin, ntap int) []float32 {
	mpad := (m + kernel.MR - 1) / kernel.MR * kernel.MR
	pk := dst[:mpad*cin*ntap]
	for ip := 0; ip < mpad; ip += kernel.MR {
		panel := pk[ip*ntap*cin : (ip+kernel.MR)*ntap*cin]
		for i := 0; i < kernel.MR; i++ {
			o := ip + i
			for t := 0; t < ntap; t++ {
				for c := 0; c < cin; c++ {
					v := float32(0)
					if o < m {
						v = w[o*ktot+k0+c*ntap+t]
					}
					panel[(t*cin+c)*kernel.MR+i] = v
				}
			}
		}
	}
	return pk
}

// tapsBand computes bias + the conv of cat[x, h] (cin and hid planes of
// H x W; h nil for zeros) over output rows [y0, y0+nr) into g, the band's
// gate rows (mpad rows of stride l.gs, band pixel (y-y0, x) at
// (y-y0)*wp+x).
func (l *fastLayer) tapsBand(x, hPrev, g []float32, y0, nr int, s *fastScratch) {
	tc := &l.tc
	cin, h, w, wp, hw, gs, ldb := tc.cin, l.h, l.w, l.wp, l.hw, l.gs, tc.ldb
	ph, pw := l.kh/2, l.kw/2
	m := 4 * l.hid
	ntap := l.kh * l.kw
	buf := grow(s.pad, cin*ldb)
	s.pad = buf
	prows := nr + l.kh - 1
	for c := 0; c < cin; c++ {
		plane := buf[c*ldb : (c+1)*ldb]
		var sp []float32
		if c < l.cin {
			sp = x[c*hw : (c+1)*hw]
		} else if hPrev != nil {
			sp = hPrev[(c-l.cin)*hw : (c-l.cin+1)*hw]
		} else {
			clear(plane)
			continue
		}
		for r := 0; r < prows; r++ {
			d := plane[r*wp : (r+1)*wp]
			iy := y0 - ph + r
			if iy < 0 || iy >= h {
				clear(d)
				continue
			}
			clear(d[:pw])
			copy(d[pw:pw+w], sp[iy*w:iy*w+w])
			clear(d[pw+w:])
		}
		clear(plane[prows*wp:])
	}
	nq := nr * wp // padded pixels of the band
	// g has whole MR panels of rows and whole NR strips of columns:
	// every tile goes straight into it.
	for q0 := 0; q0 < nq; q0 += kernel.NR {
		bs := buf[q0:]
		for ip := 0; ip < m; ip += kernel.MR {
			kernel.TapsTile(ntap, cin, tc.w[ip*ntap*cin:], bs, g[ip*gs+q0:], ldb, l.offs, gs, l.biasPad[ip:])
		}
	}
}
