package bptt

import (
	"fmt"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// BenchmarkTrainStep/{mnist,wide,deep}: one training step on the fast path
// by a Trainer, Forward (the forward recording its tape) plus Backward of
// the weights (no input gradient), on the shapes of BenchmarkForward: no
// allocation after the first step (-benchmem). GFLOP/s counts 3x the
// forward's gate convolutions (forward, and the two products of the
// backward).
func BenchmarkTrainStep(b *testing.B) {
	bench.Each(b, func(b *testing.B, cfg bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor) {
		step := trainerStep(b, NewTrainer(m), x, nil, false)
		step() // warm up
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			step()
		}
		b.ReportMetric(3*cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkTrainLadder: the training step of BenchmarkTrainStep (one layer,
// 3x3, batch 2, input 1 channel) along three ladders, each changing one
// size of a base of 32x32 frames, T = 8, hidden 16: the frame side
// (hw=16x16 ... 64x64), the sequence length (t=4 ... 16) and the hidden
// size (hid=8 ... 32). It reports, beside the time, the time per pixel of
// the whole sequence (ns per B*T*H*W): flat along hw and t if the cost grows
// linearly in H*W*T; along hid the work grows like hid^2.
func BenchmarkTrainLadder(b *testing.B) {
	type rung struct {
		name       string
		side, t, h int
	}
	var rungs []rung
	for _, s := range []int{16, 24, 32, 48, 64} {
		rungs = append(rungs, rung{fmt.Sprintf("hw=%dx%d", s, s), s, 8, 16})
	}
	for _, t := range []int{4, 8, 16} {
		rungs = append(rungs, rung{fmt.Sprintf("t=%d", t), 32, t, 16})
	}
	for _, h := range []int{8, 16, 32} {
		rungs = append(rungs, rung{fmt.Sprintf("hid=%d", h), 32, 8, h})
	}
	for _, r := range rungs {
		b.Run(r.name, func(b *testing.B) {
			cfg := bench.Config{Name: r.name, B: 2, T: r.t, C: 1, H: r.side, W: r.side, Hidden: []int{r.h}, Kernel: [2]int{3, 3}, BatchFirst: true}
			m, x, err := cfg.Model()
			if err != nil {
				b.Fatal(err)
			}
			step := trainerStep(b, NewTrainer(m), x, nil, false)
			step()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			per := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(cfg.B*cfg.T*cfg.H*cfg.W)
			b.ReportMetric(per, "ns/pixel")
		})
	}
}

// trainerStep returns one training step of tr on x from the states hs:
// Forward, then Backward with the outputs as their own gradients, with the
// input gradient if needInput.
func trainerStep(tb testing.TB, tr *Trainer, x *convlstm.Tensor, hs []convlstm.State, needInput bool) func() {
	return func() {
		outs, _, err := tr.Forward(x, hs)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := tr.Backward(outs, nil, needInput); err != nil {
			tb.Fatal(err)
		}
	}
}
