//go:build amd64 && !purego

package convlstm

// fmaLoopAVX512 runs n iterations of 24 independent zmm FMAs (gemm_amd64.s).
//
//go:noescape
func fmaLoopAVX512(n int)

// fmaLoopFLOPs is the FLOP count of one iteration of fmaLoop.
var fmaLoopFLOPs = 24 * 16 * 2.0

func init() {
	if !useAsm {
		fmaLoopFLOPs = fmaLoopGoFLOPs
	}
}

func fmaLoop(n int) {
	if useAsm {
		fmaLoopAVX512(n)
		return
	}
	fmaLoopGo(n)
}
