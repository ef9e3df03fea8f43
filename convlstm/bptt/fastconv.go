package bptt

import (
	"math"
	"runtime"

	"example.com/convlstm/convlstm/internal/kernel"
)

// The two products of the fast backward, on padded planes (padGeom).
//
// A layer's conv over cat[x, h] has the weight W (4*hid, (in+hid)*kh*kw),
// its columns the input channels times the taps. Given dZ, the gradient of
// the gate pre-activations (4*hid planes), the backward needs
//
//	dx[c, p] = sum_{o, tap} W[o, c, tap] * dZ[o, p - off(tap)]    (convT)
//	dW[o, c, tap] = sum_p dZ[o, p] * x[c, p + off(tap)]            (dwDots)
//
// the first a conv of dZ with the transposed, flipped kernel (the gradient
// of the layer input, and of h_{t-1}), the second the weight gradient.
// On padded planes a tap is a fixed offset, so both run straight over the
// planes: convT with the forward's taps micro-kernel (kernel.TapsTile),
// dwDots with the dot-product tile (kernel.DotTile).
//
// reference: conv2dBackwardNaive (conv.go), the same sums one pixel at a time.

// convT is the conv of dZ with the transposed kernel of one block of a
// layer's weight columns (cout input channels).
type convT struct {
	g        padGeom
	m, ntap  int
	kh, kw   int
	pk       []float32 // packed weights: panel jb, tap t, row o at ((jb*ntap+t)*m+o)*MR
	panels   int       // ceil(cout / MR)
	strips   int       // strips of kernel.NR outputs per frame
	cout     int
	offs     []int // per tap, the offset of its dZ pixel, plus omax
	omax     int   // the largest distance of a tap
	wt       []float32
	ktot, k0 int
	finite   bool // the packed weights are all finite
	bias     [kernel.MR]float32
	wino     *winoT // the Winograd plan (wino.go), nil when it takes none
	winoMem  *winoT // the plan's memory, kept when this run takes none

	// The arguments of the run in progress (convT is the job its
	// workers split).
	out, dz  []float32
	ldo, ldz int
	g0, f0   int
}

// init packs the weight columns [k0, k0+cout*kh*kw) of the m x ktot
// weight wt (column k0 + c*kh*kw + tap is input channel c) into the taps
// micro-kernel's panels, reusing ct's buffers when they have room, and
// sets up its Winograd plan unless direct.
func (ct *convT) init(g padGeom, wt []float32, m, ktot, k0, cout, kh, kw int, direct bool) {
	ntap := kh * kw
	pk, offs, winoMem := ct.pk, ct.offs, ct.winoMem
	*ct = convT{g: g, m: m, ntap: ntap, kh: kh, kw: kw, cout: cout, wt: wt, ktot: ktot, k0: k0, finite: true,
		panels: (cout + kernel.MR - 1) / kernel.MR, omax: (kh/2)*g.wp + kw/2,
		strips: (g.h*g.wp + kernel.NR - 1) / kernel.NR, winoMem: winoMem}
	ct.pk = grow(pk, ct.panels*ntap*m*kernel.MR)
	for jb := 0; jb < ct.panels; jb++ {
		for t := 0; t < ntap; t++ {
			for o := 0; o < m; o++ {
				d := ct.pk[((jb*ntap+t)*m+o)*kernel.MR:][:kernel.MR]
				for i := range d {
					c := jb*kernel.MR + i
					if c >= cout {
						d[i] = 0
						continue
					}
					v := wt[o*ktot+k0+c*ntap+t]
					d[i] = v
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						ct.finite = false
					}
				}
			}
		}
	}
	if cap(offs) < ntap {
		offs = make([]int, ntap)
	}
	ct.offs = offs[:ntap]
	for dy := 0; dy < kh; dy++ {
		for dx := 0; dx < kw; dx++ {
			// dx[p] reads dZ[p - off(tap)].
			ct.offs[dy*kw+dx] = ct.omax - g.tapOffset(kh, kw, dy, dx)
		}
	}
	if !direct {
		ct.initWino()
	}
}

