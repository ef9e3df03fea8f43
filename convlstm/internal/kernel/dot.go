package kernel

// The dot-product tile of the weight gradient.
//
// The weight gradient of a conv is dW = dZ · cols^T: both operands hold
// their long axis (the pixels) contiguously, so the outer-product kernel
// above would first have to transpose both into panels. DotTile instead
// reads them in place and multiplies along the pixels, 16 at a time in a
// vector lane each, in a tile of DotMR rows of A (gate-gradient rows) by
// DotNR rows of B (input rows, each at its own offset: a channel shifted by
// a kernel tap), and sums the lanes once at the end.

// DotMR and DotNR are the rows of A and of B in one DotTile.
const (
	DotMR = 4
	DotNR = 6
)

// dotKernel is the DotTile of the current level: dotAVX512 or dotGo.
var dotKernel = dotGo

// DotTile sets out[i*DotNR+j], for i < DotMR and j < DotNR, to
//
//	sum over s < nseg, k < n of a[i*lda + s*stride + k] * b[boffs[j] + s*stride + k]
//
// the dot products of DotMR rows of a (row stride lda) with DotNR rows of b
// (starting at boffs[j]) over nseg segments of n values, stride apart.
func DotTile(nseg, n, stride int, a []float32, lda int, b []float32, boffs *[DotNR]int, out *[DotMR * DotNR]float32) {
	dotKernel(nseg, n, stride, a, lda, b, boffs, out)
}

// dotGo is the portable DotTile: one float32 sum per output, in order.
func dotGo(nseg, n, stride int, a []float32, lda int, b []float32, boffs *[DotNR]int, out *[DotMR * DotNR]float32) {
	for i := 0; i < DotMR; i++ {
		for j := 0; j < DotNR; j++ {
			var s float32
			for sg := 0; sg < nseg; sg++ {
				ar := a[i*lda+sg*stride:][:n]
				br := b[boffs[j]+sg*stride:][:n]
				for k, v := range ar {
					s += v * br[k]
				}
			}
			out[i*DotNR+j] = s
		}
	}
}
