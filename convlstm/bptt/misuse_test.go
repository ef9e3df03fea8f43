package bptt

import (
	"math/rand"
	"strings"
	"sync"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/testutil"
)

// randTensor is a tensor of the given shape, uniform in [-1, 1) from rng.
func randTensor(rng *rand.Rand, shape ...int) *convlstm.Tensor {
	x := convlstm.Zeros(shape...)
	testutil.Uniform(rng, x.Data)
	return x
}

// cloneStates copies states (nil for nil).
func cloneStates(s []convlstm.State) []convlstm.State {
	if s == nil {
		return nil
	}
	c := make([]convlstm.State, len(s))
	for i, st := range s {
		c[i] = convlstm.State{H: st.H.Clone(), C: st.C.Clone()}
	}
	return c
}

// checkTrainerStep runs one step of tr (Forward on in and hs, then
// Backward with gouts and glast) and requires, bit for bit, what
// ForwardFast and BackwardStates give on copies of in and hs taken before
// the step (the Trainer's Forward overwrites its last results, which in
// and hs may be). With gouts nil, the output gradients are the step's own
// outputs: ForwardFast's for BackwardStates, and for the Trainer's Backward
// the outputs its Forward returned (its own memory).
func checkTrainerStep(t *testing.T, what string, m *convlstm.ConvLSTM, tr *Trainer, in *convlstm.Tensor, hs []convlstm.State, gouts []*convlstm.Tensor, glast []convlstm.State, needInput bool) ([]*convlstm.Tensor, []convlstm.State) {
	t.Helper()
	tape, wo, ws, err := ForwardFast(m, in.Clone(), cloneStates(hs))
	if err != nil {
		t.Fatal(err)
	}
	ownOutputs := gouts == nil
	if ownOutputs {
		gouts = wo
	}
	want, err := BackwardStates(tape, gouts, glast)
	if err != nil {
		t.Fatal(err)
	}
	outs, states, err := tr.Forward(in, hs)
	if err != nil {
		t.Fatal(err)
	}
	if ownOutputs {
		gouts = outs // the Trainer's own memory, bit for bit wo
	}
	for l := range wo {
		sameBits(t, what+": output", wo[l], outs[l])
		sameBits(t, what+": h", ws[l].H, states[l].H)
		sameBits(t, what+": c", ws[l].C, states[l].C)
	}
	got, err := tr.Backward(gouts, glast, needInput)
	if err != nil {
		t.Fatal(err)
	}
	if needInput {
		sameBits(t, what+": dinput", want.Input, got.Input)
	}
	for k, w := range want.Weights {
		sameBits(t, what+": "+k, w, got.Weights[k])
	}
	for l, s := range want.HiddenState {
		sameBits(t, what+": dh0", s.H, got.HiddenState[l].H)
		sameBits(t, what+": dc0", s.C, got.HiddenState[l].C)
	}
	return outs, states
}

// TestTrainerStatesFedBack: truncated BPTT, a Trainer whose next Forward
// starts from the last states its previous Forward returned (the
// Trainer's own memory, which that Forward overwrites), and a one-layer
// Trainer fed its own output as its next input, give the weight, input
// and initial-state gradients of ForwardFast and BackwardStates on copies,
// bit for bit.
func TestTrainerStatesFedBack(t *testing.T) {
	for _, c := range []struct {
		name     string
		cin      int
		hidden   []int
		feedBack bool // the output is the next input
	}{
		{"states", 2, []int{8, 32}, false},
		{"output and states", 16, []int{16}, true},
	} {
		for _, peephole := range []bool{false, true} {
			rng := rand.New(rand.NewSource(1))
			ks := make([][2]int, len(c.hidden))
			for i := range ks {
				ks[i] = [2]int{3, 3}
			}
			convlstm.ManualSeed(1)
			m, err := convlstm.New(convlstm.Config{InputDim: c.cin, HiddenDim: c.hidden, KernelSize: ks, NumLayers: len(c.hidden),
				BatchFirst: true, Bias: true, ReturnAllLayers: true, Peephole: peephole, ImageSize: [2]int{7, 9}})
			if err != nil {
				t.Fatal(err)
			}
			for _, cell := range m.CellList {
				for _, p := range []*convlstm.Tensor{cell.WCi, cell.WCf, cell.WCo} {
					if p != nil {
						copy(p.Data, randTensor(rng, p.Shape...).Data)
					}
				}
			}
			x := randTensor(rng, 2, 3, c.cin, 7, 9)
			var gouts []*convlstm.Tensor
			for _, hid := range c.hidden {
				gouts = append(gouts, randTensor(rng, 2, 3, hid, 7, 9))
			}
			tr := NewTrainer(m)
			var states []convlstm.State
			in := x
			for step := 0; step < 4; step++ {
				var outs []*convlstm.Tensor
				outs, states = checkTrainerStep(t, c.name, m, tr, in, states, gouts, nil, true)
				if c.feedBack {
					in = outs[0]
				}
			}
		}
	}
}

