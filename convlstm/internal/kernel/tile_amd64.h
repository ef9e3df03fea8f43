// Macros of the register-blocked tiles of the assembly kernels
// (gemm_amd64.s: 8 x 48 on zmm; gemm_avx2_amd64.s: 4 x 24 on ymm;
// dot_amd64.s). A row of a tile is three vector registers r0, r1, r2,
// o1 and o2 bytes after the first (one and two vector widths).

// ZERO_Z0_Z23 zeroes Z0..Z23, the accumulators of the AVX-512 tiles of
// gemm_amd64.s (8 x 48) and dot_amd64.s (4 x 6 lane sums).
#define ZERO_Z0_Z23 \
	VPXORD Z0, Z0, Z0; \
	VPXORD Z1, Z1, Z1; \
	VPXORD Z2, Z2, Z2; \
	VPXORD Z3, Z3, Z3; \
	VPXORD Z4, Z4, Z4; \
	VPXORD Z5, Z5, Z5; \
	VPXORD Z6, Z6, Z6; \
	VPXORD Z7, Z7, Z7; \
	VPXORD Z8, Z8, Z8; \
	VPXORD Z9, Z9, Z9; \
	VPXORD Z10, Z10, Z10; \
	VPXORD Z11, Z11, Z11; \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14; \
	VPXORD Z15, Z15, Z15; \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19; \
	VPXORD Z20, Z20, Z20; \
	VPXORD Z21, Z21, Z21; \
	VPXORD Z22, Z22, Z22; \
	VPXORD Z23, Z23, Z23

// KERNEL_ARGS loads the arguments of kernelAVX512 and kernel4x24AVX2,
// (kc int, a, b, c *float32, ldc int): kc in CX, a in SI, b in DI, c in
// DX, ldc in bytes in R8.
#define KERNEL_ARGS \
	MOVQ kc+0(FP), CX; \
	MOVQ a+8(FP), SI; \
	MOVQ b+16(FP), DI; \
	MOVQ c+24(FP), DX; \
	MOVQ ldc+32(FP), R8; \
	SHLQ $2, R8

// TAPS_ARGS loads the arguments of kernelTapsAVX512 and
// kernelTaps4x24AVX2, (ntap, kc int, a, b, c *float32, ldb int, offs *int,
// ldc int, bias *float32): ntap in BX, a in SI, b in R10, c in DX, ldb in
// bytes in R11, offs in R9, ldc in bytes in R8 (kc and bias are read
// where they are used).
#define TAPS_ARGS \
	MOVQ ntap+0(FP), BX; \
	MOVQ a+16(FP), SI; \
	MOVQ b+24(FP), R10; \
	MOVQ c+32(FP), DX; \
	MOVQ ldb+40(FP), R11; \
	SHLQ $2, R11; \
	MOVQ offs+48(FP), R9; \
	MOVQ ldc+56(FP), R8; \
	SHLQ $2, R8

// TAP_START points DI at the tap's block of B (b + offs[t] values, offs[t]
// at (R9)) and sets CX to kc.
#define TAP_START \
	MOVQ (R9), DI; \
	SHLQ $2, DI; \
	ADDQ R10, DI; \
	MOVQ kc+8(FP), CX

// FMA_ROW(off, bc, b0, b1, b2, r0, r1, r2): the row r0..r2 += the value
// of A at off(SI) (broadcast into bc) times the row of B in b0..b2.
#define FMA_ROW(off, bc, b0, b1, b2, r0, r1, r2) \
	VBROADCASTSS off(SI), bc; \
	VFMADD231PS b0, bc, r0; \
	VFMADD231PS b1, bc, r1; \
	VFMADD231PS b2, bc, r2

// ADD_STORE_ROW(o1, o2, r0, r1, r2) adds the row of C at DX to r0..r2 and
// stores the sums there.
#define ADD_STORE_ROW(o1, o2, r0, r1, r2) \
	VADDPS 0(DX), r0, r0; \
	VMOVUPS r0, 0(DX); \
	VADDPS o1(DX), r1, r1; \
	VMOVUPS r1, o1(DX); \
	VADDPS o2(DX), r2, r2; \
	VMOVUPS r2, o2(DX)

// BIAS_STORE_ROW(off, bc, o1, o2, r0, r1, r2) stores r0..r2 plus the bias
// at off(AX) (broadcast into bc) in the row of C at DX.
#define BIAS_STORE_ROW(off, bc, o1, o2, r0, r1, r2) \
	VBROADCASTSS off(AX), bc; \
	VADDPS bc, r0, r0; \
	VMOVUPS r0, 0(DX); \
	VADDPS bc, r1, r1; \
	VMOVUPS r1, o1(DX); \
	VADDPS bc, r2, r2; \
	VMOVUPS r2, o2(DX)
