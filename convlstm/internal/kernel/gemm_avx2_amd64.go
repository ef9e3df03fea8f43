//go:build amd64 && !purego

package kernel

// The AVX2+FMA3 kernels. A ymm register holds 8 float32 and there are 16 of
// them, too few for the 8 x 48 tile (48 accumulators): the kernels below
// compute it in four 4 x 24 quarters (12 accumulators, 3 B vectors and one
// broadcast A value), reading the same packed panels as the AVX-512 and Go
// kernels. The quarters go column half by column half, so that the 24
// columns of the B strip the two row halves share stay in L1.

// kernel4x24AVX2 is C[0:4, 0:24] += sum_k a[k*8+i] * b[k*48+j] over kc
// steps (gemm_avx2_amd64.s): a points at the first of the 4 rows in an
// 8-row A panel, b at the first of the 24 columns in a 48-column B strip.
//
//go:noescape
func kernel4x24AVX2(kc int, a, b, c *float32, ldc int)

// kernelTaps4x24AVX2 is the 4 x 24 quarter of kernelTapsAVX512: over ntap
// blocks of kc rows, C[0:4, 0:24] (+)= sum_t sum_k a[(t*kc+k)*8+i] *
// b[offs[t]+k*ldb+j], set to bias[i] + the sum when bias != nil.
//
//go:noescape
func kernelTaps4x24AVX2(ntap, kc int, a, b, c *float32, ldb int, offs *int, ldc int, bias *float32)

// avx2Chunk is how many steps of k the four quarters run on before moving
// on: the 8 x 48 tile is too big for the ymm registers, so each quarter
// reads the A panel and B strip again, and a chunk of them (128 steps: 4 KB
// of A, 24 KB of B) stays in L1 for the other three quarters, which
// otherwise read them again from L2 (the tile's partial sums go through C,
// 1.5 KB, which stays in L1 too).
const avx2Chunk = 128

func kernelAsmAVX2(kc int, a, b, c []float32, ldc int) {
	if kc == 0 {
		return
	}
	// Bounds the assembly relies on, checked once per tile.
	_ = a[kc*MR-1]
	_ = b[kc*NR-1]
	_ = c[(MR-1)*ldc+NR-1]
	for k0 := 0; k0 < kc; k0 += avx2Chunk {
		n := min(avx2Chunk, kc-k0)
		ak, bk := a[k0*MR:], b[k0*NR:]
		for j := 0; j < NR; j += 24 {
			for i := 0; i < MR; i += 4 {
				kernel4x24AVX2(n, &ak[i], &bk[j], &c[i*ldc+j], ldc)
			}
		}
	}
}

func kernelTapsAsmAVX2(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) {
	if ntap == 0 || kc == 0 {
		kernelTapsGo(ntap, kc, a, b, c, ldb, offs, ldc, bias)
		return
	}
	offs = checkTaps(ntap, kc, a, b, c, ldb, offs, ldc, bias)
	// Chunks of whole taps of about avx2Chunk steps, or chunks of one
	// tap's steps when a tap has more; the first chunk sets C to the bias.
	tapsPer, kcPer := max(1, avx2Chunk/kc), min(kc, avx2Chunk)
	for t0 := 0; t0 < ntap; t0 += tapsPer {
		nt := min(tapsPer, ntap-t0)
		for k0 := 0; k0 < kc; k0 += kcPer {
			n := min(kcPer, kc-k0)
			ak, bk := a[(t0*kc+k0)*MR:], b[k0*ldb:]
			for j := 0; j < NR; j += 24 {
				for i := 0; i < MR; i += 4 {
					var bp *float32
					if bias != nil {
						bp = &bias[i]
					}
					kernelTaps4x24AVX2(nt, n, &ak[i], &bk[j], &c[i*ldc+j], ldb, &offs[t0], ldc, bp)
				}
			}
			bias = nil
		}
	}
}
