package frameops

import (
	"math"
	"math/rand"
	"testing"
)

// TestHeadBackward checks HeadBackward against central differences of
// L = sum(dy * Head(x)) for every weight, bias and input value.
func TestHeadBackward(t *testing.T) {
	const n, cin, cout, hw = 2, 3, 2, 5
	r := rand.New(rand.NewSource(1))
	fill := func(k int) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	x, weight, bias, dy := fill(n*cin*hw), fill(cout*cin), fill(cout), fill(n*cout*hw)
	loss := func() float64 {
		y := make([]float32, n*cout*hw)
		Head(y, x, weight, bias, cin, cout, hw)
		var s float64
		for i, v := range y {
			s += float64(v) * float64(dy[i])
		}
		return s
	}
	y := make([]float32, n*cout*hw)
	Head(y, x, weight, bias, cin, cout, hw)
	dx, dW, dB := make([]float32, len(x)), make([]float32, len(weight)), make([]float32, len(bias))
	HeadBackward(dx, dW, dB, make([]float32, len(y)), make([]float64, cout*cin+cout), x, y, dy, weight, cin, cout, hw)
	worst := 0.0
	for _, c := range []struct {
		name string
		p, g []float32
	}{{"x", x, dx}, {"weight", weight, dW}, {"bias", bias, dB}} {
		for i := range c.p {
			old := c.p[i]
			const eps = 1e-2
			c.p[i] = old + eps
			lp := loss()
			c.p[i] = old - eps
			lm := loss()
			c.p[i] = old
			fd := (lp - lm) / (2 * eps)
			d := math.Abs(fd - float64(c.g[i]))
			worst = math.Max(worst, d)
			if d > 2e-3+2e-3*math.Abs(fd) {
				t.Errorf("d%s[%d]: backward %g, finite difference %g", c.name, i, c.g[i], fd)
			}
		}
	}
	t.Logf("largest |backward - finite difference|: %.2g", worst)
}
