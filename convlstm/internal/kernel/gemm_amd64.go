//go:build amd64 && !purego

package kernel

// kernelAVX512 is the micro-kernel in gemm_amd64.s: an 8 x 48 tile of C in
// 24 zmm registers; per step of k it loads three vectors of the B strip,
// broadcasts each of the 8 values of the A panel and issues 24 FMAs.
// c must have room for 8 rows of stride ldc and 48 columns.
//
//go:noescape
func kernelAVX512(kc int, a, b, c *float32, ldc int)

// kernelTapsAVX512 is tapsKernel in gemm_amd64.s (see kernelTapsGo).
//
//go:noescape
func kernelTapsAVX512(ntap, kc int, a, b, c *float32, ldb int, offs *int, ldc int, bias *float32)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// detectLevel returns the best kernel Level the CPU supports and the OS
// enables: AVX-512F with the zmm state saved, else AVX2 and FMA3 with the
// ymm state saved, else the portable Go kernels.
func detectLevel() Level {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return Generic
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return Generic
	}
	xcr0, _ := xgetbv()
	if xcr0&0x6 != 0x6 { // SSE and AVX state
		return Generic
	}
	_, ebx7, _, _ := cpuid(7, 0)
	if ebx7&(1<<5) == 0 { // AVX2
		return Generic
	}
	if xcr0&0xe6 == 0xe6 && ebx7&(1<<16) != 0 { // opmask, ZMM_Hi256, Hi16_ZMM state; AVX512F
		return AVX512
	}
	return AVX2
}

// best is the best kernel Level of this CPU.
var best = detectLevel()

// installKernels sets microKernel and tapsKernel to the assembly kernels of
// level l (the Go ones are already in place).
func installKernels(l Level) {
	switch l {
	case AVX512:
		microKernel, tapsKernel, dotKernel = kernelAsm, kernelTapsAsm, dotAsm
	case AVX2:
		microKernel, tapsKernel = kernelAsmAVX2, kernelTapsAsmAVX2
	}
}

func kernelAsm(kc int, a, b, c []float32, ldc int) {
	// Bounds the assembly relies on, checked once per tile.
	_ = a[kc*MR-1]
	_ = b[kc*NR-1]
	_ = c[(MR-1)*ldc+NR-1]
	kernelAVX512(kc, &a[0], &b[0], &c[0], ldc)
}

func kernelTapsAsm(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) {
	if ntap == 0 || kc == 0 {
		kernelTapsGo(ntap, kc, a, b, c, ldb, offs, ldc, bias)
		return
	}
	offs = checkTaps(ntap, kc, a, b, c, ldb, offs, ldc, bias)
	var bp *float32
	if bias != nil {
		bp = &bias[0]
	}
	kernelTapsAVX512(ntap, kc, &a[0], &b[0], &c[0], ldb, &offs[0], ldc, bp)
}

// checkTaps checks the bounds a taps tile's assembly relies on (AVX-512 or
// AVX2), once per tile: it panics as an index out of range would if A, B, C,
// the offsets or the bias are too short, and returns offs[:ntap].
func checkTaps(ntap, kc int, a, b, c []float32, ldb int, offs []int, ldc int, bias []float32) []int {
	_ = a[ntap*kc*MR-1]
	_ = c[(MR-1)*ldc+NR-1]
	offs = offs[:ntap]
	for _, o := range offs {
		_, _ = b[o], b[o+(kc-1)*ldb+NR-1]
	}
	if bias != nil {
		_ = bias[MR-1]
	}
	return offs
}
