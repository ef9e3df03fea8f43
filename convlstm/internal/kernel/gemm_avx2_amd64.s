//go:build amd64 && !purego

#include "textflag.h"

// The AVX2+FMA3 micro-kernels (see gemm_avx2_amd64.go): a 4 x 24 quarter of
// the 8 x 48 tile in Y0..Y11, row i in Y(3i), Y(3i+1), Y(3i+2); Y12..Y14
// hold the step's 24 values of B and Y15 the broadcast value of A.

// STEP4x24 does one step of k: B at (DI), A at (SI).
#define STEP4x24 \
	VMOVUPS (DI), Y12; \
	VMOVUPS 32(DI), Y13; \
	VMOVUPS 64(DI), Y14; \
	VBROADCASTSS 0(SI), Y15; \
	VFMADD231PS Y12, Y15, Y0; \
	VFMADD231PS Y13, Y15, Y1; \
	VFMADD231PS Y14, Y15, Y2; \
	VBROADCASTSS 4(SI), Y15; \
	VFMADD231PS Y12, Y15, Y3; \
	VFMADD231PS Y13, Y15, Y4; \
	VFMADD231PS Y14, Y15, Y5; \
	VBROADCASTSS 8(SI), Y15; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7; \
	VFMADD231PS Y14, Y15, Y8; \
	VBROADCASTSS 12(SI), Y15; \
	VFMADD231PS Y12, Y15, Y9; \
	VFMADD231PS Y13, Y15, Y10; \
	VFMADD231PS Y14, Y15, Y11

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
	VADDPS 0(DX), Y0, Y0; \
	VMOVUPS Y0, 0(DX); \
	VADDPS 32(DX), Y1, Y1; \
	VMOVUPS Y1, 32(DX); \
	VADDPS 64(DX), Y2, Y2; \
	VMOVUPS Y2, 64(DX); \
	ADDQ R8, DX; \
	VADDPS 0(DX), Y3, Y3; \
	VMOVUPS Y3, 0(DX); \
	VADDPS 32(DX), Y4, Y4; \
	VMOVUPS Y4, 32(DX); \
	VADDPS 64(DX), Y5, Y5; \
	VMOVUPS Y5, 64(DX); \
	ADDQ R8, DX; \
	VADDPS 0(DX), Y6, Y6; \
	VMOVUPS Y6, 0(DX); \
	VADDPS 32(DX), Y7, Y7; \
	VMOVUPS Y7, 32(DX); \
	VADDPS 64(DX), Y8, Y8; \
	VMOVUPS Y8, 64(DX); \
	ADDQ R8, DX; \
	VADDPS 0(DX), Y9, Y9; \
	VMOVUPS Y9, 0(DX); \
	VADDPS 32(DX), Y10, Y10; \
	VMOVUPS Y10, 32(DX); \
	VADDPS 64(DX), Y11, Y11; \
	VMOVUPS Y11, 64(DX)

// BIASSTORE4x24 sets C at (DX) to the tile plus bias[i] (at (AX)) on row i.
#define BIASSTORE4x24 \
	VBROADCASTSS 0(AX), Y15; \
	VADDPS Y15, Y0, Y0; \
	VMOVUPS Y0, 0(DX); \
	VADDPS Y15, Y1, Y1; \
	VMOVUPS Y1, 32(DX); \
	VADDPS Y15, Y2, Y2; \
	VMOVUPS Y2, 64(DX); \
	ADDQ R8, DX; \
	VBROADCASTSS 4(AX), Y15; \
	VADDPS Y15, Y3, Y3; \
	VMOVUPS Y3, 0(DX); \
	VADDPS Y15, Y4, Y4; \
	VMOVUPS Y4, 32(DX); \
	VADDPS Y15, Y5, Y5; \
	VMOVUPS Y5, 64(DX); \
	ADDQ R8, DX; \
	VBROADCASTSS 8(AX), Y15; \
	VADDPS Y15, Y6, Y6; \
	VMOVUPS Y6, 0(DX); \
	VADDPS Y15, Y7, Y7; \
	VMOVUPS Y7, 32(DX); \
	VADDPS Y15, Y8, Y8; \
	VMOVUPS Y8, 64(DX); \
	ADDQ R8, DX; \
	VBROADCASTSS 12(AX), Y15; \
	VADDPS Y15, Y9, Y9; \
	VMOVUPS Y9, 0(DX); \
	VADDPS Y15, Y10, Y10; \
	VMOVUPS Y10, 32(DX); \
	VADDPS Y15, Y11, Y11; \
	VMOVUPS Y11, 64(DX)

// func kernel4x24AVX2(kc int, a, b, c *float32, ldc int)
// C[0:4, 0:24] += sum_k a[k*8+i] * b[k*48+j], kc > 0.
TEXT ·kernel4x24AVX2(SB), NOSPLIT, $0-40
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
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
	MOVQ ntap+0(FP), BX
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), R10
	MOVQ c+32(FP), DX
	MOVQ ldb+40(FP), R11
	SHLQ $2, R11
	MOVQ offs+48(FP), R9
	MOVQ ldc+56(FP), R8
	SHLQ $2, R8
	ZERO12
ttap:
	MOVQ (R9), DI
	SHLQ $2, DI
	ADDQ R10, DI
	MOVQ kc+8(FP), CX
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
