package convlstm

import (
	"fmt"
	"math"
	"testing"
)

// Tolerances of the golden comparisons: |go - torch| <= atol + rtol*|torch|
// for every element.
const (
	forwardAtol = 1e-5
	forwardRtol = 1e-4
)

// compareTensor checks got against want elementwise with the given
// tolerance, logs the max absolute error and fails on the first element
// outside the tolerance (naming its index and both values).
func compareTensor(t *testing.T, name string, got, want *Tensor, atol, rtol float64) {
	t.Helper()
	if want == nil {
		t.Errorf("%s: missing from the golden file", name)
		return
	}
	if got == nil {
		t.Errorf("%s: missing (want shape %v)", name, want.Shape)
		return
	}
	if !SameShape(got.Shape, want.Shape) {
		t.Errorf("%s: shape %v, want %v", name, got.Shape, want.Shape)
		return
	}
	maxErr, worst := 0.0, -1
	bad := 0
	for i := range want.Data {
		g, w := float64(got.Data[i]), float64(want.Data[i])
		d := math.Abs(g - w)
		if math.IsNaN(g) {
			d = math.Inf(1)
		}
		if d > maxErr {
			maxErr = d
		}
		if d > atol+rtol*math.Abs(w) {
			if bad == 0 {
				worst = i
			}
			bad++
		}
	}
	t.Logf("%-28s %v max abs error %.3g", name, want.Shape, maxErr)
	if bad > 0 {
		t.Errorf("%s: %d of %d elements outside |go-torch| <= %g + %g*|torch|; first at %v: go %g, torch %g",
			name, bad, len(want.Data), atol, rtol, unravel(worst, want.Shape), got.Data[worst], want.Data[worst])
	}
}

// unravel turns a flat row-major index into one index per axis.
func unravel(i int, shape []int) string {
	idx := make([]int, len(shape))
	for a := len(shape) - 1; a >= 0; a-- {
		idx[a] = i % shape[a]
		i /= shape[a]
	}
	return fmt.Sprint(idx)
}
