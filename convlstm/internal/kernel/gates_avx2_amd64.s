//go:build amd64 && !purego

#include "textflag.h"
#include "gates_amd64.h"

// The fast path's gate epilogue on 8 pixels per iteration, AVX2+FMA3: the
// ymm version of fusedGatesAVX512 (gates_amd64.s), with the same float32
// exp (Exp in act.go). 2^n is built in the exponent bits as two factors
// 2^n1 * 2^n2 (n1 = n>>1, n2 = n-n1, both in [-75, 64] after the clamp),
// as Exp does: the first product is exact and the second rounds once, to
// +Inf on overflow and to a subnormal or 0 on underflow.
//
// NaN: the clamp is VMINPS x, c, x (Intel vminps x, c, x), which returns x
// when it is NaN (MINPS/MAXPS return their second Intel source then), and
// NaN goes through every later step; the clamp [-104, 89] changes no result
// (see gates_amd64.s), so ±Inf give what PyTorch gives.
//
// Registers: Y10 ln2lo, Y11 ln2hi, Y12 log2e, Y13 -104, Y14 89, Y15 1,
// Y8 2, Y9 -1; Y5..Y7 are the temporaries of EXP8.

DATA expc<>+0(SB)/4, $0x39506967  // 1.9875691500e-4
DATA expc<>+4(SB)/4, $0x3ab743ce  // 1.3981999507e-3
DATA expc<>+8(SB)/4, $0x3c088908  // 8.3334519073e-3
DATA expc<>+12(SB)/4, $0x3d2aa9c1 // 4.1665795894e-2
DATA expc<>+16(SB)/4, $0x3e2aaaaa // 1.6666665459e-1
DATA expc<>+20(SB)/4, $0x3f000000 // 5.0000001201e-1
DATA expc<>+24(SB)/4, $127        // exponent bias
DATA expc<>+28(SB)/4, $0x3fb8aa3b // log2(e)
DATA expc<>+32(SB)/4, $0x3f318000 // ln2hi
DATA expc<>+36(SB)/4, $0xb95e8083 // ln2lo
DATA expc<>+40(SB)/4, $0x42b20000 // 89
DATA expc<>+44(SB)/4, $0xc2d00000 // -104
DATA expc<>+48(SB)/4, $0x3f800000 // 1
DATA expc<>+52(SB)/4, $0x40000000 // 2
DATA expc<>+56(SB)/4, $0xbf800000 // -1
GLOBL expc<>(SB), RODATA|NOPTR, $60

// EXP8 sets x to e^x (x clamped to [-104, 89], NaN kept).
#define EXP8(x) \
	VMINPS x, Y14, x; \
	VMAXPS x, Y13, x; \
	VMULPS Y12, x, Y5; \
	VROUNDPS $0, Y5, Y5; \
	VFNMADD231PS Y11, Y5, x; \
	VFNMADD231PS Y10, Y5, x; \
	VBROADCASTSS expc<>+0(SB), Y6; \
	VBROADCASTSS expc<>+4(SB), Y7; \
	VFMADD213PS Y7, x, Y6; \
	VBROADCASTSS expc<>+8(SB), Y7; \
	VFMADD213PS Y7, x, Y6; \
	VBROADCASTSS expc<>+12(SB), Y7; \
	VFMADD213PS Y7, x, Y6; \
	VBROADCASTSS expc<>+16(SB), Y7; \
	VFMADD213PS Y7, x, Y6; \
	VBROADCASTSS expc<>+20(SB), Y7; \
	VFMADD213PS Y7, x, Y6; \
	VFMADD213PS Y15, x, Y6; \
	VFMADD213PS Y15, x, Y6; \
	VCVTPS2DQ Y5, Y5; \
	VPSRAD $1, Y5, x; \
	VPSUBD x, Y5, Y5; \
	VPBROADCASTD expc<>+24(SB), Y7; \
	VPADDD Y7, x, x; \
	VPSLLD $23, x, x; \
	VPADDD Y7, Y5, Y5; \
	VPSLLD $23, Y5, Y5; \
	VMULPS x, Y6, Y6; \
	VMULPS Y5, Y6, x

// SIGMOID8 sets x to 1/(1+e^-x).
#define SIGMOID8(x) \
	VMULPS Y9, x, x; \
	EXP8(x); \
	VADDPS Y15, x, x; \
	VDIVPS x, Y15, x

// TANH8 sets x to 1 - 2/(e^{2x}+1).
#define TANH8(x) \
	VADDPS x, x, x; \
	EXP8(x); \
	VADDPS Y15, x, x; \
	VDIVPS x, Y8, x; \
	VSUBPS x, Y15, x

// func fusedGatesAVX2(gi, gf, gO, gg, c, h *float32, n, keep int)
// n is a multiple of 8; keep != 0 stores i, f, o, g over gi, gf, gO, gg.
TEXT ·fusedGatesAVX2(SB), NOSPLIT, $0-64
	VBROADCASTSS expc<>+28(SB), Y12
	VBROADCASTSS expc<>+32(SB), Y11
	VBROADCASTSS expc<>+36(SB), Y10
	VBROADCASTSS expc<>+40(SB), Y14
	VBROADCASTSS expc<>+44(SB), Y13
	VBROADCASTSS expc<>+48(SB), Y15
	VBROADCASTSS expc<>+52(SB), Y8
	VBROADCASTSS expc<>+56(SB), Y9
	FUSED_ARGS
	SHRQ $3, CX
	TESTQ CX, CX
	JZ gdone
gloop:
	GATE_LOAD(Y0, Y1, Y2, Y3)
	SIGMOID8(Y0)
	SIGMOID8(Y1)
	SIGMOID8(Y2)
	TANH8(Y3)
	VMULPS (R10), Y1, Y4
	VFMADD231PS Y3, Y0, Y4
	VMOVUPS Y4, (R10)
	TANH8(Y4)
	VMULPS Y2, Y4, Y4
	VMOVUPS Y4, (R11)
	TESTQ R12, R12
	JZ gnext
	GATE_STORE(Y0, Y1, Y2, Y3)
gnext:
	GATE_NEXT(32)
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ gloop
gdone:
	VZEROUPPER
	RET
