package bptt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// TestFastBackwardVsReadable runs the fast backward against the readable
// one (itself proven against PyTorch by TestGoldenGrad) on models the
// golden cases do not have: frame widths that are and are not whole
// vectors, layers with different kernels (one padded geometry for all),
// and non-finite values where the fast path takes another route: an Inf
// or a NaN in the input (the weight gradient then sums over the frame's
// pixels only) and in the weights (the input and h gradients then
// recompute the frame's edge pixels). Every gradient must agree: NaN where
// the readable path has NaN, the same Inf, and finite values within
// 1e-4 + 1e-3*|readable| (float32 sums in another order). Each kernel
// level runs.
func TestFastBackwardVsReadable(t *testing.T) {
	cases := []struct {
		name          string
		cfg           convlstm.Config
		B, T, H, W    int
		spoilX, spoil string // "", "nan" or "inf": one input value, one Wh weight
	}{
		{"w16_k3_k5", convlstm.Config{InputDim: 2, HiddenDim: []int{5, 8}, KernelSize: [][2]int{{3, 3}, {5, 5}}, NumLayers: 2, BatchFirst: true, Bias: true}, 2, 3, 6, 16, "", ""},
		{"w13_k5x3_tf_all", convlstm.Config{InputDim: 3, HiddenDim: []int{4, 16}, KernelSize: [][2]int{{5, 3}, {3, 3}}, NumLayers: 2, Bias: true, ReturnAllLayers: true}, 3, 2, 9, 13, "", ""},
		{"k1_k3_nobias", convlstm.Config{InputDim: 1, HiddenDim: []int{3, 2}, KernelSize: [][2]int{{1, 1}, {3, 3}}, NumLayers: 2, BatchFirst: true}, 1, 4, 5, 7, "", ""},
		{"peephole", convlstm.Config{InputDim: 2, HiddenDim: []int{4}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true, Peephole: true, ImageSize: [2]int{6, 16}}, 2, 3, 6, 16, "", ""},
		{"nan_input_w16", convlstm.Config{InputDim: 2, HiddenDim: []int{4, 3}, KernelSize: [][2]int{{3, 3}, {3, 3}}, NumLayers: 2, BatchFirst: true, Bias: true}, 2, 3, 5, 16, "nan", ""},
		{"inf_input_w9", convlstm.Config{InputDim: 2, HiddenDim: []int{4}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true}, 2, 2, 6, 9, "inf", ""},
		{"inf_weight", convlstm.Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {5, 3}}, NumLayers: 2, BatchFirst: true, Bias: true}, 2, 3, 7, 8, "", "inf"},
		{"nan_weight_w16", convlstm.Config{InputDim: 1, HiddenDim: []int{8}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true}, 1, 2, 4, 16, "", "nan"},
	}
	bad := map[string]float32{"nan": float32(math.NaN()), "inf": float32(math.Inf(1))}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			convlstm.ManualSeed(int64(100 + ci))
			m, err := convlstm.New(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			shape := []int{c.T, c.B, c.cfg.InputDim, c.H, c.W}
			if c.cfg.BatchFirst {
				shape[0], shape[1] = c.B, c.T
			}
			x := convlstm.Zeros(shape...)
			for i := range x.Data {
				x.Data[i] = rng.Float32()*2 - 1
			}
			if v, ok := bad[c.spoilX]; ok {
				x.Data[len(x.Data)/3] = v
			}
			if v, ok := bad[c.spoil]; ok {
				// A weight of the hidden part of the last layer's conv.
				cell := m.CellList[m.NumLayers-1]
				k := cell.KernelSize[0] * cell.KernelSize[1]
				cell.Conv.Weight.Data[(cell.InputDim+1)*k+1] = v
			}
			var gouts []*convlstm.Tensor
			_, outs, _, err := Forward(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range outs {
				g := convlstm.Zeros(o.Shape...)
				for i := range g.Data {
					g.Data[i] = rng.Float32()*2 - 1
				}
				gouts = append(gouts, g)
			}
			grads := func(fwd forwardTrain) *Grads {
				tape, _, _, err := fwd(m, x, nil)
				if err != nil {
					t.Fatal(err)
				}
				g, err := Backward(tape, gouts)
				if err != nil {
					t.Fatal(err)
				}
				return g
			}
			want := grads(Forward)
			for _, l := range kernel.Levels() {
				t.Run(l.String(), func(t *testing.T) {
					t.Cleanup(kernel.Use(l))
					compareGrads(t, grads(ForwardFast), want)
				})
			}
		})
	}
}

// compareGrads runs compareGrad on every gradient of got and want: the
// input's, each weight's and each initial state's.
func compareGrads(t *testing.T, got, want *Grads) {
	t.Helper()
	compareGrad(t, "input", got.Input, want.Input)
	for k, w := range want.Weights {
		compareGrad(t, k, got.Weights[k], w)
	}
	for i, s := range want.HiddenState {
		compareGrad(t, fmt.Sprintf("hidden_state.%d.h", i), got.HiddenState[i].H, s.H)
		compareGrad(t, fmt.Sprintf("hidden_state.%d.c", i), got.HiddenState[i].C, s.C)
	}
}

// compareGrad checks got against the readable path's want: the same
// shape, NaN where want is NaN, equal infinities, finite values within
// 1e-4 + 1e-3*|want|; it logs the largest finite error.
func compareGrad(t *testing.T, name string, got, want *convlstm.Tensor) {
	t.Helper()
	if got == nil || fmt.Sprint(got.Shape) != fmt.Sprint(want.Shape) {
		t.Errorf("%s: shape %v, readable %v", name, shapeOf(got), want.Shape)
		return
	}
	maxErr, nonFinite, wrong := 0.0, 0, 0
	for i, w := range want.Data {
		g, wv := float64(got.Data[i]), float64(w)
		switch {
		case math.IsNaN(wv):
			nonFinite++
			if !math.IsNaN(g) {
				wrong++
			}
		case math.IsInf(wv, 0):
			nonFinite++
			if g != wv {
				wrong++
			}
		default:
			e := math.Abs(g - wv)
			if math.IsNaN(g) || e > 1e-4+1e-3*math.Abs(wv) {
				wrong++
			}
			if !math.IsNaN(g) {
				maxErr = max(maxErr, e)
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%s %v: %d of %d values differ from the readable backward (max finite error %.3g)", name, want.Shape, wrong, len(want.Data), maxErr)
	}
	t.Logf("%-28s %-16v max abs error %.3g, %d non-finite", name, want.Shape, maxErr, nonFinite)
}

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
