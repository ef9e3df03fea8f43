package bptt

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/testutil"
)

// mustModel builds a small two-layer model for the error tests.
func mustModel(t *testing.T, batchFirst bool) *convlstm.ConvLSTM {
	t.Helper()
	m, err := convlstm.New(convlstm.Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {1, 3}}, NumLayers: 2, BatchFirst: batchFirst, Bias: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantErr fails unless err is non-nil and its message contains every part.
var wantErr = testutil.WantErr

func TestBackwardErrors(t *testing.T) {
	m := mustModel(t, true) // 2 layers, hidden [3, 4], returns the last layer
	x := convlstm.Zeros(2, 3, 2, 5, 4)
	for _, p := range trainPaths()[:2] {
		t.Run(p.name, func(t *testing.T) {
			_, _, _, err := p.fwd(m, convlstm.Zeros(2, 3, 5, 5, 4), nil)
			wantErr(t, err, "input_tensor", "[2 3 5 5 4]", "input_dim is 2")
			tape, outs, _, err := p.fwd(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Backward(nil, outs)
			wantErr(t, err, "tape is nil")
			_, err = Backward(tape, nil)
			wantErr(t, err, "got 0 output gradients, want 1")
			_, err = Backward(tape, []*convlstm.Tensor{convlstm.Zeros(2, 3, 3, 5, 4)})
			wantErr(t, err, "gradOutputs[0]", "[2 3 4 5 4]")
			g, err := Backward(tape, []*convlstm.Tensor{nil})
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range g.Weights {
				for _, v := range w.Data {
					if v != 0 {
						t.Fatalf("%s: nonzero gradient from a nil (zero) output gradient", k)
					}
				}
			}
			if !convlstm.SameShape(g.Input.Shape, x.Shape) {
				t.Errorf("grad input shape %v, want %v", g.Input.Shape, x.Shape)
			}
			gw, err := BackwardWeights(tape, outs)
			if err != nil {
				t.Fatal(err)
			}
			if gw.Input != nil {
				t.Error("BackwardWeights returned an input gradient")
			}
		})
	}
}

// TestBackwardPeepholeChanged: a tape recorded with (or without) peepholes
// refuses a model that lost (or gained) them, or whose peepholes are for
// another frame size, on both paths.
func TestBackwardPeepholeChanged(t *testing.T) {
	cfg := convlstm.Config{InputDim: 2, HiddenDim: []int{3}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true,
		Peephole: true, ImageSize: [2]int{5, 4}}
	x := convlstm.Zeros(2, 3, 2, 5, 4)
	for _, p := range trainPaths()[:2] {
		t.Run(p.name, func(t *testing.T) {
			m, err := convlstm.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			tape, outs, _, err := p.fwd(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			seedCfg := cfg
			seedCfg.Peephole = false
			seed, err := convlstm.New(seedCfg)
			if err != nil {
				t.Fatal(err)
			}
			m.Config, m.CellList = seed.Config, seed.CellList
			_, err = Backward(tape, outs)
			wantErr(t, err, "cell_list.0", "peephole weights []", "recorded with peepholes true")

			c, err := convlstm.NewPeepholeCell(2, 3, [2]int{3, 3}, true, [2]int{6, 4})
			if err != nil {
				t.Fatal(err)
			}
			m.CellList[0], m.Peephole, m.ImageSize = c, true, [2]int{6, 4}
			_, err = Backward(tape, outs)
			wantErr(t, err, "cell_list.0", "[3 6 4]", "frames of (5, 4)")
		})
	}
}
