package convlstm

import (
	"testing"
	"time"
)

// BenchmarkForward/{naive,fast}/{mnist,wide,deep}: one forward pass of the
// three benchmark shapes, reported in GFLOP/s of the convolutions
// (BenchConfig.FLOPs). The naive ones take seconds per run: use a small
// -benchtime (make bench does).
func BenchmarkForward(b *testing.B) {
	for _, path := range []ConvPath{Naive, Fast} {
		b.Run(path.String(), func(b *testing.B) {
			for _, cfg := range BenchConfigs() {
				b.Run(cfg.Name, func(b *testing.B) {
					m, x, err := cfg.Model()
					if err != nil {
						b.Fatal(err)
					}
					m.Path = path
					if path == Fast { // warm the workspace pool
						if _, _, err := m.Forward(x, nil); err != nil {
							b.Fatal(err)
						}
					}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, _, err := m.Forward(x, nil); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		})
	}
}

// BenchmarkPeak is the machine's float32 FMA peak on all cores.
func BenchmarkPeak(b *testing.B) {
	var g float64
	for i := 0; i < b.N; i++ {
		g = PeakGFLOPS(time.Second)
	}
	b.ReportMetric(g, "GFLOP/s")
}

// BenchmarkFusedStep is one recurrent time step of the fast path (the
// fused product and gate epilogue) of each shape's first layer, and
// BenchmarkGemm a plain sgemm of the wide shape's step size: compare both
// with BenchmarkPeak.
func BenchmarkFusedStep(b *testing.B) {
	for _, cfg := range BenchConfigs() {
		b.Run(cfg.Name, func(b *testing.B) {
			var g float64
			var err error
			for i := 0; i < b.N; i++ {
				if g, err = FastStepGFLOPS(cfg, 5); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(g, "GFLOP/s")
		})
	}
}

func BenchmarkGemm(b *testing.B) {
	var g float64
	var err error
	for i := 0; i < b.N; i++ {
		if g, err = GemmGFLOPS(256, 2048, 1600, 5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(g, "GFLOP/s")
}

// BenchmarkForwardLevels/{generic,avx2,avx512}/{mnist,wide,deep}: the fast
// forward pass of BenchmarkForward with its kernels forced to each level
// the CPU supports, in GFLOP/s.
func BenchmarkForwardLevels(b *testing.B) {
	for _, l := range kernelLevels() {
		b.Run(l.String(), func(b *testing.B) {
			_, old := setKernelLevel(l)
			defer setKernelLevel(old)
			for _, cfg := range BenchConfigs() {
				b.Run(cfg.Name, func(b *testing.B) {
					m, x, err := cfg.Model()
					if err != nil {
						b.Fatal(err)
					}
					m.Path = Fast
					if _, _, err := m.Forward(x, nil); err != nil { // warm the workspace pool
						b.Fatal(err)
					}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, _, err := m.Forward(x, nil); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		})
	}
}
