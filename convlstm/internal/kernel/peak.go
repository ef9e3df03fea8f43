package kernel

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// fmaLoopGoFLOPs is the FLOP count of one iteration of fmaLoopGo.
const fmaLoopGoFLOPs = 8 * 2

var fmaSink float32

// fmaLoopGo is the portable peak loop: 8 independent multiply-add chains.
func fmaLoopGo(n int) {
	var a0, a1, a2, a3, a4, a5, a6, a7 float32
	x, y := float32(0.999), float32(1e-7)
	for i := 0; i < n; i++ {
		a0 = a0*x + y
		a1 = a1*x + y
		a2 = a2*x + y
		a3 = a3*x + y
		a4 = a4*x + y
		a5 = a5*x + y
		a6 = a6*x + y
		a7 = a7*x + y
	}
	fmaSink = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7
}

// PeakGFLOPS measures the machine's float32 peak: independent vector FMA
// chains (AVX-512 or AVX2 when the CPU has them, else scalar Go) on every
// core. It runs 10 trials of about d/10 each and returns the best, in
// GFLOP/s over all cores (the best trial is the one least disturbed by
// other work).
func PeakGFLOPS(d time.Duration) float64 {
	nw := runtime.GOMAXPROCS(0)
	const iters = 1 << 18
	start := time.Now()
	fmaLoop(iters)
	calls := max(1, int(d/10/max(time.Since(start), time.Microsecond)))
	best := 0.0
	for trial := 0; trial < 10; trial++ {
		var wg sync.WaitGroup
		start = time.Now()
		for w := 0; w < nw; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < calls; i++ {
					fmaLoop(iters)
				}
			}()
		}
		wg.Wait()
		best = max(best, float64(nw*calls*iters)*fmaLoopFLOPs/time.Since(start).Seconds()/1e9)
	}
	return best
}

// GemmGFLOPS times one Sgemm C = A.B of m x k by k x n on all cores and
// returns its GFLOP/s, best of reps.
func GemmGFLOPS(m, n, k, reps int) (float64, error) {
	if m <= 0 || n <= 0 || k <= 0 || float64(m)*float64(n)+float64(m)*float64(k)+float64(k)*float64(n) > 1<<28 {
		return 0, fmt.Errorf("GemmGFLOPS: sizes %d x %d x %d must be positive with at most 2^28 values in all", m, n, k)
	}
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range b {
		b[i] = float32(i%5) - 2
	}
	best := time.Duration(0)
	for r := 0; r < max(reps, 1)+1; r++ {
		start := time.Now()
		Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
		if d := time.Since(start); r > 0 && (best == 0 || d < best) {
			best = d
		}
	}
	return 2 * float64(m) * float64(n) * float64(k) / best.Seconds() / 1e9, nil
}
