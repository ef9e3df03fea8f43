package fast

import (
	"testing"

	"example.com/convlstm/convlstm/internal/bench"
	"example.com/convlstm/convlstm/internal/kernel"
)

// BenchmarkForwardConv/{direct,winograd}/{mnist,wide,deep}: fast.Forward
// with the Winograd convs off (the direct taps kernel) and on, in GFLOP/s
// of the direct conv's count (bench.Config.FLOPs), so the two compare as
// times do.
func BenchmarkForwardConv(b *testing.B) {
	for _, on := range []bool{false, true} {
		name, policy := "direct", kernel.WinoNever
		if on {
			name, policy = "winograd", kernel.WinoAuto
		}
		b.Run(name, func(b *testing.B) {
			for _, cfg := range bench.Configs() {
				b.Run(cfg.Name, func(b *testing.B) {
					defer kernel.SetWinoPolicy(policy)()
					m, x, err := cfg.Model()
					if err != nil {
						b.Fatal(err)
					}
					if _, _, err := Forward(m, x, nil); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, _, err := Forward(m, x, nil); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		})
	}
}
