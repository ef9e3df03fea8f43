//go:build !amd64 || purego

package kernel

// fusedGatesVec does nothing on this build: the Go loops do every pixel.
func fusedGatesVec(gi, gf, gO, gg, c, h []float32, keep bool) int { return 0 }

func gatesBackwardVec(gi, gf, gO, gg, cn, cp, dh, dc, dz []float32, ldz int) int { return 0 }

// fusedGatesPeepholeVec does nothing on this build: the Go loop does every
// pixel.
func fusedGatesPeepholeVec(gi, gf, gO, gg, wci, wcf, wco, c, h []float32, keep bool) int {
	return 0
}

func gatesBackwardPeepholeVec(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco []float32) int {
	return 0
}
