package convlstm

import "testing"

func TestBackwardErrors(t *testing.T) {
	m := mustModel(t, true) // 2 layers, hidden [3, 4], returns the last layer
	x := Zeros(2, 3, 2, 5, 4)
	if _, _, _, err := m.ForwardTrain(Zeros(2, 3, 5, 5, 4), nil); err == nil {
		t.Error("ForwardTrain accepted an input with the wrong channel count")
	}
	for _, p := range trainPaths {
		t.Run(p.name, func(t *testing.T) {
			setTrainPath(m, p.fast)
			tape, outs, _, err := m.ForwardTrain(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Backward(nil, outs)
			wantErr(t, err, "tape is nil")
			_, err = m.Backward(tape, nil)
			wantErr(t, err, "got 0 output gradients, want 1")
			_, err = m.Backward(tape, []*Tensor{Zeros(2, 3, 3, 5, 4)})
			wantErr(t, err, "gradOutputs[0]", "[2 3 4 5 4]")
			other := mustModel(t, true)
			_, err = other.Backward(tape, outs)
			wantErr(t, err, "another model")
			g, err := m.Backward(tape, []*Tensor{nil})
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
			if !SameShape(g.Input.Shape, x.Shape) {
				t.Errorf("grad input shape %v, want %v", g.Input.Shape, x.Shape)
			}
		})
	}
}
