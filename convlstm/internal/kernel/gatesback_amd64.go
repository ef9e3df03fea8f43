//go:build amd64 && !purego

package kernel

// gatesBackwardAVX512 is GatesBackward on n pixels, n a multiple of 16, cp
// never nil (gatesback_amd64.s).
//
//go:noescape
func gatesBackwardAVX512(gi, gf, gO, gg, cn, cp, dh, dc, dz *float32, ldz, n int)

// zeroRow is the cp of a step whose previous cell state is zero.
var zeroRow [1024]float32

// gatesBackwardVec runs the AVX-512 GatesBackward on the longest multiple
// of 16 pixels of the row, at the AVX-512 level, and returns how many it did.
func gatesBackwardVec(gi, gf, gO, gg, cn, cp, dh, dc, dz []float32, ldz int) int {
	n := len(cn) &^ 15
	if current != AVX512 || n == 0 {
		return 0
	}
	done := 0
	for done < n {
		k := n - done
		var c0 *float32
		if cp != nil {
			_ = cp[done+k-1]
			c0 = &cp[done]
		} else {
			k = min(k, len(zeroRow))
			c0 = &zeroRow[0]
		}
		gatesBackwardAVX512(&gi[done], &gf[done], &gO[done], &gg[done], &cn[done], c0, &dh[done], &dc[done], &dz[done], ldz, k)
		done += k
	}
	return n
}
