package bptt

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestBackwardStates checks the gradient of a loss that reads the last
// states, L = <lastStates.h, gh> + <lastStates.c, gc>, on both paths: the h
// part equals putting gh into the output gradient at the last step (h_T is
// layer_output[:, T-1]), and a weight's gradient matches a central finite
// difference of L.
func TestBackwardStates(t *testing.T) {
	for _, p := range trainPaths()[:2] {
		t.Run(p.name, func(t *testing.T) {
			convlstm.ManualSeed(3)
			m, err := convlstm.NewConvLSTM(2, []int{3, 4}, [2]int{3, 3}, 2, true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			x := convlstm.Zeros(2, 3, 2, 4, 5)
			for i := range x.Data {
				x.Data[i] = float32(math.Sin(float64(i) * 0.7))
			}
			gh, gc := convlstm.Zeros(2, 4, 4, 5), convlstm.Zeros(2, 4, 4, 5)
			for i := range gh.Data {
				gh.Data[i], gc.Data[i] = float32(math.Cos(float64(i))), float32(math.Sin(float64(i)*1.3))
			}
			loss := func() float64 {
				_, _, states, err := p.fwd(m, x, nil)
				if err != nil {
					t.Fatal(err)
				}
				var s float64
				for i := range gh.Data {
					s += float64(states[0].H.Data[i])*float64(gh.Data[i]) + float64(states[0].C.Data[i])*float64(gc.Data[i])
				}
				return s
			}
			tape, outs, _, err := p.fwd(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			g, err := BackwardStates(tape, []*convlstm.Tensor{nil}, []convlstm.State{{H: gh, C: gc}})
			if err != nil {
				t.Fatal(err)
			}
			// The h part through the output gradient instead.
			gOut := convlstm.Zeros(outs[0].Shape...)
			n := 4 * 4 * 5
			for b := 0; b < 2; b++ {
				copy(gOut.Data[(b*3+2)*n:(b*3+3)*n], gh.Data[b*n:(b+1)*n])
			}
			tape2, _, _, err := p.fwd(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			gH, err := BackwardStates(tape2, []*convlstm.Tensor{gOut}, []convlstm.State{{C: gc}})
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range g.Weights {
				for i, v := range w.Data {
					if d := math.Abs(float64(v - gH.Weights[k].Data[i])); d > 1e-5+1e-4*math.Abs(float64(v)) {
						t.Fatalf("%s[%d]: %g via the last state, %g via the output", k, i, v, gH.Weights[k].Data[i])
					}
				}
			}
			for _, c := range []struct {
				key string
				idx int
			}{{"cell_list.0.conv.weight", 7}, {"cell_list.1.conv.weight", 40}, {"cell_list.1.conv.bias", 9}} {
				w := m.StateDict()[c.key].Data
				old := w[c.idx]
				const eps = 1e-2
				w[c.idx] = old + eps
				lp := loss()
				w[c.idx] = old - eps
				lm := loss()
				w[c.idx] = old
				fd := (lp - lm) / (2 * eps)
				got := float64(g.Weights[c.key].Data[c.idx])
				t.Logf("%s[%d]: backward %.6g, finite difference %.6g", c.key, c.idx, got, fd)
				if math.Abs(got-fd) > 2e-3+2e-2*math.Abs(fd) {
					t.Errorf("%s[%d]: backward %g, finite difference %g", c.key, c.idx, got, fd)
				}
			}
			_, err = BackwardStates(tape, []*convlstm.Tensor{nil}, []convlstm.State{{H: convlstm.Zeros(2, 3, 4, 5)}})
			wantErr(t, err, "gradLastStates[0].h", "[2 4 4 5]")
		})
	}
}
