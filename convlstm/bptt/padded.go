package bptt

import (
	"sync/atomic"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// padGeom is the layout of the fast backward's feature maps. Each channel of
// a sequence of frames is one plane: a lead of ph+1 rows of zeros, then
// the frames one after the other, each row preceded by pw zeros (its gap)
// and each frame followed by at least ph rows of zeros:
//
//	plane[lead + f*fs + y*wp + pw + x] = map[f, y, x]     wp = W+pw, fs >= (H+ph)*wp
//
// A kernel tap (dy, dx) of a layer with kernel (kh, kw) then reads the pixel
// at the fixed distance (dy-kh/2)*wp + (dx-kw/2): a row that runs off the
// right end reads the next row's gap, one that runs off the top or the
// bottom reads the zero rows, so every tap of every pixel is one shifted
// view of the whole plane, and a conv over it needs no im2col. ph and pw are
// the largest kh/2 and kw/2 of the model's layers, so one geometry serves
// every layer.
type padGeom struct {
	h, w, ph, pw, wp, fs, lead int
}

func newPadGeom(m *convlstm.ConvLSTM, h, w int) padGeom {
	ph, pw := 0, 0
	for _, c := range m.CellList {
		ph, pw = max(ph, c.KernelSize[0]/2), max(pw, c.KernelSize[1]/2)
	}
	wp := w + pw
	// A frame takes at least its whole strips of kernel.NR outputs (see
	// convT.run), so that the last one never writes into the next frame.
	fs := max((h+ph)*wp, (h*wp+kernel.NR-1)/kernel.NR*kernel.NR)
	return padGeom{h: h, w: w, ph: ph, pw: pw, wp: wp, fs: fs, lead: (ph + 1) * wp}
}

// frame is the index of the first row (at its gap) of frame f.
func (g padGeom) frame(f int) int { return g.lead + f*g.fs }

// at is the index of pixel (y, 0) of frame f.
func (g padGeom) at(f, y int) int { return g.lead + f*g.fs + y*g.wp + g.pw }

// plane is the channel stride of nf frames: the frames, the zeros before
// and after them, and room for the kernels' reads past the last one (a
// strip of kernel.NR outputs, a vector of 16, the farthest tap). It is a
// whole, odd number of 64-byte lines, so that the channels do not all fall
// in the same cache sets.
func (g padGeom) plane(nf int) int {
	n := g.lead + nf*g.fs + g.lead + 2*kernel.NR + 16
	n = (n + 15) &^ 15
	if (n/16)%2 == 0 {
		n += 16
	}
	return n
}

// tapOffset is the distance from an output pixel to the input pixel of tap
// (dy, dx) of a kh x kw kernel.
func (g padGeom) tapOffset(kh, kw, dy, dx int) int { return (dy-kh/2)*g.wp + (dx - kw/2) }

// frames says where frame (t, b) of a sequence is, C planes of H*W: in the
// data of a (B, T, C, H, W) tensor, or (T, B, C, H, W) when timeMajor, or,
// when steps is set, batch item b of steps[t].H (the trace's h).
type frames struct {
	data      []float32
	steps     []convlstm.Step
	B, T, n   int // n = C*H*W
	timeMajor bool
}

// seqFrames is the frames of the data of a (B, T, C, H, W) tensor, or
// (T, B, C, H, W) when timeMajor.
func seqFrames(data []float32, B, T, C int, timeMajor bool, g padGeom) frames {
	return frames{data: data, B: B, T: T, n: C * g.h * g.w, timeMajor: timeMajor}
}

func (s *frames) at(t, b int) []float32 {
	switch {
	case s.steps != nil:
		return s.steps[t].H.Data[b*s.n:][:s.n]
	case s.timeMajor:
		return s.data[(t*s.B+b)*s.n:][:s.n]
	}
	return s.data[(b*s.T+t)*s.n:][:s.n]
}

// padCopy copies frames between a sequence and planes (channel stride ld),
// frame (t, b) to frame f0+t*B+b of the planes, or back when unpad; a
// job over the C channels. A tape keeps one, so that a Trainer's copies
// allocate nothing.
type padCopy struct {
	planes  []float32
	ld, f0  int
	fr      frames
	B, T, C int
	g       padGeom
	unpad   bool
	bad     atomic.Bool // set by a part that copied an Inf or a NaN
	c       call
}

// Do copies the channels [c0, c1).
func (j *padCopy) Do(c0, c1 int) {
	g, hw := j.g, j.g.h*j.g.w
	var nf float32 // NaN once a value is not finite (x*0 is NaN for NaN and Inf)
	for c := c0; c < c1; c++ {
		for t := 0; t < j.T; t++ {
			for b := 0; b < j.B; b++ {
				img := j.fr.at(t, b)[c*hw:][:hw]
				for y := 0; y < g.h; y++ {
					row, p := img[y*g.w:(y+1)*g.w], j.planes[c*j.ld+g.at(j.f0+t*j.B+b, y):][:g.w]
					if j.unpad {
						copy(row, p)
						continue
					}
					copy(p, row)
					for _, v := range row {
						nf += v * 0
					}
				}
			}
		}
	}
	if nf != 0 {
		j.bad.Store(true)
	}
}

// run runs the copy on all cores and reports whether every value copied
// into planes is finite.
func (j *padCopy) run(planes []float32, ld, f0 int, fr frames, B, T, C int, g padGeom, unpad bool) bool {
	j.planes, j.ld, j.f0, j.fr, j.B, j.T, j.C, j.g, j.unpad = planes, ld, f0, fr, B, T, C, g, unpad
	j.bad.Store(false)
	j.c.Run(C, j)
	j.planes, j.fr = nil, frames{}
	return !j.bad.Load()
}

// planes returns b resized to c planes of nf frames (channel stride ld),
// its memory reused when it has room, with everything but the pixels
// zeroed: the lead, the gaps, the rows between frames and the tail, which
// the kernels read as padding. The pixels are left for the caller to
// write.
func planes(b []float32, c, ld, nf int, g padGeom) []float32 {
	b = grow(b, c*ld)
	parallel(c, func(c0, c1 int) {
		for ch := c0; ch < c1; ch++ {
			p := b[ch*ld : (ch+1)*ld]
			pos := 0
			for f := 0; f < nf; f++ {
				for y := 0; y < g.h; y++ {
					start := g.at(f, y)
					clear(p[pos:start])
					pos = start + g.w
				}
			}
			clear(p[pos:])
		}
	})
	return b
}