// run computes the output planes out (ceil(cout/MR)*MR channels of stride
// ldo) of frames [g0, g0+nf) from dZ's frames [f0, f0+nf) (m planes of
// stride ldz), on the cores of c. Every output strip is set, not added
// to; the positions outside the frames' pixels get values no one reads.
func (ct *convT) run(c *call, out []float32, ldo, g0 int, dz []float32, ldz, f0, nf int) {
	ct.out, ct.ldo, ct.g0, ct.dz, ct.ldz, ct.f0 = out, ldo, g0, dz, ldz, f0
	if wt := ct.wino; wt != nil && wt.takes(dz, ldz, f0, nf) {
		wt.nvec = nf * wt.th * wt.tv
		c.Run((wt.nvec+winoVecs-1)/winoVecs, wt)
		return
	}
	c.Run(nf*ct.strips, ct)
	if !ct.finite {
		ct.fixBorder(out, ldo, g0, dz, ldz, f0, nf)
	}
}

// Do runs the jobs [lo, hi) of run: job f*strips+s is strip s of frame f,
// all the output channels.
func (ct *convT) Do(lo, hi int) {
	g := ct.g
	for job := lo; job < hi; job++ {
		f, s := job/ct.strips, job%ct.strips
		q := g.frame(ct.f0+f) + s*kernel.NR // first dZ position of the strip
		qo := g.frame(ct.g0+f) + s*kernel.NR
		b := ct.dz[q-ct.omax:]
		for jb := 0; jb < ct.panels; jb++ {
			kernel.TapsTile(ct.ntap, ct.m, ct.pk[jb*ct.ntap*ct.m*kernel.MR:], b, ct.out[jb*kernel.MR*ct.ldo+qo:], ct.ldz, ct.offs, ct.ldo, ct.bias[:])
		}
	}
}

// fixBorder recomputes the pixels near the frame's edges when the weights
// hold an Inf or a NaN. On the padded planes their taps that fall in the
// padding multiply a zero of dZ by the weight, and Inf * 0 = NaN; PyTorch's
// backward (col2im) has no such product, so here each edge pixel sums over
// its taps inside the frame only.
func (ct *convT) fixBorder(out []float32, ldo, g0 int, dz []float32, ldz, f0, nf int) {
	g := ct.g
	ph, pw := ct.kh/2, ct.kw/2
	parallel(ct.cout, func(c0, c1 int) {
		for c := c0; c < c1; c++ {
			for f := 0; f < nf; f++ {
				for y := 0; y < g.h; y++ {
					for x := 0; x < g.w; x++ {
						if y >= ph && y < g.h-ph && x >= pw && x < g.w-pw {
							continue
						}
						var s float32
						for o := 0; o < ct.m; o++ {
							for dy := 0; dy < ct.kh; dy++ {
								for dx := 0; dx < ct.kw; dx++ {
									yy, xx := y-dy+ph, x-dx+pw
									if yy < 0 || yy >= g.h || xx < 0 || xx >= g.w {
										continue
									}
									s += ct.wt[o*ct.ktot+ct.k0+(c*ct.kh+dy)*ct.kw+dx] * dz[o*ldz+g.at(f0+f, yy)+xx]
								}
							}
						}
						out[c*ldo+g.at(g0+f, y)+x] = s
					}
				}
			}
		}
	})
}

// dotChunk is about the number of plane positions one DotTile covers in
// dwDots: enough to make the tile's fixed costs (its call, the sums of
// its vector lanes) small.
const dotChunk = 8192

// dwJob (dwDots) adds to the weight gradient dw (m x ktot) the columns [k0,
// k0+cin*kh*kw): the products of dZ (m planes of stride ldz, frames [0, nf))
// with the taps of x (cin planes of stride ldx, dZ's frame f against x's
// frame f + xf0).
//
// When x is finite it sums over each frame's rows, gaps included: dZ is 0
// there, and 0 * (a finite x) adds exactly nothing. Otherwise (0 * Inf =
// NaN where PyTorch has no product) it sums over the pixels of each row
// only. rowFinite[o] tells whether dZ row o is finite (nil: all are): a
// block of rows holding an Inf or a NaN takes exactTile, which leaves out
// the taps that fall in the padding, as PyTorch does for a batch of two or
// more (oneDNN; testdata/README.md), where the planes would give
// Inf * 0 = NaN.
//
// It is a job over the blocks of DotMR rows, with its memory
// (a tape keeps one, so that a Trainer's step allocates nothing).
type dwJob struct {
	dw, dz, x             []float32
	ktot, k0, ldz, m      int
	ldx, xf0, cin, kh, kw int
	g                     padGeom
	nf                    int
	finite                bool
	rowFinite             []bool
	ncol                  int
	colOff                []int // column c*ntap+tap: its x offset
	tiles                 chan *dotScratch
	c                     call
}

