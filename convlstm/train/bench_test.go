package train

import (
	"fmt"
	"testing"

	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/optim"
)

// BenchmarkNextFrameStep/{16x16,64x64}: one training step of the
// next-frame model of make train (hidden [16], 3x3, the 1x1 head; batch
// 16 of 10 frames; Loop's step: LossAndGrad on the fast path through
// the model's bptt.Trainer, clipping to norm 1, Adam), reported in
// steps/s. Its PyTorch twin is
// BenchmarkTorchNextFrameStep of testdata/bench_torch.py (make
// bench-torch). The batch is drawn once, outside the timing.
func BenchmarkNextFrameStep(b *testing.B) {
	for _, size := range []int{16, 64} {
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			m, err := NewModel([]int{16}, 3, 1)
			if err != nil {
				b.Fatal(err)
			}
			gen, err := movingshapes.New(movingshapes.Config{Size: size, Frames: 10}, 1)
			if err != nil {
				b.Fatal(err)
			}
			batch, err := gen.Batch(16)
			if err != nil {
				b.Fatal(err)
			}
			st := &stepper{params: m.StateDict(), lossAndGrad: m.LossAndGrad, adam: optim.NewAdam(), clipNorm: 1, label: "bench"}
			st.adam.LR = 1e-2
			step := func() {
				if _, err := st.step(batch, 0); err != nil {
					b.Fatal(err)
				}
			}
			step() // warm-up
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
