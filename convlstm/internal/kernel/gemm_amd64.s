//go:build amd64 && !purego

#include "textflag.h"
#include "tile_amd64.h"

// The 8 x 48 tile of kernelAVX512 and kernelTapsAVX512: row i of C in
// Z(3i), Z(3i+1), Z(3i+2); one row of B (48 values) in Z24..Z26.

// TILE_STEP_AVX512 is one step k of the tile: the row of B at DI into
// Z24..Z26, times the 8 values of A at SI (broadcast in turn into
// Z27..Z30), added to the tile.
#define TILE_STEP_AVX512 \
	VMOVUPS (DI), Z24; \
	VMOVUPS 64(DI), Z25; \
	VMOVUPS 128(DI), Z26; \
	FMA_ROW(0, Z27, Z24, Z25, Z26, Z0, Z1, Z2); \
	FMA_ROW(4, Z28, Z24, Z25, Z26, Z3, Z4, Z5); \
	FMA_ROW(8, Z29, Z24, Z25, Z26, Z6, Z7, Z8); \
	FMA_ROW(12, Z30, Z24, Z25, Z26, Z9, Z10, Z11); \
	FMA_ROW(16, Z27, Z24, Z25, Z26, Z12, Z13, Z14); \
	FMA_ROW(20, Z28, Z24, Z25, Z26, Z15, Z16, Z17); \
	FMA_ROW(24, Z29, Z24, Z25, Z26, Z18, Z19, Z20); \
	FMA_ROW(28, Z30, Z24, Z25, Z26, Z21, Z22, Z23)

// ADD_STORE_TILE_AVX512: C += the tile, row by row from DX (row stride
// R8 bytes; DX ends at the last row).
#define ADD_STORE_TILE_AVX512 \
	ADD_STORE_ROW(64, 128, Z0, Z1, Z2); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z3, Z4, Z5); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z6, Z7, Z8); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z9, Z10, Z11); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z12, Z13, Z14); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z15, Z16, Z17); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z18, Z19, Z20); \
	ADDQ R8, DX; \
	ADD_STORE_ROW(64, 128, Z21, Z22, Z23)

// func kernelAVX512(kc int, a, b, c *float32, ldc int)
// C[0:8, 0:48] += sum_k a[k*8+i] * b[k*48+j]; Z0..Z23 hold the tile,
// row i in Z(3i), Z(3i+1), Z(3i+2).
TEXT ·kernelAVX512(SB), NOSPLIT, $0-40
	KERNEL_ARGS
	ZERO_Z0_Z23
	TESTQ CX, CX
	JZ store
loop:
	TILE_STEP_AVX512
	ADDQ $32, SI
	ADDQ $192, DI
	DECQ CX
	JNZ loop
store:
	ADD_STORE_TILE_AVX512
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func fmaLoopAVX512(n int): n iterations of 24 independent FMAs on zmm.
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	ZERO_Z0_Z23
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31
	TESTQ CX, CX
	JZ fmadone
fmaloop:
	VFMADD231PS Z30, Z31, Z0
	VFMADD231PS Z30, Z31, Z1
	VFMADD231PS Z30, Z31, Z2
	VFMADD231PS Z30, Z31, Z3
	VFMADD231PS Z30, Z31, Z4
	VFMADD231PS Z30, Z31, Z5
	VFMADD231PS Z30, Z31, Z6
	VFMADD231PS Z30, Z31, Z7
	VFMADD231PS Z30, Z31, Z8
	VFMADD231PS Z30, Z31, Z9
	VFMADD231PS Z30, Z31, Z10
	VFMADD231PS Z30, Z31, Z11
	VFMADD231PS Z30, Z31, Z12
	VFMADD231PS Z30, Z31, Z13
	VFMADD231PS Z30, Z31, Z14
	VFMADD231PS Z30, Z31, Z15
	VFMADD231PS Z30, Z31, Z16
	VFMADD231PS Z30, Z31, Z17
	VFMADD231PS Z30, Z31, Z18
	VFMADD231PS Z30, Z31, Z19
	VFMADD231PS Z30, Z31, Z20
	VFMADD231PS Z30, Z31, Z21
	VFMADD231PS Z30, Z31, Z22
	VFMADD231PS Z30, Z31, Z23
	DECQ CX
	JNZ fmaloop
fmadone:
	VZEROUPPER
	RET

// func kernelTapsAVX512(ntap, kc int, a, b, c *float32, ldb int, offs *int, ldc int, bias *float32)
// C[0:8, 0:48] += sum_t sum_k a[(t*kc+k)*8+i] * b[offs[t]+k*ldb+j]: the 8 x 48
// tile of kernelAVX512 over ntap blocks of kc rows of B read in place (row
// stride ldb, block t starting offs[t] values after b) instead of packed.
// With bias != nil, C[i, :] is set to bias[i] + the sum instead.
TEXT ·kernelTapsAVX512(SB), NOSPLIT, $0-72
	TAPS_ARGS
	ZERO_Z0_Z23
	TESTQ BX, BX
	JZ tstore
ttap:
	TAP_START
	TESTQ CX, CX
	JZ tnext
tloop:
	TILE_STEP_AVX512
	ADDQ $32, SI
	ADDQ R11, DI
	DECQ CX
	JNZ tloop
tnext:
	ADDQ $8, R9
	DECQ BX
	JNZ ttap
tstore:
	MOVQ bias+64(FP), AX
	TESTQ AX, AX
	JNZ tbias
	ADD_STORE_TILE_AVX512
	VZEROUPPER
	RET
tbias:
	BIAS_STORE_ROW(0, Z24, 64, 128, Z0, Z1, Z2)
	ADDQ R8, DX
	BIAS_STORE_ROW(4, Z24, 64, 128, Z3, Z4, Z5)
	ADDQ R8, DX
	BIAS_STORE_ROW(8, Z24, 64, 128, Z6, Z7, Z8)
	ADDQ R8, DX
	BIAS_STORE_ROW(12, Z24, 64, 128, Z9, Z10, Z11)
	ADDQ R8, DX
	BIAS_STORE_ROW(16, Z24, 64, 128, Z12, Z13, Z14)
	ADDQ R8, DX
	BIAS_STORE_ROW(20, Z24, 64, 128, Z15, Z16, Z17)
	ADDQ R8, DX
	BIAS_STORE_ROW(24, Z24, 64, 128, Z18, Z19, Z20)
	ADDQ R8, DX
	BIAS_STORE_ROW(28, Z24, 64, 128, Z21, Z22, Z23)
	VZEROUPPER
	RET
