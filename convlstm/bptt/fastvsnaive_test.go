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