// TestTrainerConcurrentUse: two goroutines stepping one Trainer at once
// get an error that says it is in use (from Forward or Backward), and the
// race detector reports nothing.
func TestTrainerConcurrentUse(t *testing.T) {
	m, err := convlstm.NewConvLSTM(2, 8, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := randTensor(rand.New(rand.NewSource(2)), 2, 4, 2, 16, 16)
	tr := NewTrainer(m)
	var mu sync.Mutex
	inUse := 0
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				outs, _, err := tr.Forward(x, nil)
				if err == nil {
					_, err = tr.Backward(outs, nil, true)
				}
				if err == nil {
					continue
				}
				if !strings.Contains(err.Error(), "in use") && !strings.Contains(err.Error(), "no Forward") {
					t.Errorf("unexpected error: %v", err)
					return
				}
				mu.Lock()
				if strings.Contains(err.Error(), "in use") {
					inUse++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if inUse == 0 {
		t.Fatal("two goroutines stepping one Trainer 30 times each: no call said it was in use")
	}
}

// TestNilAndZeroValues: nil and zero-value models, tapes and Trainers give
// the training entry points an error, not a panic.
func TestNilAndZeroValues(t *testing.T) {
	x := convlstm.Zeros(1, 2, 1, 4, 4)
	var nilTrainer *Trainer
	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"Forward(nil)", func() error { _, _, _, err := Forward(nil, x, nil); return err }, "model is nil"},
		{"ForwardFast(nil)", func() error { _, _, _, err := ForwardFast(nil, x, nil); return err }, "model is nil"},
		{"ForwardFast(zero model)", func() error { _, _, _, err := ForwardFast(&convlstm.ConvLSTM{}, x, nil); return err }, "input_dim"},
		{"NewTrainer(nil).Forward", func() error { _, _, err := NewTrainer(nil).Forward(x, nil); return err }, "no model"},
		{"nil Trainer Forward", func() error { _, _, err := nilTrainer.Forward(x, nil); return err }, "no model"},
		{"nil Trainer Backward", func() error { _, err := nilTrainer.Backward(nil, nil, true); return err }, "Trainer is nil"},
		{"zero Trainer Forward", func() error { var tr Trainer; _, _, err := tr.Forward(x, nil); return err }, "no model"},
		{"zero Trainer Backward", func() error { var tr Trainer; _, err := tr.Backward(nil, nil, true); return err }, "no Forward"},
		{"Backward(nil)", func() error { _, err := Backward(nil, nil); return err }, "tape is nil"},
		{"Backward(zero tape)", func() error { _, err := Backward(&Tape{}, nil); return err }, "tape is nil"},
		{"BackwardStates(zero tape)", func() error { _, err := BackwardStates(&Tape{}, nil, nil); return err }, "tape is nil"},
		{"BackwardWeights(zero tape)", func() error { _, err := BackwardWeights(&Tape{}, nil); return err }, "tape is nil"},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.ErrorNotPanic(t, c.call, c.want) })
	}
}
