package kernel

import "example.com/convlstm/convlstm/internal/par"

// The fast path's matrix product. Everything here is row-major float32.
//
// The loop structure is the one of Goto and van de Geijn's BLAS (and of
// BLIS): C is cut into blocks, the blocks of A and B are copied ("packed")
// into small contiguous panels, and a register-blocked micro-kernel
// multiplies one MR-row panel of A by one NR-column strip of B into an
// MR x NR tile of C held in registers:
//
//	packed A panel: kc x MR values, A[i0+i, k0+k] at [k*MR+i]
//	packed B strip: kc x NR values, B[k0+k, j0+j] at [k*NR+j]
//	tile:           C[i0+i, j0+j] += sum_k Apanel[k*MR+i] * Bstrip[k*NR+j]
//
// The micro-kernel is chosen by kernel Level (level.go): AVX-512 assembly
// on amd64 CPUs that have it (24 zmm accumulators, 8 rows x 48 columns),
// else AVX2+FMA3 assembly (the same tile in four 4 x 24 quarters of 12 ymm
// accumulators, gemm_avx2_amd64.go), else portable Go (also off amd64 and
// under the purego build tag); all compute the same tile from the same
// packed panels and the tests run every Level the CPU has.

const (
	MR = 8   // rows of a micro-tile (rows of C, e.g. gate channels)
	NR = 48  // columns of a micro-tile (columns of C, e.g. pixels)
	KC = 256 // depth of a packed block
	MC = 128 // rows of A packed at once by Sgemm
	NC = 480 // columns of B packed at once by Sgemm (multiple of NR)
)

// microKernel computes C[0:MR, 0:NR] += Apanel * Bstrip over kc steps, C
// having row stride ldc. It is kernelAVX512, kernelAsmAVX2 or kernelGo (see level.go).
var microKernel func(kc int, a, b, c []float32, ldc int) = kernelGo

// kernelGo is the portable micro-kernel: the same MR x NR tile as the
// assembly ones, in plain Go, as 2 x 4 blocks whose 8 sums stay in
// registers (block2x4), over chunks of goChunk steps of k so that the part
// of the B strip the blocks share stays in L1.
func kernelGo(kc int, a, b, c []float32, ldc int) {
	a = a[:kc*MR]
	b = b[:kc*NR]
	for k0 := 0; k0 < kc; k0 += goChunk {
		n := min(goChunk, kc-k0)
		addBlocks(n, a[k0*MR:], b[k0*NR:], NR, c, ldc)
	}
}

// goChunk is the portable kernels' chunk of k: 128 steps of the B strip
// are 24 KB.
const goChunk = 128

// addBlocks adds the MR x NR tile sum_k a[k*MR+i] * b[k*ldb+j] over n
// steps into c, 2 x 4 block by 2 x 4 block.
func addBlocks(n int, a, b []float32, ldb int, c []float32, ldc int) {
	for j := 0; j < NR; j += 4 {
		for i := 0; i < MR; i += 2 {
			c00, c01, c02, c03, c10, c11, c12, c13 := block2x4(n, a[i:], b[j:], ldb)
			r0 := c[i*ldc+j : i*ldc+j+4]
			r1 := c[(i+1)*ldc+j : (i+1)*ldc+j+4]
			r0[0] += c00
			r0[1] += c01
			r0[2] += c02
			r0[3] += c03
			r1[0] += c10
			r1[1] += c11
			r1[2] += c12
			r1[3] += c13
		}
	}
}

// block2x4 returns sum_k a[k*MR+i] * b[k*ldb+j] for i < 2, j < 4 over n
// steps: 8 sums, 2 values of A and 4 of B in 14 registers.
func block2x4(n int, a, b []float32, ldb int) (c00, c01, c02, c03, c10, c11, c12, c13 float32) {
	ao, bo := 0, 0
	for k := 0; k < n; k++ {
		ak := a[ao : ao+2 : ao+2]
		bk := b[bo : bo+4 : bo+4]
		a0, a1 := ak[0], ak[1]
		b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		ao += MR
		bo += ldb
	}
	return
}

