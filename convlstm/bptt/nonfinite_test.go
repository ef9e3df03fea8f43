package bptt

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestConv2dBackwardNonFinite checks Conv2dBackward against PyTorch 1.13
// with an infinite input and with gradients that are exactly 0 where they
// meet it: PyTorch multiplies them in (0 * Inf = NaN in dweight), so no
// zero gradient may be skipped. The expected values were printed by
//
//	import torch
//	inf, nan = float('inf'), float('nan')
//	def run(x, w, b, g):
//	    x = torch.tensor(x).requires_grad_(True); w = torch.tensor(w).requires_grad_(True); b = torch.tensor(b).requires_grad_(True)
//	    y = torch.nn.functional.conv2d(x, w, b, padding=(w.shape[2]//2, w.shape[3]//2))
//	    y.backward(torch.tensor(g))
//	    print(x.grad.flatten().tolist(), w.grad.flatten().tolist(), b.grad.flatten().tolist())
//	w = [[[[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9]]], [[[1.0, 0.0, -1.0], [0.5, 0.25, -0.5], [2.0, -2.0, 0.125]]]]
//	run([[[[1., inf, 2.], [0.5, -1., 3.]]]], w, [0.5, -0.25], [[[[0., 1., 0.], [2., 0., -1.]], [[0., 0., 0.], [0., 0., 0.]]]])
//	run([[[[1., 2., -inf], [0.5, -1., 3.]]]], w, [0.5, -0.25], [[[[0.5, 1., 0.], [2., 3., -1.]], [[0., 1.5, 0.], [0., 2., 0.]]]])
//	run([[[[1., 0.5, 2.], [0.5, -1., 3.]]], [[[0.25, -0.5, 1.], [2., 0., -1.5]]]], w, [0.5, -0.25],
//	    [[[[inf, 1., 0.], [2., 0., -1.]], [[0., 0., 0.], [0., 0., nan]]], [[[1., 0., 0.5], [0., -1., 0.]], [[0.5, 0., 0.], [1., 0., 0.]]]])
//
// The third case, a batch of 2, has non-finite gradients at edge pixels.
// PyTorch's answer there depends on its backend (testdata/README.md): with
// a batch of 2 or more (oneDNN) the taps in the padding take no part, so
// the weight taps that only meet the Inf there stay finite; both Go
// backward passes do the same.
func TestConv2dBackwardNonFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	weight := []float64{0.1, -0.2, 0.3, 0.4, 0.5, -0.6, -0.7, 0.8, 0.9, 1.0, 0.0, -1.0, 0.5, 0.25, -0.5, 2.0, -2.0, 0.125}
	for _, c := range []struct {
		batch         int
		x, gradOut    []float64
		dx, dw, dbias []float64
	}{
		{
			batch:   1,
			x:       []float64{1, inf, 2, 0.5, -1, 3},
			gradOut: []float64{0, 1, 0, 2, 0, -1, 0, 0, 0, 0, 0, 0},
			dx:      []float64{0.0, 1.0, -0.40000003576278687, 0.30000001192092896, -0.800000011920929, 0.3999999761581421},
			dw:      []float64{-inf, nan, inf, nan, inf, nan, 0.5, -1.0, 3.0, nan, nan, nan, nan, nan, nan, 0.0, 0.0, 0.0},
			dbias:   []float64{2.0, 0.0},
		},
		{
			batch:   1,
			x:       []float64{1, 2, -inf, 0.5, -1, 3},
			gradOut: []float64{0.5, 1, 0, 2, 3, -1, 0, 1.5, 0, 0, 2, 0},
			dx:      []float64{3.299999952316284, 0.47499996423721313, -2.25, 5.900000095367432, -1.3500001430511475, -2.2125000953674316},
			dw:      []float64{1.0, inf, -inf, 3.5, nan, -inf, 0.5, -0.75, 2.5, 2.0, nan, -inf, 2.5, nan, -inf, 0.75, -1.5, 4.5},
			dbias:   []float64{5.5, 3.5},
		},
		{
			batch:   2,
			x:       []float64{1, 0.5, 2, 0.5, -1, 3, 0.25, -0.5, 1, 2, 0, -1.5},
			gradOut: []float64{inf, 1, 0, 2, 0, -1, 0, 0, 0, 0, 0, nan, 1, 0, 0.5, 0, -1, 0, 0.5, 0, 0, 1, 0, 0},
			dx:      []float64{inf, nan, nan, inf, nan, nan, 0.5249999761581421, -1.4500000476837158, -0.050000011920928955, -0.3500000238418579, -0.3875000476837158, 1.0},
			dw:      []float64{-0.75, 0.5, 0.0, -0.25, inf, inf, 0.5, inf, -inf, nan, nan, -0.5, nan, nan, -0.25, 0.0, 1.0, 0.0},
			dbias:   []float64{inf, nan},
		},
	} {
		x := tensor32(c.x, c.batch, 1, 2, 3)
		w := tensor32(weight, 2, 1, 3, 3)
		g := tensor32(c.gradOut, c.batch, 2, 2, 3)
		dx, dw, db, err := Conv2dBackward(g, x, w, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			name string
			got  *convlstm.Tensor
			want []float64
		}{{"dx", dx, c.dx}, {"dweight", dw, c.dw}, {"dbias", db, c.dbias}} {
			for i, want := range p.want {
				got := float64(p.got.Data[i])
				var ok bool
				switch {
				case math.IsNaN(want):
					ok = math.IsNaN(got)
				case math.IsInf(want, 0):
					ok = got == want
				default:
					ok = math.Abs(got-want) <= 1e-6+1e-6*math.Abs(want)
				}
				if !ok {
					t.Errorf("x = %v: %s[%d] = %g, torch %g", c.x, p.name, i, got, want)
				}
			}
		}
	}
}

func tensor32(v []float64, shape ...int) *convlstm.Tensor {
	t := convlstm.Zeros(shape...)
	for i, x := range v {
		t.Data[i] = float32(x)
	}
	return t
}
