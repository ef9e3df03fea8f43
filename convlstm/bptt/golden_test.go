package bptt

import (
	"fmt"
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
	root, err := golden.Dir()
	if err != nil {
		t.Fatal(err)
	}
	names, err := golden.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, name := range names {
		gc, err := golden.Load(root, name)
		if err != nil {
			t.Fatal(err)
		}
		if !gc.HasGrads() {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
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
					m, err := gc.Model()
					if err != nil {
						t.Fatal(err)
					}
					hs, err := gc.HiddenState()
					if err != nil {
						t.Fatal(err)
					}
					tape, outs, states, err := p.fwd(m, gc.Input(), hs)
					if err != nil {
						t.Fatal(err)
					}
					if (tape.fast != nil) != p.fast {
						t.Fatalf("tape recorded on the fast path: %v, want %v", tape.fast != nil, p.fast)
					}
					diffs, err := gc.CompareForward(outs, states)
					golden.Check(t, diffs, err)
					g, err := Backward(tape, gradOut)
					if err != nil {
						t.Fatal(err)
					}
					check := func(key string, got *convlstm.Tensor) {
						t.Helper()
						d, err := golden.Compare(key, got, want[key], golden.GradAtol, golden.GradRtol)
						golden.Check(t, []golden.Diff{d}, err)
					}
					check("grad.input", g.Input)
					for k := range m.StateDict() {
						check("grad."+k, g.Weights[k])
					}
					if len(g.Weights) != len(m.StateDict()) {
						t.Errorf("got %d weight gradients, want %d", len(g.Weights), len(m.StateDict()))
					}
					if gc.WithHiddenState {
						for l, s := range g.HiddenState {
							check(fmt.Sprintf("grad.hidden_state.%d.h", l), s.H)
							check(fmt.Sprintf("grad.hidden_state.%d.c", l), s.C)
						}
					}
				})
			}
		})
	}
	if ran == 0 {
		t.Fatalf("no grads.npz under %s", root)
	}
}
