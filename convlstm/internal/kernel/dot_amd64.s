//go:build amd64 && !purego

#include "textflag.h"
#include "tile_amd64.h"

// B_ROW(off, r) sets r to the start of a row of B: b (in CX) plus
// boffs[j] values, boffs[j] at off(DI).
#define B_ROW(off, r) \
	MOVQ off(DI), r; \
	LEAQ (CX)(r*4), r

// DOT_COL(rb, zb, o0, o1, o2, o3): column j of the tile: the 16 values of
// B's row j at (rb)(CX*1) into zb, times the four rows of A in Z24..Z27,
// added to o0..o3 (rows 0..3).
#define DOT_COL(rb, zb, o0, o1, o2, o3) \
	VMOVUPS (rb)(CX*1), zb; \
	VFMADD231PS Z24, zb, o0; \
	VFMADD231PS Z25, zb, o1; \
	VFMADD231PS Z26, zb, o2; \
	VFMADD231PS Z27, zb, o3

// HSUM_STORE(z, y, off) stores the sum of z's 16 lanes (y is z's low
// half) at off(DI), pairwise: 8 + 8, 4 + 4, 2 + 2, 1 + 1. Uses Z24 and
// Z25 as scratch.
#define HSUM_STORE(z, y, off) \
	VEXTRACTF64X4 $1, z, Y24; \
	VADDPS y, Y24, Y24; \
	VEXTRACTF32X4 $1, Y24, X25; \
	VADDPS X25, X24, X24; \
	VPERMILPS $0x4E, X24, X25; \
	VADDPS X25, X24, X24; \
	VPERMILPS $0xB1, X24, X25; \
	VADDPS X25, X24, X24; \
	VMOVSS X24, off(DI)

// func dotAVX512(nseg, n, stride int, a *float32, lda int, b *float32, boffs *int, out *float32)
// out[i*6+j] = sum_s sum_k a[i*lda+s*stride+k] * b[boffs[j]+s*stride+k], i < 4, j < 6,
// n a multiple of 16, nseg >= 1. Z(4j+i) holds the 16 lane sums of out[i*6+j].
// The rows of A start at SI, DX, BX, AX and those of B at R8..R13; CX is
// the byte offset of the step in all of them: it runs to end-8(SP), then
// moves on to the next segment (end += stride*4, CX = end - n*4).
TEXT ·dotAVX512(SB), NOSPLIT, $24-64
	MOVQ stride+16(FP), CX
	SHLQ $2, CX
	MOVQ CX, stride4-24(SP)
	MOVQ n+8(FP), CX
	SHLQ $2, CX
	MOVQ CX, end-8(SP)
	MOVQ CX, n4-16(SP)
	MOVQ a+24(FP), SI
	MOVQ lda+32(FP), CX
	SHLQ $2, CX
	LEAQ (SI)(CX*1), DX
	LEAQ (DX)(CX*1), BX
	LEAQ (BX)(CX*1), AX
	MOVQ b+40(FP), CX
	MOVQ boffs+48(FP), DI
	B_ROW(0, R8)
	B_ROW(8, R9)
	B_ROW(16, R10)
	B_ROW(24, R11)
	B_ROW(32, R12)
	B_ROW(40, R13)
	ZERO_Z0_Z23
	MOVQ nseg+0(FP), DI
	XORQ CX, CX
dloop:
	VMOVUPS (SI)(CX*1), Z24
	VMOVUPS (DX)(CX*1), Z25
	VMOVUPS (BX)(CX*1), Z26
	VMOVUPS (AX)(CX*1), Z27
	DOT_COL(R8, Z28, Z0, Z1, Z2, Z3)
	DOT_COL(R9, Z29, Z4, Z5, Z6, Z7)
	DOT_COL(R10, Z30, Z8, Z9, Z10, Z11)
	DOT_COL(R11, Z31, Z12, Z13, Z14, Z15)
	DOT_COL(R12, Z28, Z16, Z17, Z18, Z19)
	DOT_COL(R13, Z29, Z20, Z21, Z22, Z23)
	ADDQ $64, CX
	CMPQ CX, end-8(SP)
	JB dloop
	DECQ DI
	JZ ddone
	ADDQ stride4-24(SP), CX
	MOVQ CX, end-8(SP)
	SUBQ n4-16(SP), CX
	JMP dloop
ddone:
	MOVQ out+56(FP), DI
	HSUM_STORE(Z0, Y0, 0)
	HSUM_STORE(Z1, Y1, 24)
	HSUM_STORE(Z2, Y2, 48)
	HSUM_STORE(Z3, Y3, 72)
	HSUM_STORE(Z4, Y4, 4)
	HSUM_STORE(Z5, Y5, 28)
	HSUM_STORE(Z6, Y6, 52)
	HSUM_STORE(Z7, Y7, 76)
	HSUM_STORE(Z8, Y8, 8)
	HSUM_STORE(Z9, Y9, 32)
	HSUM_STORE(Z10, Y10, 56)
	HSUM_STORE(Z11, Y11, 80)
	HSUM_STORE(Z12, Y12, 12)
	HSUM_STORE(Z13, Y13, 36)
	HSUM_STORE(Z14, Y14, 60)
	HSUM_STORE(Z15, Y15, 84)
	HSUM_STORE(Z16, Y16, 16)
	HSUM_STORE(Z17, Y17, 40)
	HSUM_STORE(Z18, Y18, 64)
	HSUM_STORE(Z19, Y19, 88)
	HSUM_STORE(Z20, Y20, 20)
	HSUM_STORE(Z21, Y21, 44)
	HSUM_STORE(Z22, Y22, 68)
	HSUM_STORE(Z23, Y23, 92)
	VZEROUPPER
	RET