// tapsKernel computes the same MR x NR tile as microKernel, but with B read
// in place instead of packed: over ntap blocks of kc rows, block t's row k
// is b[offs[t]+k*ldb : +NR], and the A panel holds the ntap*kc steps one
// after the other. With bias nil it adds the product into C; else it sets
// C[i, :] to bias[i] plus the product. It is kernelTapsAVX512,
// kernelTapsAsmAVX2 or kernelTapsGo.
var tapsKernel func(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) = kernelTapsGo

// TapsTile runs the tapsKernel of the current level: the MR x NR tile of C
// (row stride ldc) from ntap taps of kc rows of B read in place at offs
// (row stride ldb), against a packed A panel of ntap*kc steps; C is set to
// bias plus the product when bias is non-nil, else the product is added.
func TapsTile(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) {
	tapsKernel(ntap, kc, a, b, c, ldb, offs, ldc, bias)
}

// kernelTapsGo is the portable tapsKernel: kernelGo's blocks over each
// tap's rows of B in chunks of goChunk steps, C first set to the bias when
// there is one.
func kernelTapsGo(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) {
	a = a[:ntap*kc*MR]
	if bias != nil {
		for i := 0; i < MR; i++ {
			row := c[i*ldc : i*ldc+NR]
			for j := range row {
				row[j] = bias[i]
			}
		}
	}
	for t := 0; t < ntap; t++ {
		at := a[t*kc*MR : (t+1)*kc*MR]
		bt := b[offs[t]:]
		for k0 := 0; k0 < kc; k0 += goChunk {
			n := min(goChunk, kc-k0)
			addBlocks(n, at[k0*MR:], bt[k0*ldb:], ldb, c, ldc)
		}
	}
}

// TileKernel runs the micro-kernel on a tile that may be cut by the edge of
// C: rows < MR or cols < NR. Full tiles go straight to microKernel; partial
// ones go through tmp (MR*NR values) and only the valid part is added.
func TileKernel(kc int, a, b, c []float32, ldc, rows, cols int, tmp []float32) {
	if rows == MR && cols == NR {
		microKernel(kc, a, b, c, ldc)
		return
	}
	tmp = tmp[:MR*NR]
	clear(tmp)
	microKernel(kc, a, b, tmp, NR)
	for i := 0; i < rows; i++ {
		dst := c[i*ldc : i*ldc+cols]
		src := tmp[i*NR : i*NR+cols]
		for j := range dst {
			dst[j] += src[j]
		}
	}
}

// PackA copies rows [i0, i0+mc) and columns [k0, k0+kc) of op(A), scaled
// by alpha, into MR-row panels, padding the last panel with zeros.
func PackA(dst []float32, transA bool, a []float32, lda, i0, mc, k0, kc int, alpha float32) {
	for ip := 0; ip < mc; ip += MR {
		p := dst[ip*kc : ip*kc+kc*MR]
		rows := min(MR, mc-ip)
		if transA {
			// op(A)'s rows ip..ip+MR are columns of A, so step k of the
			// panel is MR consecutive values of row k0+k of A.
			r := i0 + ip
			for k := 0; k < kc; k++ {
				src := a[(k0+k)*lda+r : (k0+k)*lda+r+rows]
				d := p[k*MR : k*MR+MR]
				for i, v := range src {
					d[i] = alpha * v
				}
				clear(d[rows:])
			}
			continue
		}
		for i := 0; i < MR; i++ {
			if i >= rows {
				for k := 0; k < kc; k++ {
					p[k*MR+i] = 0
				}
				continue
			}
			r := i0 + ip + i
			src := a[r*lda+k0 : r*lda+k0+kc]
			for k, v := range src {
				p[k*MR+i] = alpha * v
			}
		}
	}
}