// dotScratch is one part's tile offsets and sums (on the heap: DotTile is
// a function variable, so they would escape anyway).
type dotScratch struct {
	boffs [kernel.DotNR]int
	out   [kernel.DotMR * kernel.DotNR]float32
}

func (j *dwJob) run(dw []float32, ktot, k0 int, dz []float32, ldz, m int, x []float32, ldx, xf0, cin, kh, kw int, g padGeom, nf int, finite bool, rowFinite []bool) {
	ntap := kh * kw
	j.dw, j.ktot, j.k0, j.dz, j.ldz, j.m, j.x, j.ldx, j.xf0 = dw, ktot, k0, dz, ldz, m, x, ldx, xf0
	j.cin, j.kh, j.kw, j.g, j.nf, j.finite, j.rowFinite = cin, kh, kw, g, nf, finite, rowFinite
	j.ncol = cin * ntap
	if cap(j.colOff) < j.ncol {
		j.colOff = make([]int, j.ncol)
	}
	j.colOff = j.colOff[:j.ncol]
	for c := 0; c < cin; c++ {
		for dy := 0; dy < kh; dy++ {
			for dx := 0; dx < kw; dx++ {
				j.colOff[c*ntap+dy*kw+dx] = c*ldx + xf0*g.fs + g.tapOffset(kh, kw, dy, dx)
			}
		}
	}
	if j.tiles == nil {
		n := runtime.GOMAXPROCS(0)
		j.tiles = make(chan *dotScratch, n)
		for i := 0; i < n; i++ {
			j.tiles <- new(dotScratch)
		}
	}
	j.c.Run(m/kernel.DotMR, j) // m = 4*hid
	j.dw, j.dz, j.x, j.rowFinite = nil, nil, nil, nil
}

// tile runs one DotTile of row block ob and the columns from col, at plane
// position k, and adds it into dw.
func (j *dwJob) tile(ob, col, k, nseg, n, stride int, s *dotScratch) {
	nc := min(kernel.DotNR, j.ncol-col)
	for i := range s.boffs {
		s.boffs[i] = j.colOff[col+min(i, nc-1)] + k
	}
	kernel.DotTile(nseg, n, stride, j.dz[ob*kernel.DotMR*j.ldz+k:], j.ldz, j.x, &s.boffs, &s.out)
	for i := 0; i < kernel.DotMR; i++ {
		row := j.dw[(ob*kernel.DotMR+i)*j.ktot+j.k0+col:]
		for c := 0; c < nc; c++ {
			row[c] += s.out[i*kernel.DotNR+c]
		}
	}
}

// blockFinite reports whether the dZ rows of block ob are all finite.
func (j *dwJob) blockFinite(ob int) bool {
	for i := ob * kernel.DotMR; j.rowFinite != nil && i < (ob+1)*kernel.DotMR; i++ {
		if !j.rowFinite[i] {
			return false
		}
	}
	return true
}

