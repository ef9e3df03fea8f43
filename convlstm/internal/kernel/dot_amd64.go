//go:build amd64 && !purego

package kernel

//go:noescape
func dotAVX512(nseg, n, stride int, a *float32, lda int, b *float32, boffs *int, out *float32)

// dotAsm is the AVX-512 DotTile, for segments of whole vectors (n a
// multiple of 16); other lengths go to dotGo.
func dotAsm(nseg, n, stride int, a []float32, lda int, b []float32, boffs *[DotNR]int, out *[DotMR * DotNR]float32) {
	if nseg <= 0 || n <= 0 || n%16 != 0 {
		dotGo(nseg, n, stride, a, lda, b, boffs, out)
		return
	}
	// Bounds the assembly relies on, checked once per tile.
	last := (nseg-1)*stride + n - 1
	_ = a[(DotMR-1)*lda+last]
	for _, o := range boffs {
		_, _ = b[o], b[o+last]
	}
	_ = a[0]
	dotAVX512(nseg, n, stride, &a[0], lda, &b[0], &boffs[0], &out[0])
}
