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

// fusedGatesVec runs the vector epilogue of the kernel Level on the longest
// multiple of its lane count of the row and returns how many pixels it did.
func fusedGatesVec(gi, gf, gO, gg, c, h []float32, keep bool) int {
	var n int
	switch current {
	case AVX512:
		n = len(c) &^ 15
	case AVX2:
		n = len(c) &^ 7
	}
	if n == 0 {
		return 0
	}
	_, _, _, _, _ = gi[n-1], gf[n-1], gO[n-1], gg[n-1], h[n-1]
	k := 0
	if keep {
		k = 1
	}
	if current == AVX512 {
		fusedGatesAVX512(&gi[0], &gf[0], &gO[0], &gg[0], &c[0], &h[0], n, k)
	} else {
		fusedGatesAVX2(&gi[0], &gf[0], &gO[0], &gg[0], &c[0], &h[0], n, k)
	}
	return n
}
