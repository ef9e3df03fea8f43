// Package kernel holds the machinery under the fast path (convlstm/fast)
// and the fast backward (convlstm/bptt): a packed, register-blocked float32
// matrix product (Sgemm, and the tiles the fast path drives itself), the
// fused gate epilogue and its backward (GatesBackward), the dot-product
// tile of the weight gradient (DotTile), float32 activations, CPU
// kernel-level detection and the FMA peak measurement. None of it is needed to read the seed's port in
// convlstm/; skip it on a first read.
//
// Kernels come in levels (Level): portable Go, AVX2+FMA3 assembly and
// AVX-512 assembly. The package starts at the best level the CPU and the
// build support (the purego build tag keeps the portable Go only); tests
// force each lower one with SetLevel.
package kernel
