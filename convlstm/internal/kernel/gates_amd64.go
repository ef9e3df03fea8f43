//go:build amd64 && !purego

package kernel

// fusedGatesAVX512 is FusedGates (keep == 0) or FusedGatesKeep (keep != 0)
// on n pixels, n a multiple of 16, in fast_amd64.s.
//
//go:noescape
func fusedGatesAVX512(gi, gf, gO, gg, c, h *float32, n, keep int)

// fusedGatesAVX2 is the same on n pixels, n a multiple of 8, with ymm
// registers (fast_avx2_amd64.s).
//
//go:noescape
func fusedGatesAVX2(gi, gf, gO, gg, c, h *float32, n, keep int)

// fusedGatesPeepholeAVX512 is FusedGatesPeephole on n pixels, n a multiple
// of 16, in gates_amd64.s.
//
//go:noescape
func fusedGatesPeepholeAVX512(gi, gf, gO, gg, wci, wcf, wco, c, h *float32, n, keep int)

// fusedGatesPeepholeVec runs the AVX-512 peephole epilogue on the row (the
// last len(c) mod 16 pixels through a zero-padded vector on the stack) and
// returns how many pixels it did: all of them at AVX-512, none below.
func fusedGatesPeepholeVec(gi, gf, gO, gg, wci, wcf, wco, c, h []float32, keep bool) int {
	if current != AVX512 {
		return 0
	}
	k := 0
	if keep {
		k = 1
	}
	n := len(c) &^ 15
	if n > 0 {
		_, _, _, _, _, _, _, _ = gi[n-1], gf[n-1], gO[n-1], gg[n-1], wci[n-1], wcf[n-1], wco[n-1], h[n-1]
		fusedGatesPeepholeAVX512(&gi[0], &gf[0], &gO[0], &gg[0], &wci[0], &wcf[0], &wco[0], &c[0], &h[0], n, k)
	}
	if rem := len(c) - n; rem > 0 {
		var t [9][16]float32 // i f o g wci wcf wco c h of the last pixels, zeros past them
		for r, s := range [][]float32{gi, gf, gO, gg, wci, wcf, wco, c} {
			copy(t[r][:rem], s[n:n+rem])
		}
		fusedGatesPeepholeAVX512(&t[0][0], &t[1][0], &t[2][0], &t[3][0], &t[4][0], &t[5][0], &t[6][0], &t[7][0], &t[8][0], 16, k)
		for r, s := range [][]float32{gi, gf, gO, gg, nil, nil, nil, c, h} { // not the weights
			if s != nil && (r >= 4 || keep) {
				copy(s[n:n+rem], t[r][:rem])
			}
		}
	}
	return len(c)
}

// fusedGatesVec runs the vector epilogue of the kernel Level on the row and
// returns how many pixels it did: all of them at AVX-512 and AVX2, the
// last len(c) mod lanes (a row of 24 pixels has 8) through a zero-padded
// vector on the stack.
func fusedGatesVec(gi, gf, gO, gg, c, h []float32, keep bool) int {
	lanes := 0
	switch current {
	case AVX512:
		lanes = 16
	case AVX2:
		lanes = 8
	default:
		return 0
	}
	k := 0
	if keep {
		k = 1
	}
	n := len(c) &^ (lanes - 1)
	if n > 0 {
		_, _, _, _, _ = gi[n-1], gf[n-1], gO[n-1], gg[n-1], h[n-1]
		fusedGates(&gi[0], &gf[0], &gO[0], &gg[0], &c[0], &h[0], n, k)
	}
	if rem := len(c) - n; rem > 0 {
		var t [6][16]float32 // i f o g c h of the last pixels, zeros past them
		for r, s := range [][]float32{gi, gf, gO, gg, c} {
			copy(t[r][:rem], s[n:n+rem])
		}
		fusedGates(&t[0][0], &t[1][0], &t[2][0], &t[3][0], &t[4][0], &t[5][0], lanes, k)
		for r, s := range [][]float32{gi, gf, gO, gg, c, h} {
			if r < 4 && !keep {
				continue
			}
			copy(s[n:n+rem], t[r][:rem])
		}
	}
	return len(c)
}

// fusedGates runs the assembly epilogue of the current level on n pixels,
// n a multiple of its lane count.
func fusedGates(gi, gf, gO, gg, c, h *float32, n, keep int) {
	if current == AVX512 {
		fusedGatesAVX512(gi, gf, gO, gg, c, h, n, keep)
	} else {
		fusedGatesAVX2(gi, gf, gO, gg, c, h, n, keep)
	}
}
