package convlstm

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
