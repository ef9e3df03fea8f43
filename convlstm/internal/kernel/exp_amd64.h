// The constants of the float32 exp of the AVX-512 activations
// (gates_amd64.s, gatesback_amd64.s), broadcast into Z16..Z28: Z16 89,
// Z17 -104 (the clamp), Z18 log2(e), Z19 ln2hi, Z20 ln2lo (Cody-Waite),
// Z21..Z26 the polynomial of Exp in act.go, Z27 1, Z28 2. Uses AX.
#define EXP_CONSTANTS_AVX512 \
	MOVL $0x42b20000, AX; VPBROADCASTD AX, Z16 \
	MOVL $0xc2d00000, AX; VPBROADCASTD AX, Z17 \
	MOVL $0x3fb8aa3b, AX; VPBROADCASTD AX, Z18 \
	MOVL $0x3f318000, AX; VPBROADCASTD AX, Z19 \
	MOVL $0xb95e8083, AX; VPBROADCASTD AX, Z20 \
	MOVL $0x39506967, AX; VPBROADCASTD AX, Z21 \
	MOVL $0x3ab743ce, AX; VPBROADCASTD AX, Z22 \
	MOVL $0x3c088908, AX; VPBROADCASTD AX, Z23 \
	MOVL $0x3d2aa9c1, AX; VPBROADCASTD AX, Z24 \
	MOVL $0x3e2aaaaa, AX; VPBROADCASTD AX, Z25 \
	MOVL $0x3f000000, AX; VPBROADCASTD AX, Z26 \
	MOVL $0x3f800000, AX; VPBROADCASTD AX, Z27 \
	MOVL $0x40000000, AX; VPBROADCASTD AX, Z28

// SIGMOID_CONSTANTS_AVX512 is EXP_CONSTANTS_AVX512 and Z29 = -1, the
// constants of SIGMOID_AVX512 and TANH_AVX512. Uses AX.
#define SIGMOID_CONSTANTS_AVX512 \
	EXP_CONSTANTS_AVX512; \
	MOVL $0xbf800000, AX; \
	VPBROADCASTD AX, Z29

// EXP_AVX512(x, n, p) sets x to exp(x), with n and p as scratch: the
// clamp, the Cody-Waite reduction by ln 2, the polynomial and VSCALEFPS by
// 2^n, with EXP_CONSTANTS_AVX512's constants (see gates_amd64.s for the
// clamp's operand order, which keeps NaN).
#define EXP_AVX512(x, n, p) \
	VMINPS x, Z16, x; \
	VMAXPS x, Z17, x; \
	VMULPS Z18, x, n; \
	VRNDSCALEPS $0, n, n; \
	VFNMADD231PS Z19, n, x; \
	VFNMADD231PS Z20, n, x; \
	VMOVAPS Z21, p; \
	VFMADD213PS Z22, x, p; \
	VFMADD213PS Z23, x, p; \
	VFMADD213PS Z24, x, p; \
	VFMADD213PS Z25, x, p; \
	VFMADD213PS Z26, x, p; \
	VFMADD213PS Z27, x, p; \
	VFMADD213PS Z27, x, p; \
	VSCALEFPS n, p, x

// SIGMOID_AVX512(x, n, p) sets x to sigmoid(x) = 1/(1+exp(-x)), with n and
// p as scratch and Z29 = -1.
#define SIGMOID_AVX512(x, n, p) \
	VMULPS Z29, x, x; \
	EXP_AVX512(x, n, p); \
	VADDPS Z27, x, x; \
	VDIVPS x, Z27, x

// TANH_AVX512(x, n, p) sets x to tanh(x) = 1 - 2/(exp(2x)+1), with n and p
// as scratch.
#define TANH_AVX512(x, n, p) \
	VADDPS x, x, x; \
	EXP_AVX512(x, n, p); \
	VADDPS Z27, x, x; \
	VDIVPS x, Z28, x; \
	VSUBPS x, Z27, x
