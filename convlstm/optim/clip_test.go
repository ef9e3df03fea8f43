package optim

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestClipGradNormNonFinite replays torch.nn.utils.clip_grad_norm_ of
// PyTorch 1.13 on two gradients q and r with NaN, infinities and float32
// overflow and underflow in their squares. The expected values were printed
// by (with nan, inf = float('nan'), float('inf')):
//
//	import torch
//	def run(qv, rv, mx):
//	    q = torch.zeros(len(qv), requires_grad=True); r = torch.zeros(len(rv), requires_grad=True)
//	    q.grad = torch.tensor(qv, dtype=torch.float32); r.grad = torch.tensor(rv, dtype=torch.float32)
//	    n = torch.nn.utils.clip_grad_norm_([q, r], mx)
//	    print(n.item(), q.grad.tolist(), r.grad.tolist())
//	run([3., 4., 0.], [12.], 6.5)   # and so on, one call per row below
//
// Every value, NaN and infinities included, must match bit for bit (any
// NaN matches any NaN).
func TestClipGradNormNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		q, r         []float64
		maxNorm      float64
		norm         float64
		wantQ, wantR []float64
	}{
		{[]float64{3, 4, 0}, []float64{12}, 6.5,
			13, []float64{1.4999998807907104, 1.9999998807907104, 0}, []float64{5.999999523162842}},
		{[]float64{3, nan, 0}, []float64{12}, 6.5,
			nan, []float64{nan, nan, nan}, []float64{nan}},
		{[]float64{3, inf, 0}, []float64{12}, 6.5,
			inf, []float64{0, nan, 0}, []float64{0}},
		{[]float64{3, -inf, -2}, []float64{12}, 6.5,
			inf, []float64{0, nan, math.Copysign(0, -1)}, []float64{0}},
		{[]float64{3, inf, 0}, []float64{nan}, 6.5,
			nan, []float64{nan, nan, nan}, []float64{nan}},
		// The squares overflow float32: 1e20^2.
		{[]float64{1e20, 1}, []float64{2}, 6.5,
			inf, []float64{0, 0}, []float64{0}},
		// Each norm is finite (1.5e19), the norm of the two norms is not.
		{[]float64{1.5e19}, []float64{1.5e19}, 6.5,
			inf, []float64{0}, []float64{0}},
		// The square underflows: the norm is 0, nothing is scaled.
		{[]float64{1e-25}, []float64{0}, 1,
			0, []float64{1.0000000195414814e-25}, []float64{0}},
		// NaN even when max_norm is huge: the coefficient is NaN, not 1.
		{[]float64{3, nan, 0}, []float64{12}, 1e30,
			nan, []float64{nan, nan, nan}, []float64{nan}},
		// Below max_norm: multiplied by 1.
		{[]float64{0.3, 0.4}, []float64{0}, 1,
			0.5, []float64{0.30000001192092896, 0.4000000059604645}, []float64{0}},
	} {
		q, r := tensorOf(c.q), tensorOf(c.r)
		n, err := ClipGradNorm(map[string]*convlstm.Tensor{"q": q, "r": r}, c.maxNorm)
		if err != nil {
			t.Fatal(err)
		}
		if !sameFloat(n, float64(float32(c.norm))) {
			t.Errorf("q=%v r=%v max_norm=%g: norm %g, torch %g", c.q, c.r, c.maxNorm, n, c.norm)
		}
		for name, pair := range map[string][2][]float64{"q": {f64(q.Data), c.wantQ}, "r": {f64(r.Data), c.wantR}} {
			for i, w := range pair[1] {
				if !sameFloat(pair[0][i], w) {
					t.Errorf("q=%v r=%v max_norm=%g: %s[%d] = %g, torch %g", c.q, c.r, c.maxNorm, name, i, pair[0][i], w)
				}
			}
		}
	}
}

// sameFloat reports whether a and b are both NaN or bitwise equal as
// float32 (so -0 and 0 differ).
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
}

func tensorOf(v []float64) *convlstm.Tensor {
	t := convlstm.Zeros(len(v))
	for i, x := range v {
		t.Data[i] = float32(x)
	}
	return t
}

func f64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
