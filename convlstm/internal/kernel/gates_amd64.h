// Macros of the gate epilogues (gates_amd64.s, gates_avx2_amd64.s) and
// their backward (gatesback_amd64.s): the rows of the four gates gi, gf,
// gO, gg, the first four arguments of every one of them, are at SI, DI,
// R8 and R9.

// GATE_ARGS loads gi, gf, gO and gg into SI, DI, R8 and R9.
#define GATE_ARGS \
	MOVQ gi+0(FP), SI; \
	MOVQ gf+8(FP), DI; \
	MOVQ gO+16(FP), R8; \
	MOVQ gg+24(FP), R9

// FUSED_ARGS loads the arguments of fusedGatesAVX512 and fusedGatesAVX2,
// (gi, gf, gO, gg, c, h *float32, n, keep int): GATE_ARGS, c in R10, h in
// R11, n in CX, keep in R12.
#define FUSED_ARGS \
	GATE_ARGS; \
	MOVQ c+32(FP), R10; \
	MOVQ h+40(FP), R11; \
	MOVQ n+48(FP), CX; \
	MOVQ keep+56(FP), R12

// GATE_LOAD(x0, x1, x2, x3) loads the four gates' vectors into x0..x3.
#define GATE_LOAD(x0, x1, x2, x3) \
	VMOVUPS (SI), x0; \
	VMOVUPS (DI), x1; \
	VMOVUPS (R8), x2; \
	VMOVUPS (R9), x3

// GATE_STORE(x0, x1, x2, x3) stores x0..x3 over the four gates' vectors.
#define GATE_STORE(x0, x1, x2, x3) \
	VMOVUPS x0, (SI); \
	VMOVUPS x1, (DI); \
	VMOVUPS x2, (R8); \
	VMOVUPS x3, (R9)

// GATE_NEXT(w) moves the four gate pointers on by w bytes.
#define GATE_NEXT(w) \
	ADDQ $w, SI; \
	ADDQ $w, DI; \
	ADDQ $w, R8; \
	ADDQ $w, R9