// packB copies rows [k0, k0+kc) and columns [j0, j0+nc) of op(B) into
// NR-column strips, padding the last strip with zeros.
func packB(dst []float32, transB bool, b []float32, ldb, k0, kc, j0, nc int) {
	for jp := 0; jp < nc; jp += NR {
		s := dst[jp*kc : jp*kc+kc*NR]
		cols := min(NR, nc-jp)
		if !transB {
			for k := 0; k < kc; k++ {
				row := b[(k0+k)*ldb+j0+jp : (k0+k)*ldb+j0+jp+cols]
				d := s[k*NR : k*NR+NR]
				copy(d, row)
				clear(d[cols:])
			}
		} else {
			// Row j of B (a column of op(B)) is read in order and its
			// values written NR apart: the kc x NR strip stays in L1.
			for j := 0; j < cols; j++ {
				row := b[(j0+jp+j)*ldb+k0 : (j0+jp+j)*ldb+k0+kc]
				d := s[j:]
				for k, v := range row {
					d[k*NR] = v
				}
			}
			if cols < NR {
				for k := 0; k < kc; k++ {
					clear(s[k*NR+cols : k*NR+NR])
				}
			}
		}
	}
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C with BLAS semantics on
// row-major matrices: op(A) is m x k (A is m x k with leading dimension lda,
// or k x m when transA), op(B) is k x n (B is k x n, or n x k when transB),
// C is m x n with leading dimension ldc. As in BLAS, beta == 0 overwrites
// C without reading it (NaNs in C do not propagate), and alpha == 0 or
// k == 0 only scales C. Large products run on all cores.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if beta != 1 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
			} else {
				for j := range row {
					row[j] *= beta
				}
			}
		}
	}
	if alpha == 0 || k <= 0 {
		return
	}
	// Split the work over the cores (the workers of internal/par) along
	// the longer side of C, in whole micro-tiles; small products stay on
	// the calling goroutine.
	switch {
	case float64(m)*float64(n)*float64(k) < 1<<20:
	case n >= m:
		par.Run((n+NR-1)/NR, func(lo, hi int) {
			j0, j1 := lo*NR, min(hi*NR, n)
			sgemmSerial(transA, transB, m, j1-j0, k, alpha, a, lda, b, ldb, c, ldc, 0, j0)
		})
		return
	default:
		par.Run((m+MR-1)/MR, func(lo, hi int) {
			i0, i1 := lo*MR, min(hi*MR, m)
			sgemmSerial(transA, transB, i1-i0, n, k, alpha, a, lda, b, ldb, c, ldc, i0, 0)
		})
		return
	}
	sgemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, 0, 0)
}

// sgemmSerial computes C[i0:i0+m, j0:j0+n] += alpha*op(A)[i0:i0+m, :]*op(B)[:, j0:j0+n]
// on one goroutine: the Goto loop nest over NC, KC and MC blocks.
func sgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc, i0, j0 int) {
	mcMax := min(MC, (m+MR-1)/MR*MR)
	ncMax := min(NC, (n+NR-1)/NR*NR)
	kcMax := min(KC, k)
	ap := make([]float32, mcMax*kcMax)
	bp := make([]float32, ncMax*kcMax)
	var tmp [MR * NR]float32
	for jc := 0; jc < n; jc += NC {
		nc := min(NC, n-jc)
		for pc := 0; pc < k; pc += KC {
			kc := min(KC, k-pc)
			packB(bp, transB, b, ldb, pc, kc, j0+jc, nc)
			for ic := 0; ic < m; ic += MC {
				mc := min(MC, m-ic)
				PackA(ap, transA, a, lda, i0+ic, mc, pc, kc, alpha)
				for jr := 0; jr < nc; jr += NR {
					cols := min(NR, nc-jr)
					bs := bp[jr*kc : jr*kc+kc*NR]
					for ir := 0; ir < mc; ir += MR {
						rows := min(MR, mc-ir)
						off := (i0+ic+ir)*ldc + j0 + jc + jr
						TileKernel(kc, ap[ir*kc:ir*kc+kc*MR], bs, c[off:], ldc, rows, cols, tmp[:])
					}
				}
			}
		}
	}
}
