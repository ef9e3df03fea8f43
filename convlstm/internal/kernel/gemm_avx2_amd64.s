//go:build amd64 && !purego

#include "textflag.h"
#include "tile_amd64.h"

// The AVX2+FMA3 micro-kernels (see gemm_avx2_amd64.go): a 4 x 24 quarter of
// the 8 x 48 tile in Y0..Y11, row i in Y(3i), Y(3i+1), Y(3i+2); Y12..Y14
// hold the step's 24 values of B and Y15 the broadcast value of A.

// STEP4x24 does one step of k: B at (DI), A at (SI).
#define STEP4x24 \
	VMOVUPS (DI), Y12; \
	VMOVUPS 32(DI), Y13; \
	VMOVUPS 64(DI), Y14; \
	FMA_ROW(0, Y15, Y12, Y13, Y14, Y0, Y1, Y2); \
	FMA_ROW(4, Y15, Y12, Y13, Y14, Y3, Y4, Y5); \
	FMA_ROW(8, Y15, Y12, Y13, Y14, Y6, Y7, Y8); \
	FMA_ROW(12, Y15, Y12, Y13, Y14, Y9, Y10, Y11)

#define ZERO12 \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

// ADDSTORE4x24 adds the tile to C at (DX), row stride R8 bytes.
#define ADDSTORE4x24 \
	ADD_STORE_ROW(32, 64, Y0, Y1, Y2); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(32, 64, Y3, Y4, Y5); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(32, 64, Y6, Y7, Y8); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(32, 64, Y9, Y10, Y11)

// BIASSTORE4x24 sets C at (DX) to the tile plus bias[i] (at (AX)) on row i.
#define BIASSTORE4x24 \
	BIAS_STORE_ROW(0, Y15, 32, 64, Y0, Y1, Y2); \
	ADDQ R8, DX; \
	BIAS_STORE_ROW(4, Y15, 32, 64, Y3, Y4, Y5); \
	ADDQ R8, DX; \
	BIAS_STORE_ROW(8, Y15, 32, 64, Y6, Y7, Y8); \
	ADDQ R8, DX; \
	BIAS_STORE_ROW(12, Y15, 32, 64, Y9, Y10, Y11)

// func kernel4x24AVX2(kc int, a, b, c *float32, ldc int)
// C[0:4, 0:24] += sum_k a[k*8+i] * b[k*48+j], kc > 0.
TEXT ·kernel4x24AVX2(SB), NOSPLIT, $0-40
	KERNEL_ARGS
	ZERO12
	SHRQ $1, CX
	JZ odd
loop2:
	STEP4x24
	ADDQ $32, SI
	ADDQ $192, DI
	STEP4x24
	ADDQ $32, SI
	ADDQ $192, DI
	DECQ CX
	JNZ loop2
odd:
	MOVQ kc+0(FP), CX
	ANDQ $1, CX
	JZ store
	STEP4x24
store:
	ADDSTORE4x24
	VZEROUPPER
	RET

// func kernelTaps4x24AVX2(ntap, kc int, a, b, c *float32, ldb int, offs *int, ldc int, bias *float32)
// C[0:4, 0:24] += sum_t sum_k a[(t*kc+k)*8+i] * b[offs[t]+k*ldb+j], or set to
// bias[i] + the sum when bias != nil; ntap > 0, kc > 0.
TEXT ·kernelTaps4x24AVX2(SB), NOSPLIT, $0-72
	TAPS_ARGS
	ZERO12
ttap:
	TAP_START
tloop:
	STEP4x24
	ADDQ $32, SI
	ADDQ R11, DI
	DECQ CX
	JNZ tloop
	ADDQ $8, R9
	DECQ BX
	JNZ ttap
	MOVQ bias+64(FP), AX
	TESTQ AX, AX
	JNZ tbias
	ADDSTORE4x24
	VZEROUPPER
	RET
tbias:
	BIASSTORE4x24
	VZEROUPPER
	RET

// func fmaLoopAVX2(n int): n iterations of 12 independent FMAs on ymm.
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	ZERO12
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	TESTQ CX, CX
	JZ fmadone
fmaloop:
	VFMADD231PS Y14, Y15, Y0
	VFMADD231PS Y14, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	VFMADD231PS Y14, Y15, Y3
	VFMADD231PS Y14, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VFMADD231PS Y14, Y15, Y6
	VFMADD231PS Y14, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	VFMADD231PS Y14, Y15, Y9
	VFMADD231PS Y14, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	DECQ CX
	JNZ fmaloop
fmadone:
	VZEROUPPER
	RET
