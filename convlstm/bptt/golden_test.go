package bptt

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/golden"
	"example.com/convlstm/convlstm/internal/kernel"
)

// forwardTrain is the signature Forward and ForwardFast share.
type forwardTrain = func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) (*Tape, []*convlstm.Tensor, []convlstm.State, error)

// trainPaths are the training implementations every gradient golden runs
// through, each its own subtest TestGoldenGrad/<case>/<path>: the readable
// BPTT, and the fast one at every kernel level the CPU has ("fast" at the
// best, "fast-avx2", "fast-generic" below it); at the best level also with
// Winograd's algorithm wherever it can run ("fast-wino": every 3x3 and 5x5
// conv of the forward's taps layers and of the backward on AVX-512, however
// small the frame) and nowhere ("fast-direct").
func trainPaths() []struct {
	name   string
	fwd    forwardTrain
	fast   bool
	level  kernel.Level
	policy kernel.WinoPolicy
} {
	type path = struct {
		name   string
		fwd    forwardTrain
		fast   bool
		level  kernel.Level
		policy kernel.WinoPolicy
	}
	best := kernel.Best()
	ps := []path{{"naive", Forward, false, best, kernel.WinoAuto}, {"fast", ForwardFast, true, best, kernel.WinoAuto},
		{"fast-wino", ForwardFast, true, best, kernel.WinoAlways}, {"fast-direct", ForwardFast, true, best, kernel.WinoNever}}
	for _, l := range kernel.Levels() {
		if l != best {
			ps = append(ps, path{"fast-" + l.String(), ForwardFast, true, l, kernel.WinoAuto})
		}
	}
	return ps
}

// TestGoldenGrad checks Backward against the gradients PyTorch computed for
// loss = sum_k <layer_output.k, grad_output.k> (testdata/README.md), for
// every golden folder that has a grads.npz. The training forward's outputs
// are checked against the forward goldens on the way.
func TestGoldenGrad(t *testing.T) {
	cases := golden.CasesFor(t)
	ran := 0
	for _, gc := range cases {
		if !gc.HasGrads() {
			continue
		}
		ran++
		t.Run(gc.Name, func(t *testing.T) {
			want, err := gc.Grads()
			if err != nil {
				t.Fatal(err)
			}
			gradOut, err := gc.GradOutputs(want)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range trainPaths() {
				t.Run(p.name, func(t *testing.T) {
					t.Cleanup(kernel.Use(p.level))
					t.Cleanup(kernel.SetWinoPolicy(p.policy))
					var tape *Tape
					m, diffs, err := gc.RunForward(func(m *convlstm.ConvLSTM, x *convlstm.Tensor, hs []convlstm.State) (outs []*convlstm.Tensor, states []convlstm.State, err error) {
						tape, outs, states, err = p.fwd(m, x, hs)
						return outs, states, err
					})
					golden.Check(t, diffs, err)
					if (tape.fast != nil) != p.fast {
						t.Fatalf("tape recorded on the fast path: %v, want %v", tape.fast != nil, p.fast)
					}
					g, err := Backward(tape, gradOut)
					if err != nil {
						t.Fatal(err)
					}
					diffs, err = gc.CompareGrads(m, want, g.Input, g.Weights, g.HiddenState)
					golden.Check(t, diffs, err)
				})
			}
		})
	}
	if ran == 0 {
		t.Fatalf("no grads.npz among the %d golden cases", len(cases))
	}
}
