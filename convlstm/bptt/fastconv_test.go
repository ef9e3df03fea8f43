package bptt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// TestPaddedConvBackward checks the fast backward's two products on padded
// planes, convT (dL/dx) and dwDots (dL/dweight), against the readable
// Conv2dBackward, at every kernel level, including where the padded planes
// take another route: an Inf or NaN in the weight (convT recomputes the
// edge pixels, whose taps in the padding would give Inf * 0 = NaN where
// PyTorch's col2im has no product), in x (dwDots then sums over the
// pixels only) and in the gradient at edge pixels (dwDots then leaves the
// taps in the padding out, as the readable one and PyTorch with a batch of
// two or more do). Same comparison as TestFastBackwardVsReadable.
func TestPaddedConvBackward(t *testing.T) {
	for ci, c := range []struct {
		B, cin, m, h, w, kh, kw int
		spoilW, spoilX, spoilG  float64
	}{
		{2, 3, 8, 5, 7, 3, 3, 0, 0, 0},
		{1, 2, 12, 6, 16, 5, 3, 0, 0, 0},
		{2, 3, 8, 5, 7, 3, 3, math.Inf(1), 0, 0},
		{1, 2, 4, 4, 16, 3, 5, math.NaN(), 0, 0},
		{2, 2, 8, 6, 9, 3, 3, 0, math.Inf(-1), 0},
		{1, 1, 4, 3, 16, 3, 3, 0, math.NaN(), 0},
		{2, 2, 8, 5, 7, 3, 5, 0, 0, math.Inf(1)},
		{2, 3, 4, 4, 16, 5, 3, 0, 0, math.NaN()},
	} {
		t.Run(fmt.Sprintf("%d_%dx%d_k%dx%d_w%v_x%v", ci, c.h, c.w, c.kh, c.kw, c.spoilW, c.spoilX), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 3))
			ntap := c.kh * c.kw
			rnd := func(shape ...int) *convlstm.Tensor {
				x := convlstm.Zeros(shape...)
				for i := range x.Data {
					x.Data[i] = rng.Float32()*2 - 1
				}
				return x
			}
			gout, x, wt := rnd(c.B, c.m, c.h, c.w), rnd(c.B, c.cin, c.h, c.w), rnd(c.m, c.cin, c.kh, c.kw)
			if c.spoilW != 0 || math.IsNaN(c.spoilW) {
				wt.Data[ntap+ntap-1] = float32(c.spoilW) // gate row 0, channel 1, the last tap
			}
			if c.spoilX != 0 || math.IsNaN(c.spoilX) {
				x.Data[len(x.Data)/2] = float32(c.spoilX)
			}
			if c.spoilG != 0 || math.IsNaN(c.spoilG) {
				gout.Data[0] = float32(c.spoilG)                 // item 0, gate row 0, the corner pixel
				gout.Data[(c.m+1)*c.h*c.w-1] = float32(c.spoilG) // item 1, gate row 0, the last pixel
			}
			wantDx, wantDw, _, err := Conv2dBackward(gout, x, wt, false)
			if err != nil {
				t.Fatal(err)
			}
			m := &convlstm.ConvLSTM{CellList: []*convlstm.Cell{{KernelSize: [2]int{c.kh, c.kw}}}}
			g := newPadGeom(m, c.h, c.w)
			ld := g.plane(c.B)
			dz := make([]float32, c.m*ld)
			padFrames(dz, ld, 0, seqFrames(gout.Data, c.B, 1, c.m, false, g), c.B, 1, c.m, g)
			xp := make([]float32, c.cin*ld)
			_, rowFinite := rowSums(dz, ld, c.m)
			finite := padFrames(xp, ld, 0, seqFrames(x.Data, c.B, 1, c.cin, false, g), c.B, 1, c.cin, g)
			for _, l := range kernel.Levels() {
				t.Run(l.String(), func(t *testing.T) {
					t.Cleanup(kernel.Use(l))
					ct := newConvT(g, wt.Data, c.m, c.cin*ntap, 0, c.cin, c.kh, c.kw)
					dxp := make([]float32, ct.panels*kernel.MR*ld)
					ct.run(&call{}, dxp, ld, 0, dz, ld, 0, c.B)
					dx := unpadFrames(dxp, ld, c.B, 1, c.cin, false, g)
					compareGrad(t, "dx", &convlstm.Tensor{Shape: wantDx.Shape, Data: dx.Data}, wantDx)
					dw := convlstm.Zeros(wantDw.Shape...)
					dwDots(dw.Data, c.cin*ntap, 0, dz, ld, c.m, xp, ld, 0, c.cin, c.kh, c.kw, g, c.B, finite, rowFinite)
					compareGrad(t, "dweight", dw, wantDw)
				})
			}
		})
	}
}

