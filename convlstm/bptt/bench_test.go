package bptt

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// BenchmarkTrainStep/{mnist,wide,deep}: one training step on the fast path,
// ForwardFast (the forward recording its tape) plus BackwardWeights (no
// input gradient), on the shapes of BenchmarkForward. GFLOP/s counts 3x the
// forward's gate convolutions (forward, and the two products of the
// backward).
func BenchmarkTrainStep(b *testing.B) {
	for _, cfg := range bench.Configs() {
		b.Run(cfg.Name, func(b *testing.B) {
			m, x, err := cfg.Model()
			if err != nil {
				b.Fatal(err)
			}
			step := func() {
				tape, outs, _, err := ForwardFast(m, x, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := BackwardWeights(tape, []*convlstm.Tensor{outs[0]}); err != nil {
					b.Fatal(err)
				}
			}
			step() // warm up
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			b.ReportMetric(3*cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
