//go:build amd64 && !purego

#include "textflag.h"

// func allBelowAVX512(x *float32, n int, bound float32) bool
// n a positive multiple of 16. |x| <= bound compared ordered (a NaN
// compares false); the mask of each vector must be all ones.
TEXT ·allBelowAVX512(SB), NOSPLIT, $0-25
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS bound+16(FP), Z1
	VBROADCASTSS absMask<>(SB), Z2
loop:
	VANDPS (SI), Z2, Z0
	VCMPPS $0x12, Z1, Z0, K1
	KMOVW K1, AX
	CMPL AX, $0xffff
	JNE fail
	ADDQ $64, SI
	SUBQ $16, CX
	JNZ loop
	MOVB $1, ret+24(FP)
	VZEROUPPER
	RET
fail:
	MOVB $0, ret+24(FP)
	VZEROUPPER
	RET

DATA absMask<>+0(SB)/4, $0x7fffffff
GLOBL absMask<>(SB), RODATA|NOPTR, $4
