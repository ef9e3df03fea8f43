package fast

import (
	"fmt"
	"math"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/golden"
)

// TestFastNonFiniteMatchesReadable puts NaN, +Inf and -Inf into the input
// and the initial state (corners, edges, the middle, different steps and
// batch items) and checks that fast.Forward returns what the readable
// Forward returns, NaN for NaN and the same infinities (golden.Compare), on
// the im2col and the taps kernels, at every kernel level, on frames wider
// than one tile and with a kernel wider than tall. The traced activations
// are compared too.
func TestFastNonFiniteMatchesReadable(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	cases := []vsCase{ // bias on, an initial state given
		{2, 2, 3, 7, 9, []int{3, 4}, [2]int{3, 3}, true, true, true},
		{3, 1, 2, 13, 17, []int{5}, [2]int{3, 5}, false, true, true}, // 221 pixels: more than one tile
		{2, 2, 2, 6, 8, []int{16}, [2]int{3, 3}, true, true, true},   // taps by default
	}
	forEachLevel(t, func(t *testing.T) {
		forEachMode(func(mode convMode) {
			for ci, c := range cases {
				t.Run(fmt.Sprintf("%d/%s", ci, mode.name), func(t *testing.T) {
					m, x := c.model(t, int64(100+ci))
					hw := c.h * c.w
					plane := func(i int) []float32 { return x.Data[i*hw : (i+1)*hw] } // (d0, d1, cin) plane i
					nplanes := len(x.Data) / hw
					plane(0)[0] = inf                           // a corner, first step
					plane(1 % nplanes)[hw-1] = -inf             // the opposite corner
					plane(nplanes - 1)[c.w*(c.h/2)+c.w/2] = nan // the middle, last step
					plane(nplanes / 2)[c.w-1] = inf             // the end of the first row
					plane(nplanes / 2)[c.w] = -inf              // the start of the second: a window holds both
					hs := c.states()
					for l, s := range hs {
						s.C.Data[l] = inf
						s.C.Data[len(s.C.Data)-1-l] = -inf
						s.C.Data[len(s.C.Data)/2] = nan
						s.H.Data[hw+c.w+1] = -inf
					}
					r := runBoth(t, m, x, hs)
					var diffs []golden.Diff
					cmp := func(key string, got, want *convlstm.Tensor) {
						d, err := golden.Compare(key, got, want, 1e-5, 1e-4)
						if err != nil {
							t.Fatal(err)
						}
						if !d.OK() {
							diffs = append(diffs, d)
						}
					}
					r.pairs(cmp)
					special := 0
					for l := range r.on {
						for _, v := range r.on[l].Data {
							if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
								special++
							}
						}
					}
					if special == 0 {
						t.Fatal("no NaN or infinity reached the outputs: the test tests nothing")
					}
					golden.Check(t, diffs, nil)
				})
			}
		})
	})
}
