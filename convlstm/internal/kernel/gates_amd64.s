//go:build amd64 && !purego

#include "textflag.h"
#include "exp_amd64.h"
#include "gates_amd64.h"

// The fast path's gate epilogue on 16 pixels per iteration, AVX-512.
// exp(x) is the float32 Cody-Waite reduction and Cephes polynomial of Exp
// in act.go, with VSCALEFPS for the 2^n (one rounding: +Inf on overflow,
// subnormal or 0 on underflow, as Exp's two factors give); sigmoid and tanh
// are built from it exactly as Sigmoid and Tanh are.
//
// NaN: MINPS/MAXPS return their second (Intel) source operand when either
// is NaN, so the clamp is written VMINPS x, c, x (Intel vminps x, c, x):
// a NaN x passes through and every later step keeps it NaN. With c first
// a NaN became the clamp bound (i = 0, tanh(NaN) = 0.62).
// The clamp [-104, 89] changes no result (e^x is 0 below it and +Inf
// above it in float32), so ±Inf come out as PyTorch has them:
// sigmoid(+Inf) = 1, sigmoid(-Inf) = 0, tanh(±Inf) = ±1.
//
// Constants: Z16 89, Z17 -104, Z18 log2(e), Z19 ln2hi, Z20 ln2lo,
// Z21..Z26 the polynomial, Z27 1, Z28 2, Z29 -1.

// H_STORE_TEST_KEEP_AVX512 stores h = o*tanh(c) (o in Z2, the new c in
// Z4; Z8, Z9 scratch) at R11, then tests keep (R12) for the JZ after it.
#define H_STORE_TEST_KEEP_AVX512 \
	TANH_AVX512(Z4, Z8, Z9); \
	VMULPS Z2, Z4, Z4; \
	VMOVUPS Z4, (R11); \
	TESTQ R12, R12

// func fusedGatesAVX512(gi, gf, gO, gg, c, h *float32, n, keep int)
// n is a multiple of 16; keep != 0 stores i, f, o, g over gi, gf, gO, gg.
TEXT ·fusedGatesAVX512(SB), NOSPLIT, $0-64
	SIGMOID_CONSTANTS_AVX512
	FUSED_ARGS
	SHRQ $4, CX
	TESTQ CX, CX
	JZ gdone
gloop:
	GATE_LOAD(Z0, Z1, Z2, Z3)
	SIGMOID_AVX512(Z0, Z8, Z9)
	SIGMOID_AVX512(Z1, Z10, Z11)
	SIGMOID_AVX512(Z2, Z12, Z13)
	TANH_AVX512(Z3, Z14, Z15)
	VMULPS (R10), Z1, Z4
	VFMADD231PS Z3, Z0, Z4
	VMOVUPS Z4, (R10)
	H_STORE_TEST_KEEP_AVX512
	JZ gnext
	GATE_STORE(Z0, Z1, Z2, Z3)
gnext:
	GATE_NEXT(64)
	ADDQ $64, R10
	ADDQ $64, R11
	DECQ CX
	JNZ gloop
gdone:
	VZEROUPPER
	RET

// func fusedGatesPeepholeAVX512(gi, gf, gO, gg, wci, wcf, wco, c, h *float32, n, keep int)
// The peephole cell's epilogue (FusedGatesPeephole) with the same macros:
// i, f = sigmoid(cc_i + wci*c), sigmoid(cc_f + wcf*c); g = tanh(cc_g);
// c = f*c + i*g; o = sigmoid(cc_o + wco*c); h = o*tanh(c). The peephole
// terms are a product then a sum, rounded apart as the Go code has them.
// n is a multiple of 16; keep != 0 stores i, f, o, g over gi, gf, gO, gg.
TEXT ·fusedGatesPeepholeAVX512(SB), NOSPLIT, $0-88
	SIGMOID_CONSTANTS_AVX512
	GATE_ARGS
	MOVQ wci+32(FP), BX
	MOVQ wcf+40(FP), DX
	MOVQ wco+48(FP), R13
	MOVQ c+56(FP), R10
	MOVQ h+64(FP), R11
	MOVQ n+72(FP), CX
	MOVQ keep+80(FP), R12
	SHRQ $4, CX
	TESTQ CX, CX
	JZ pdone
ploop:
	VMOVUPS (R10), Z5
	VMULPS (BX), Z5, Z6
	VADDPS (SI), Z6, Z0
	VMULPS (DX), Z5, Z6
	VADDPS (DI), Z6, Z1
	VMOVUPS (R9), Z3
	SIGMOID_AVX512(Z0, Z8, Z9)
	SIGMOID_AVX512(Z1, Z10, Z11)
	TANH_AVX512(Z3, Z14, Z15)
	VMULPS Z5, Z1, Z4
	VFMADD231PS Z3, Z0, Z4
	VMOVUPS Z4, (R10)
	VMULPS (R13), Z4, Z6
	VADDPS (R8), Z6, Z2
	SIGMOID_AVX512(Z2, Z12, Z13)
	H_STORE_TEST_KEEP_AVX512
	JZ pnext
	GATE_STORE(Z0, Z1, Z2, Z3)
pnext:
	GATE_NEXT(64)
	ADDQ $64, BX
	ADDQ $64, DX
	ADDQ $64, R13
	ADDQ $64, R10
	ADDQ $64, R11
	DECQ CX
	JNZ ploop
pdone:
	VZEROUPPER
	RET
