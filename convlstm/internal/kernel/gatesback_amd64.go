//go:build amd64 && !purego

package kernel

// gatesBackwardAVX512 is GatesBackward on n pixels, n a multiple of 16, cp
// never nil (gatesback_amd64.s).
//
//go:noescape
func gatesBackwardAVX512(gi, gf, gO, gg, cn, cp, dh, dc, dz *float32, ldz, n int)

// zeroRow is the cp of a step whose previous cell state is zero.
var zeroRow [1024]float32

// cpChunk returns what to pass as cp for the next k pixels from done: a
// pointer into cp, or, for a zero previous state (cp nil), into zeroRow,
// with k cut to its length.
func cpChunk(cp []float32, done, k int) (*float32, int) {
	if cp != nil {
		_ = cp[done+k-1]
		return &cp[done], k
	}
	return &zeroRow[0], min(k, len(zeroRow))
}

// gatesBackwardVec runs the AVX-512 GatesBackward on the longest multiple
// of 16 pixels of the row, at the AVX-512 level, and returns how many it did.
func gatesBackwardVec(gi, gf, gO, gg, cn, cp, dh, dc, dz []float32, ldz int) int {
	n := len(cn) &^ 15
	if current != AVX512 || n == 0 {
		return 0
	}
	for done := 0; done < n; {
		c0, k := cpChunk(cp, done, n-done)
		gatesBackwardAVX512(&gi[done], &gf[done], &gO[done], &gg[done], &cn[done], c0, &dh[done], &dc[done], &dz[done], ldz, k)
		done += k
	}
	return n
}

// gatesBackwardPeepholeAVX512 is GatesBackwardPeephole on n pixels, n a
// multiple of 16, cp never nil (gatesback_amd64.s).
//
//go:noescape
func gatesBackwardPeepholeAVX512(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco *float32, n int)

// gatesBackwardPeepholeVec runs the AVX-512 GatesBackwardPeephole on the
// longest multiple of 16 pixels of the row, at the AVX-512 level, and
// returns how many it did.
func gatesBackwardPeepholeVec(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco []float32) int {
	n := len(cn) &^ 15
	if current != AVX512 || n == 0 {
		return 0
	}
	_, _, _, _, _, _, _, _ = gi[n-1], gf[n-1], gO[n-1], gg[n-1], dh[n-1], dc[n-1], di[n-1], df[n-1]
	_, _, _, _, _, _, _, _ = do[n-1], dg[n-1], wci[n-1], wcf[n-1], wco[n-1], dwci[n-1], dwcf[n-1], dwco[n-1]
	for done := 0; done < n; {
		c0, k := cpChunk(cp, done, n-done)
		gatesBackwardPeepholeAVX512(&gi[done], &gf[done], &gO[done], &gg[done], &cn[done], c0, &dh[done], &dc[done],
			&di[done], &df[done], &do[done], &dg[done], &wci[done], &wcf[done], &wco[done], &dwci[done], &dwcf[done], &dwco[done], k)
		done += k
	}
	return n
}
