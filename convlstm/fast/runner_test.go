package fast

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// TestRunner: a Runner's Forward gives fast.Forward's numbers bit for bit
// (outputs, last states and the trace), in every conv mode, for two inputs
// in turn (the second overwrites the first in the same memory, so a value
// left unwritten would show), with and without a hidden state and a trace,
// batch first or not; and after its first call a call allocates nothing.
func TestRunner(t *testing.T) {
	forEachMode(func(mode convMode) {
		for _, batchFirst := range []bool{true, false} {
			cfg := bench.Config{Name: "runner", B: 2, T: 3, C: 2, H: 12, W: 12, Hidden: []int{8, 32}, Kernel: [2]int{3, 3}, BatchFirst: batchFirst}
			m, x, err := cfg.Model()
			if err != nil {
				t.Fatal(err)
			}
			m.ReturnAllLayers = true
			x2 := x.Clone()
			for i := range x2.Data {
				x2.Data[i] = float32(math.Sin(float64(i)))
			}
			var r Runner
			for _, in := range []*convlstm.Tensor{x, x2, x} {
				for _, withState := range []bool{false, true} {
					var hs []convlstm.State
					if withState {
						_, hs, err = Forward(m, x2, nil)
						if err != nil {
							t.Fatal(err)
						}
					}
					wantTr := &convlstm.Trace{}
					wo, ws, err := ForwardTrace(m, in, hs, wantTr)
					if err != nil {
						t.Fatal(err)
					}
					got := &convlstm.Trace{}
					go_, gs, err := r.ForwardTrace(m, in, hs, got)
					if err != nil {
						t.Fatal(err)
					}
					for l := range wo {
						sameBits(t, mode.name, wo[l], go_[l])
						sameBits(t, mode.name, ws[l].H, gs[l].H)
						sameBits(t, mode.name, ws[l].C, gs[l].C)
						for s, st := range wantTr.Layers[l] {
							g := got.Layers[l][s]
							for _, p := range [][2]*convlstm.Tensor{{st.I, g.I}, {st.F, g.F}, {st.O, g.O}, {st.G, g.G}, {st.C, g.C}, {st.H, g.H}} {
								sameBits(t, mode.name, p[0], p[1])
							}
						}
					}
					if n := testing.AllocsPerRun(5, func() {
						if _, _, err := r.ForwardTrace(m, in, hs, got); err != nil {
							t.Fatal(err)
						}
					}); n != 0 && !raceEnabled {
						t.Errorf("%s: a Runner's call allocated %v times after the first, want 0", mode.name, n)
					}
				}
			}
		}
	})
}

// sameBits fails unless got has want's shape and bits.
func sameBits(t *testing.T, what string, want, got *convlstm.Tensor) {
	t.Helper()
	if !convlstm.SameShape(want.Shape, got.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape, want.Shape)
	}
	for i, v := range want.Data {
		if math.Float32bits(v) != math.Float32bits(got.Data[i]) {
			t.Fatalf("%s: value %d is %v, want %v", what, i, got.Data[i], v)
		}
	}
}
