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
	cases := []struct {
		cin, b, tt, h, w int
		hid              []int
		k                [2]int
		bf               bool
	}{
		{2, 2, 3, 7, 9, []int{3, 4}, [2]int{3, 3}, true},
		{3, 1, 2, 13, 17, []int{5}, [2]int{3, 5}, false}, // 221 pixels: more than one tile
		{2, 2, 2, 6, 8, []int{16}, [2]int{3, 3}, true},   // taps by default
	}
	forEachLevel(t, func(t *testing.T) {
		for _, mode := range convModes {
			restore := mode.set()
			defer restore()
			for ci, c := range cases {
				t.Run(fmt.Sprintf("%d/%s", ci, mode.name), func(t *testing.T) {
					convlstm.ManualSeed(int64(100 + ci))
					ks := make([][2]int, len(c.hid))
					for i := range ks {
						ks[i] = c.k
					}
					m, err := convlstm.New(convlstm.Config{InputDim: c.cin, HiddenDim: c.hid, KernelSize: ks, NumLayers: len(c.hid), BatchFirst: c.bf, Bias: true, ReturnAllLayers: true})
					if err != nil {
						t.Fatal(err)
					}
					shape := []int{c.tt, c.b, c.cin, c.h, c.w}
					if c.bf {
						shape = []int{c.b, c.tt, c.cin, c.h, c.w}
					}
					x := convlstm.Zeros(shape...)
					for i := range x.Data {
						x.Data[i] = float32(math.Sin(float64(i)*0.37)) * 2
					}
					hw := c.h * c.w
					plane := func(i int) []float32 { return x.Data[i*hw : (i+1)*hw] } // (d0, d1, cin) plane i
					nplanes := len(x.Data) / hw
					plane(0)[0] = inf                           // a corner, first step
					plane(1 % nplanes)[hw-1] = -inf             // the opposite corner
					plane(nplanes - 1)[c.w*(c.h/2)+c.w/2] = nan // the middle, last step
					plane(nplanes / 2)[c.w-1] = inf             // the end of the first row
					plane(nplanes / 2)[c.w] = -inf              // the start of the second: a window holds both
					var hs []convlstm.State
					for l, hid := range c.hid {
						s := convlstm.State{H: convlstm.Zeros(c.b, hid, c.h, c.w), C: convlstm.Zeros(c.b, hid, c.h, c.w)}
						for i := range s.H.Data {
							s.H.Data[i] = float32(math.Cos(float64(i+l)*0.11)) * 0.9
							s.C.Data[i] = float32(math.Sin(float64(i+l)*0.23)) * 1.5
						}
						s.C.Data[l] = inf
						s.C.Data[len(s.C.Data)-1-l] = -inf
						s.C.Data[len(s.C.Data)/2] = nan
						s.H.Data[hw+c.w+1] = -inf
						hs = append(hs, s)
					}
					run := func(fwd func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)) ([]*convlstm.Tensor, []convlstm.State, *convlstm.Trace) {
						m.Trace = &convlstm.Trace{}
						o, s, err := fwd(m, x, hs)
						if err != nil {
							t.Fatal(err)
						}
						return o, s, m.Trace
					}
					on, sn, trn := run((*convlstm.ConvLSTM).Forward)
					of, sf, trf := run(Forward)
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
					special := 0
					for l := range on {
						cmp(fmt.Sprintf("layer_output.%d", l), of[l], on[l])
						cmp(fmt.Sprintf("last_state.%d.h", l), sf[l].H, sn[l].H)
						cmp(fmt.Sprintf("last_state.%d.c", l), sf[l].C, sn[l].C)
						for st := range trn.Layers[l] {
							a, b := trf.Layers[l][st], trn.Layers[l][st]
							for k, p := range [][2]*convlstm.Tensor{{a.I, b.I}, {a.F, b.F}, {a.O, b.O}, {a.G, b.G}, {a.C, b.C}, {a.H, b.H}} {
								cmp(fmt.Sprintf("trace.%d.%d.%c", l, st, "ifogch"[k]), p[0], p[1])
							}
						}
						for _, v := range on[l].Data {
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
		}
	})
}