// TestWinogradConvTNextFrame: a transposed conv by Winograd over frame 0
// of planes whose frame 1 holds NaN in its first row. With H odd the last
// row of tiles reads that row (the tiles' second output row is past the
// frame, see wino.go): frame 0's gradient must still equal
// Conv2dBackward's for frame 0 alone, with no NaN.
func TestWinogradConvTNextFrame(t *testing.T) {
	if kernel.Best() != kernel.AVX512 {
		t.Skip("Winograd's convT runs at the AVX-512 level only")
	}
	t.Cleanup(kernel.SetWinoPolicy(kernel.WinoAlways))
	const m, cin, h, w, k = 32, 3, 5, 7, 3
	rng := rand.New(rand.NewPCG(11, 12))
	rnd := func(shape ...int) *convlstm.Tensor {
		x := convlstm.Zeros(shape...)
		for i := range x.Data {
			x.Data[i] = rng.Float32()*2 - 1
		}
		return x
	}
	gout, x, wt := rnd(2, m, h, w), rnd(1, cin, h, w), rnd(m, cin, k, k)
	for o := 0; o < m; o++ { // frame 1, row 0
		for xx := 0; xx < w; xx++ {
			gout.Data[((1*m)+o)*h*w+xx] = float32(math.NaN())
		}
	}
	want, _, _, err := Conv2dBackward(&convlstm.Tensor{Shape: []int{1, m, h, w}, Data: gout.Data[:m*h*w]}, x, wt, false)
	if err != nil {
		t.Fatal(err)
	}
	mdl := &convlstm.ConvLSTM{CellList: []*convlstm.Cell{{KernelSize: [2]int{k, k}}}}
	g := newPadGeom(mdl, h, w)
	ld := g.plane(2)
	dz := make([]float32, m*ld)
	padFrames(dz, ld, 0, seqFrames(gout.Data, 2, 1, m, false, g), 2, 1, m, g)
	ct := newConvT(g, wt.Data, m, cin*k*k, 0, cin, k, k)
	if ct.wino == nil {
		t.Fatal("no Winograd plan under WinoAlways")
	}
	dxp := make([]float32, ct.panels*kernel.MR*ld)
	ct.run(&call{}, dxp, ld, 0, dz, ld, 0, 1)
	dx := unpadFrames(dxp, ld, 1, 1, cin, false, g)
	compareGrad(t, "dx of frame 0", &convlstm.Tensor{Shape: want.Shape, Data: dx.Data}, want)
}

// The single-call forms of the backward's jobs, for the tests.

// newConvT is a new convT, init'ed.
func newConvT(g padGeom, wt []float32, m, ktot, k0, cout, kh, kw int) *convT {
	ct := &convT{}
	ct.init(g, wt, m, ktot, k0, cout, kh, kw, false)
	return ct
}

// dwDots runs a new dwJob (see there).
func dwDots(dw []float32, ktot, k0 int, dz []float32, ldz, m int, x []float32, ldx, xf0, cin, kh, kw int, g padGeom, nf int, finite bool, rowFinite []bool) {
	new(dwJob).run(dw, ktot, k0, dz, ldz, m, x, ldx, xf0, cin, kh, kw, g, nf, finite, rowFinite)
}

// rowSums returns the sums of the first rows planes of dZ (stride ld), in
// float64 (the padding holds zeros), and which rows are finite, nil when
// all are: a row that holds an Inf or a NaN has a sum that is not finite.
func rowSums(dz []float32, ld, rows int) (sums []float64, rowFinite []bool) {
	return new(rowSum).run(dz, ld, rows)
}

// padFrames copies C channels of B*T frames of H x W pixels into planes of
// dst (channel stride ld), frame (b, t) to frame f0+t*B+b. It reports
// whether every value copied is finite.
func padFrames(dst []float32, ld, f0 int, fr frames, B, T, C int, g padGeom) bool {
	return new(padCopy).run(dst, ld, f0, fr, B, T, C, g, false)
}

// unpadFrames is the inverse of padFrames: C channels of B*T frames of the
// planes src (channel stride ld) into a new (B, T, C, H, W) tensor, or
// (T, B, C, H, W) when timeMajor.
func unpadFrames(src []float32, ld, B, T, C int, timeMajor bool, g padGeom) *convlstm.Tensor {
	out := convlstm.Zeros(B, T, C, g.h, g.w)
	if timeMajor {
		out = convlstm.Zeros(T, B, C, g.h, g.w)
	}
	new(padCopy).run(src, ld, 0, seqFrames(out.Data, B, T, C, timeMajor, g), B, T, C, g, true)
	return out
}
