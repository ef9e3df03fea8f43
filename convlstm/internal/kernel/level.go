package kernel

// Level is a set of kernels: portable Go, AVX2+FMA assembly (ymm, 8 lanes)
// or AVX-512 assembly (zmm, 16 lanes). The package starts at the best level
// the CPU and the build support; tests force each lower one with SetLevel.
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

// current is the Level in use; change it with SetLevel only, which also
// installs that level's kernels.
var current Level

func init() { SetLevel(best) }

// SetLevel selects the kernels of level l, clamped to the best level of
// this CPU and build, and returns the level it set and the one it replaced.
// It is meant for tests and benchmarks, and must not run while a product
// is running.
func SetLevel(l Level) (set, old Level) {
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

// Use sets level l (as SetLevel does) and returns the function that puts
// the previous level back, for tests: t.Cleanup(kernel.Use(l)). It panics
// if the CPU cannot run l, which a test must not ask for (see Levels).
func Use(l Level) (restore func()) {
	set, old := SetLevel(l)
	if set != l {
		SetLevel(old)
		panic("kernel: Use(" + l.String() + "): this CPU and build run at most " + best.String())
	}
	return func() { SetLevel(old) }
}
