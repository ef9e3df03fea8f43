//go:build amd64 && !purego

#include "textflag.h"
#include "exp_amd64.h"
#include "gates_amd64.h"

// func gatesBackwardAVX512(gi, gf, gO, gg, cn, cp, dh, dc, dz *float32, ldz, n int)
// GatesBackward on n pixels (a multiple of 16), 16 per iteration. tanh(cn)
// is the tanh of fusedGatesAVX512 (gates_amd64.s), same constants:
// Z16 89, Z17 -104, Z18 log2(e), Z19 ln2hi, Z20 ln2lo, Z21..Z26 the
// polynomial, Z27 1, Z28 2. di is at R12, df at R12+ldz, do at R11 =
// R12+2*ldz, dg at R11+ldz (R13 = ldz in bytes).
TEXT ·gatesBackwardAVX512(SB), NOSPLIT, $0-88
	EXP_CONSTANTS_AVX512
	GATE_ARGS
	MOVQ cn+32(FP), R10
	MOVQ cp+40(FP), BX
	MOVQ dh+48(FP), DX
	MOVQ dc+56(FP), AX
	MOVQ dz+64(FP), R12
	MOVQ ldz+72(FP), R13
	SHLQ $2, R13
	LEAQ (R12)(R13*2), R11
	MOVQ n+80(FP), CX
	SHRQ $4, CX
	TESTQ CX, CX
	JZ bdone
bloop:
	VMOVUPS (R10), Z4
	VADDPS Z4, Z4, Z5
	EXP_AVX512(Z5, Z8, Z9)
	VADDPS Z27, Z5, Z5
	VDIVPS Z5, Z28, Z5
	VSUBPS Z5, Z27, Z5
	VMOVUPS (DX), Z6
	VMOVUPS (R8), Z2
	VMOVUPS (AX), Z7
	VMULPS Z2, Z6, Z11
	VMULPS Z5, Z5, Z12
	VSUBPS Z12, Z27, Z12
	VMULPS Z12, Z11, Z11
	VADDPS Z11, Z7, Z7
	VMULPS Z5, Z6, Z11
	VMULPS Z2, Z11, Z11
	VSUBPS Z2, Z27, Z12
	VMULPS Z12, Z11, Z11
	VMOVUPS Z11, (R11)
	VMOVUPS (DI), Z1
	VMOVUPS (BX), Z10
	VMULPS Z10, Z7, Z11
	VMULPS Z1, Z11, Z11
	VSUBPS Z1, Z27, Z12
	VMULPS Z12, Z11, Z11
	VMOVUPS Z11, (R12)(R13*1)
	VMOVUPS (SI), Z0
	VMOVUPS (R9), Z3
	VMULPS Z3, Z7, Z11
	VMULPS Z0, Z11, Z11
	VSUBPS Z0, Z27, Z12
	VMULPS Z12, Z11, Z11
	VMOVUPS Z11, (R12)
	VMULPS Z0, Z7, Z11
	VMULPS Z3, Z3, Z12
	VSUBPS Z12, Z27, Z12
	VMULPS Z12, Z11, Z11
	VMOVUPS Z11, (R11)(R13*1)
	VMULPS Z1, Z7, Z7
	VMOVUPS Z7, (AX)
	GATE_NEXT(64)
	ADDQ $64, R10
	ADDQ $64, BX
	ADDQ $64, DX
	ADDQ $64, AX
	ADDQ $64, R12
	ADDQ $64, R11
	DECQ CX
	JNZ bloop
bdone:
	VZEROUPPER
	RET

// func gatesBackwardPeepholeAVX512(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco *float32, n int)
// GatesBackwardPeephole on n pixels, n a multiple of 16, cp never nil: the
// Go loop's products and sums in its order (no fused multiply-adds), tanh
// as the forward's epilogue. AX is the byte offset into every row; the
// rows beyond the first nine are loaded from the frame into R14 at use.
TEXT ·gatesBackwardPeepholeAVX512(SB), NOSPLIT, $0-152
	EXP_CONSTANTS_AVX512
	GATE_ARGS
	MOVQ cn+32(FP), R10
	MOVQ cp+40(FP), BX
	MOVQ dh+48(FP), R11
	MOVQ dc+56(FP), R12
	MOVQ di+64(FP), R13
	MOVQ df+72(FP), DX
	MOVQ n+144(FP), CX
	SHRQ $4, CX
	XORQ AX, AX
	TESTQ CX, CX
	JZ qdone
qloop:
	VMOVUPS (SI)(AX*1), Z0
	VMOVUPS (DI)(AX*1), Z1
	VMOVUPS (R8)(AX*1), Z2
	VMOVUPS (R9)(AX*1), Z3
	VMOVUPS (R11)(AX*1), Z4
	VMOVUPS (BX)(AX*1), Z5
	VMOVUPS (R10)(AX*1), Z6
	TANH_AVX512(Z6, Z8, Z9)
	VMULPS Z6, Z4, Z7
	VMULPS Z2, Z7, Z7
	VSUBPS Z2, Z27, Z10
	VMULPS Z10, Z7, Z7
	VMULPS Z2, Z4, Z11
	VMULPS Z6, Z6, Z12
	VSUBPS Z12, Z27, Z12
	VMULPS Z12, Z11, Z11
	VADDPS (R12)(AX*1), Z11, Z13
	MOVQ wco+112(FP), R14
	VMULPS (R14)(AX*1), Z7, Z14
	VADDPS Z14, Z13, Z13
	VMULPS Z5, Z13, Z15
	VMULPS Z1, Z15, Z15
	VSUBPS Z1, Z27, Z10
	VMULPS Z10, Z15, Z15
	VMULPS Z3, Z13, Z9
	VMULPS Z0, Z9, Z9
	VSUBPS Z0, Z27, Z10
	VMULPS Z10, Z9, Z9
	MOVQ do+80(FP), R14
	VMOVUPS Z7, (R14)(AX*1)
	VMOVUPS Z15, (DX)(AX*1)
	VMOVUPS Z9, (R13)(AX*1)
	VMULPS Z0, Z13, Z11
	VMULPS Z3, Z3, Z12
	VSUBPS Z12, Z27, Z12
	VMULPS Z12, Z11, Z11
	MOVQ dg+88(FP), R14
	VMOVUPS Z11, (R14)(AX*1)
	VMULPS Z1, Z13, Z12
	MOVQ wci+96(FP), R14
	VMULPS (R14)(AX*1), Z9, Z14
	VADDPS Z14, Z12, Z12
	MOVQ wcf+104(FP), R14
	VMULPS (R14)(AX*1), Z15, Z14
	VADDPS Z14, Z12, Z12
	VMOVUPS Z12, (R12)(AX*1)
	VMULPS (R10)(AX*1), Z7, Z14
	MOVQ dwco+136(FP), R14
	VADDPS (R14)(AX*1), Z14, Z14
	VMOVUPS Z14, (R14)(AX*1)
	VMULPS Z5, Z9, Z14
	MOVQ dwci+120(FP), R14
	VADDPS (R14)(AX*1), Z14, Z14
	VMOVUPS Z14, (R14)(AX*1)
	VMULPS Z5, Z15, Z14
	MOVQ dwcf+128(FP), R14
	VADDPS (R14)(AX*1), Z14, Z14
	VMOVUPS Z14, (R14)(AX*1)
	ADDQ $64, AX
	DECQ CX
	JNZ qloop
qdone:
	VZEROUPPER
	RET