// Do runs the row blocks [ob0, ob1).
func (j *dwJob) Do(ob0, ob1 int) {
	g := j.g
	for ob := ob0; ob < ob1; ob++ {
		if !j.blockFinite(ob) {
			for o := ob * kernel.DotMR; o < (ob+1)*kernel.DotMR; o++ {
				exactRow(j.dw[o*j.ktot+j.k0:][:j.ncol], j.dz[o*j.ldz:], j.x, j.ldx, j.xf0, j.cin, j.kh, j.kw, g, j.nf)
			}
		}
	}
	s := <-j.tiles
	defer func() { j.tiles <- s }()
	if j.finite {
		// Each frame's rows as one segment of whole vectors (it stays
		// inside the frame: fs is a whole number of strips), cut into
		// pieces, and as many frames per tile as make about dotChunk
		// values.
		n := (g.h*g.wp + 15) &^ 15
		pieces := (n + dotChunk - 1) / dotChunk
		pl := ((n+pieces-1)/pieces + 15) &^ 15
		fpc := max(1, (dotChunk+pl/2)/pl)
		for f0 := 0; f0 < j.nf; f0 += fpc {
			for p0 := 0; p0 < n; p0 += pl {
				for ob := ob0; ob < ob1; ob++ {
					for col := 0; col < j.ncol && j.blockFinite(ob); col += kernel.DotNR {
						j.tile(ob, col, g.frame(f0)+p0, min(fpc, j.nf-f0), min(pl, n-p0), g.fs, s)
					}
				}
			}
		}
		return
	}
	for f := 0; f < j.nf; f++ {
		for ob := ob0; ob < ob1; ob++ {
			for col := 0; col < j.ncol && j.blockFinite(ob); col += kernel.DotNR {
				j.tile(ob, col, g.at(f, 0), g.h, g.w, g.wp, s)
			}
		}
	}
}

// exactRow adds to dwRow (the cin*kh*kw columns of one gate row) the
// products of that row of dZ (dzRow, a plane) with the taps of x that fall
// inside the frame, one pixel at a time: the slow path of dwDots for a row
// that holds an Inf or a NaN.
//
// reference: conv2dBackwardNaive (conv.go), whose dweight loop this is.
func exactRow(dwRow, dzRow, x []float32, ldx, xf0, cin, kh, kw int, g padGeom, nf int) {
	ph, pw := kh/2, kw/2
	for c := 0; c < cin; c++ {
		for dy := 0; dy < kh; dy++ {
			for dx := 0; dx < kw; dx++ {
				var s float32
				for f := 0; f < nf; f++ {
					for y := 0; y < g.h; y++ {
						iy := y + dy - ph
						if iy < 0 || iy >= g.h {
							continue
						}
						drow := dzRow[g.at(f, y):][:g.w]
						xrow := x[c*ldx+g.at(f+xf0, iy):][:g.w]
						for xo, d := range drow {
							if ix := xo + dx - pw; ix >= 0 && ix < g.w {
								s += d * xrow[ix]
							}
						}
					}
				}
				dwRow[(c*kh+dy)*kw+dx] += s
			}
		}
	}
}

// rowSum (rowSums) sums the first rows planes of dZ (stride ld), in
// float64 (the padding holds zeros), and tells which rows are finite (nil
// when all are: a row that holds an Inf or a NaN has a sum that is not
// finite). It is a job over the rows, with its memory (the sums and the
// finite flags are the job's, overwritten by its next run).
type rowSum struct {
	dz        []float32
	ld        int
	sums      []float64
	rowFinite []bool
	c         call
}

func (j *rowSum) run(dz []float32, ld, rows int) (sums []float64, rowFinite []bool) {
	j.dz, j.ld = dz, ld
	if cap(j.sums) < rows {
		j.sums, j.rowFinite = make([]float64, rows), make([]bool, rows)
	}
	j.sums, j.rowFinite = j.sums[:rows], j.rowFinite[:rows]
	j.c.Run(rows, j)
	j.dz = nil
	for r, v := range j.sums {
		j.rowFinite[r] = !math.IsNaN(v) && !math.IsInf(v, 0)
		if !j.rowFinite[r] {
			rowFinite = j.rowFinite
		}
	}
	return j.sums, rowFinite
}

// Do sums the rows [r0, r1).
func (j *rowSum) Do(r0, r1 int) {
	for r := r0; r < r1; r++ {
		// Four running sums, for four chains of additions at once.
		var s0, s1, s2, s3 float64
		row := j.dz[r*j.ld : (r+1)*j.ld]
		k := 0
		for ; k+4 <= len(row); k += 4 {
			s0 += float64(row[k])
			s1 += float64(row[k+1])
			s2 += float64(row[k+2])
			s3 += float64(row[k+3])
		}
		for ; k < len(row); k++ {
			s0 += float64(row[k])
		}
		j.sums[r] = (s0 + s1) + (s2 + s3)
	}
}
