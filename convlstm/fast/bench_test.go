package fast_test

import (
	"testing"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/bench"
	"example.com/convlstm/convlstm/internal/kernel"
)

// forwardFunc is the signature both forwards share.
type forwardFunc = func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error)

// BenchmarkForward/{naive,fast}/{mnist,wide,deep}: one forward pass of the
// three benchmark shapes, the readable m.Forward ("naive") and fast.Forward,
// reported in GFLOP/s of the convolutions (bench.Config.FLOPs). The naive
// ones take seconds per run: use a small -benchtime (make bench does).
func BenchmarkForward(b *testing.B) {
	for _, p := range []struct {
		name string
		fwd  forwardFunc
	}{{"naive", (*convlstm.ConvLSTM).Forward}, {"fast", fast.Forward}} {
		b.Run(p.name, func(b *testing.B) {
			bench.Each(b, func(b *testing.B, cfg bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor) {
				benchForward(b, cfg, m, x, p.fwd)
			})
		})
	}
}

// benchForward times fwd on the shape cfg's model m and input x.
func benchForward(b *testing.B, cfg bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor, fwd forwardFunc) {
	if _, _, err := fwd(m, x, nil); err != nil { // warm the workspace pool
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := fwd(m, x, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(cfg.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkForwardConv/{direct,winograd}/{mnist,wide,deep}: fast.Forward
// with Winograd's algorithm off (the direct taps kernel) and on, in GFLOP/s
// of the direct conv's count (bench.Config.FLOPs), so the two compare as
// times do.
func BenchmarkForwardConv(b *testing.B) {
	for _, p := range []struct {
		name   string
		policy kernel.WinoPolicy
	}{{"direct", kernel.WinoNever}, {"winograd", kernel.WinoAuto}} {
		b.Run(p.name, func(b *testing.B) {
			defer kernel.SetWinoPolicy(p.policy)()
			bench.Each(b, func(b *testing.B, cfg bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor) {
				benchForward(b, cfg, m, x, fast.Forward)
			})
		})
	}
}

// BenchmarkPeak is the machine's float32 FMA peak on all cores.
func BenchmarkPeak(b *testing.B) {
	var g float64
	for i := 0; i < b.N; i++ {
		g = fast.PeakGFLOPS(time.Second)
	}
	b.ReportMetric(g, "GFLOP/s")
}

// BenchmarkFusedStep is one recurrent time step of the fast path (the
// fused product and gate epilogue) of each shape's first layer, and
// BenchmarkGemm a plain product of the wide shape's step size: compare both
// with BenchmarkPeak.
func BenchmarkFusedStep(b *testing.B) {
	bench.Each(b, func(b *testing.B, _ bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor) {
		var g float64
		var err error
		for i := 0; i < b.N; i++ {
			if g, err = fast.StepGFLOPS(m, x, 5); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(g, "GFLOP/s")
	})
}

// BenchmarkGemm is a plain product of the wide shape's step size.
func BenchmarkGemm(b *testing.B) {
	var g float64
	var err error
	for i := 0; i < b.N; i++ {
		if g, err = fast.GemmGFLOPS(256, 2048, 1600, 5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(g, "GFLOP/s")
}

// BenchmarkForwardLevels/{generic,avx2,avx512}/{mnist,wide,deep}: the fast
// forward pass of BenchmarkForward with its kernels forced to each level
// the CPU supports, in GFLOP/s.
func BenchmarkForwardLevels(b *testing.B) {
	for _, l := range kernel.Levels() {
		b.Run(l.String(), func(b *testing.B) {
			defer kernel.Use(l)()
			bench.Each(b, func(b *testing.B, cfg bench.Config, m *convlstm.ConvLSTM, x *convlstm.Tensor) {
				benchForward(b, cfg, m, x, fast.Forward)
			})
		})
	}
}
