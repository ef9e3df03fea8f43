package bptt

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
	"example.com/convlstm/convlstm/internal/kernel"
)

// TestTrainer: a Trainer's Forward and Backward give ForwardFast's and
// BackwardStates' numbers bit for bit (outputs, last states, and every
// gradient: weights, input, initial state), for inputs that change from
// step to step in the same memory, with and without a hidden state and
// last-state gradients, batch first or not, peephole or not.
func TestTrainer(t *testing.T) {
	for _, peep := range []bool{false, true} {
		for _, batchFirst := range []bool{true, false} {
			cfg := bench.Config{Name: "trainer", B: 2, T: 3, C: 2, H: 12, W: 12, Hidden: []int{8, 32}, Kernel: [2]int{3, 3}, BatchFirst: batchFirst}
			m, x, err := cfg.Model()
			if err != nil {
				t.Fatal(err)
			}
			if peep {
				c := m.Config
				c.Peephole, c.ImageSize = true, [2]int{12, 12}
				if m, err = convlstm.New(c); err != nil {
					t.Fatal(err)
				}
				for _, cell := range m.CellList {
					for i := range cell.WCi.Data {
						cell.WCi.Data[i], cell.WCf.Data[i], cell.WCo.Data[i] = 0.1, -0.2, 0.3
					}
				}
			}
			m.ReturnAllLayers = true
			x2 := x.Clone()
			for i := range x2.Data {
				x2.Data[i] = float32(math.Sin(float64(i)))
			}
			tr := NewTrainer(m)
			if _, err := tr.Backward(nil, nil, true); err == nil || !strings.Contains(err.Error(), "no Forward") {
				t.Errorf("Backward before Forward: err = %v, want one that says there was no Forward", err)
			}
			for step, in := range []*convlstm.Tensor{x, x2, x} {
				var hs []convlstm.State
				var gl []convlstm.State
				if step > 0 {
					_, _, hs, _ = ForwardFast(m, x2, nil)
					gl = []convlstm.State{{H: hs[0].H}, {C: hs[1].C}}
				}
				go_, _ := checkTrainerStep(t, "step", m, tr, in, hs, nil, gl, true)
				if g, err := tr.Backward(go_, gl, false); err != nil || g.Input != nil {
					t.Errorf("Backward without the input gradient: Input %v, err %v", g.Input, err)
				}
			}
		}
	}
}

// TestTrainerAllocs: after its first step, a Trainer's training step
// (Forward, then Backward without the input gradient, as BenchmarkTrainStep
// times) allocates nothing, on the benchmark shapes at half their frame
// side with the kernels the fast path picks for them; with the input
// gradient and a hidden state too.
func TestTrainerAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping allocates")
	}
	for _, cfg := range bench.Configs() {
		cfg.H, cfg.W, cfg.T = cfg.H/2, cfg.W/2, 3
		m, x, err := cfg.Model()
		if err != nil {
			t.Fatal(err)
		}
		m.ReturnAllLayers = true // the last states of every layer, to start from
		tr := NewTrainer(m)
		for _, withState := range []bool{false, true} {
			var hs []convlstm.State
			if withState {
				_, _, hs, _ = ForwardFast(m, x, nil)
			}
			step := trainerStep(t, tr, x, hs, withState)
			step()
			if n := testing.AllocsPerRun(3, step); n != 0 {
				t.Errorf("%s (hidden state %v): a Trainer's step allocated %v times after the first, want 0", cfg.Name, withState, n)
			}
		}
	}
}

// sameBits fails unless got has want's shape and bits.
func sameBits(t *testing.T, what string, want, got *convlstm.Tensor) {
	t.Helper()
	if want == nil || got == nil {
		if want != got {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
		return
	}
	if !convlstm.SameShape(want.Shape, got.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape, want.Shape)
	}
	for i, v := range want.Data {
		if math.Float32bits(v) != math.Float32bits(got.Data[i]) {
			t.Fatalf("%s: value %d is %v, want %v", what, i, got.Data[i], v)
		}
	}
}

// TestTrainerDirect: a Trainer with Direct set computes, bit for bit, what
// ForwardFast and BackwardStates compute with Winograd's algorithm off (the
// kernel.WinoNever test hook), on a layer that takes it by default at
// AVX-512 (32 hidden channels, 5x5, 32x32 frames).
func TestTrainerDirect(t *testing.T) {
	t.Cleanup(kernel.SetWinoPolicy(kernel.WinoAuto))
	convlstm.ManualSeed(9)
	m, err := convlstm.NewConvLSTM(3, 32, [2]int{5, 5}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(9))
	x := randTensor(rng, 2, 3, 3, 32, 32)
	gouts := []*convlstm.Tensor{randTensor(rng, 2, 3, 32, 32, 32)}
	restore := kernel.SetWinoPolicy(kernel.WinoNever)
	tape, wo, _, err := ForwardFast(m, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := BackwardStates(tape, gouts, nil)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(m)
	tr.Direct = true
	outs, _, err := tr.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Backward(gouts, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "output", wo[0], outs[0])
	sameBits(t, "dinput", want.Input, got.Input)
	for k, w := range want.Weights {
		sameBits(t, k, w, got.Weights[k])
	}
}
