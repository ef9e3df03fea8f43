//go:build amd64 && !purego

package kernel

// fmaLoopAVX512 runs n iterations of 24 independent zmm FMAs (gemm_amd64.s).
//
//go:noescape
func fmaLoopAVX512(n int)

// fmaLoopAVX2 runs n iterations of 12 independent ymm FMAs (gemm_avx2_amd64.s).
//
//go:noescape
func fmaLoopAVX2(n int)

// fmaLoopFLOPs is the FLOP count of one iteration of fmaLoop, which runs
// the peak loop of the CPU's best level.
var fmaLoopFLOPs = map[Level]float64{
	Generic: fmaLoopGoFLOPs,
	AVX2:    12 * 8 * 2,
	AVX512:  24 * 16 * 2,
}[best]

func fmaLoop(n int) {
	switch best {
	case AVX512:
		fmaLoopAVX512(n)
	case AVX2:
		fmaLoopAVX2(n)
	default:
		fmaLoopGo(n)
	}
}
