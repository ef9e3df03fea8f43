package kernel

// Level is a set of kernels: portable Go, AVX2+FMA assembly (ymm, 8 lanes)
// or AVX-512 assembly (zmm, 16 lanes). The package starts at the best level
// the CPU and the build support; tests force each lower one with Use
// (testhooks.go).
type Level int

const (
	Generic Level = iota // portable Go kernels
	AVX2                 // AVX2 + FMA3 assembly
	AVX512               // AVX-512F assembly
)

// String returns "generic", "avx2" or "avx512".
func (l Level) String() string {
	switch l {
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return "generic"
}

// current is the Level in use; change it with setLevel only, which also
// installs that level's kernels.
var current Level

func init() { setLevel(best) }

// setLevel selects the kernels of level l, clamped to the best level of
// this CPU and build, and returns the level it set and the one it replaced.
// Only init and the test hook Use (testhooks.go) call it.
func setLevel(l Level) (set, old Level) {
	old = current
	l = max(Generic, min(l, best))
	current = l
	microKernel, tapsKernel, dotKernel = kernelGo, kernelTapsGo, dotGo
	installKernels(l)
	return l, old
}

// Current returns the level in use.
func Current() Level { return current }

// Best returns the best level this CPU and build can run.
func Best() Level { return best }

// Levels lists the levels this CPU and build can run, lowest first.
func Levels() []Level {
	var ls []Level
	for l := Generic; l <= best; l++ {
		ls = append(ls, l)
	}
	return ls
}
