package fast

import (
	"fmt"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
	"example.com/convlstm/convlstm/internal/par"
)

// Measurements of the fast path's kernels, for make bench and the
// fast-path notebook: how close the products come to the machine's peak.

// PeakGFLOPS measures the machine's float32 peak: independent vector FMA
// chains (AVX-512 or AVX2 when the CPU has them, else scalar Go) on every
// core, best of 10 trials of about d/10 each, in GFLOP/s over all cores.
func PeakGFLOPS(d time.Duration) float64 { return kernel.PeakGFLOPS(d) }

// GemmGFLOPS times one plain matrix product C = A.B of m x k by k x n with
// the fast path's kernels on all cores and returns its GFLOP/s, best of
// reps. Sizes must be positive with at most 2^28 values in all.
func GemmGFLOPS(m, n, k, reps int) (float64, error) { return kernel.GemmGFLOPS(m, n, k, reps) }

// StepGFLOPS times the recurrent time steps of the first layer of m on
// input (a valid Forward input with at least two time steps): the fused
// product Wh . im2col(h) and the gate epilogue (on the taps path, which
// layers with hidden >= 16 take, the input product too, and the FLOPs
// count both). It returns GFLOP/s, best of reps, counting the products'
// FLOPs only.
func StepGFLOPS(m *convlstm.ConvLSTM, input *convlstm.Tensor, reps int) (float64, error) {
	if err := m.CheckForward(input, nil); err != nil {
		return 0, err
	}
	b, t, h, w := input.Shape[0], input.Shape[1], input.Shape[3], input.Shape[4]
	if !m.BatchFirst {
		b, t = t, b
	}
	if t < 2 {
		return 0, fmt.Errorf("fast: StepGFLOPS: input has %d time steps, want at least 2", t)
	}
	cell := m.CellList[0]
	ws := &fastWorkspace{direct: true}
	pool := &ws.pool
	pool.reset(par.Workers())
	l := ws.layer(0, cell, input.Data, b, t, h, w, nil, nil, false)
	l.xTimeMajor = !m.BatchFirst
	l.runInput(pool)
	l.runStep(pool, 0)
	best := time.Duration(0)
	for r := 0; r < max(reps, 1); r++ {
		start := time.Now()
		for s := 1; s < t; s++ {
			l.runStep(pool, s)
		}
		if d := time.Since(start) / time.Duration(t-1); best == 0 || d < best {
			best = d
		}
	}
	if pool.err != nil {
		return 0, pool.err
	}
	hid := cell.HiddenDim
	k := hid
	if l.taps { // the input product is done within the steps too
		k += cell.InputDim
	}
	flops := 2 * float64(4*hid) * float64(k*cell.KernelSize[0]*cell.KernelSize[1]) * float64(b*h*w)
	return flops / best.Seconds() / 1e9, nil
}
