package convlstm

// The fast path's kernels come in levels: portable Go, AVX2+FMA assembly
// (ymm, 8 lanes) and AVX-512 assembly (zmm, 16 lanes). The package starts
// at the best level the CPU and the build support; tests force each lower
// one with setKernelLevel.

type level int

const (
	levelGeneric level = iota // portable Go kernels
	levelAVX2                 // AVX2 + FMA3 assembly
	levelAVX512               // AVX-512F assembly
)

func (l level) String() string {
	switch l {
	case levelAVX2:
		return "avx2"
	case levelAVX512:
		return "avx512"
	}
	return "generic"
}

// kernelLevel is the level in use; change it with setKernelLevel only,
// which also installs that level's kernels.
var kernelLevel level

func init() { setKernelLevel(cpuLevel) }

// setKernelLevel selects the kernels of level l, clamped to cpuLevel, and
// returns the level it set and the one it replaced.
func setKernelLevel(l level) (set, old level) {
	old = kernelLevel
	l = max(levelGeneric, min(l, cpuLevel))
	kernelLevel = l
	microKernel, tapsKernel = kernelGo, kernelTapsGo
	installKernels(l)
	return l, old
}

// kernelLevels lists the levels this CPU and build can run, lowest first.
func kernelLevels() []level {
	var ls []level
	for l := levelGeneric; l <= cpuLevel; l++ {
		ls = append(ls, l)
	}
	return ls
}
