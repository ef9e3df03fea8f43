package convlstm

import "testing"

// forEachLevel runs f as the subtest <level> once at each kernel level
// this CPU and build support (generic, avx2, avx512), restoring the level
// in use afterwards.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, l := range kernelLevels() {
		t.Run(l.String(), func(t *testing.T) {
			useLevel(t, l)
			f(t)
		})
	}
}

// useLevel sets the kernel level for the rest of t.
func useLevel(t *testing.T, l level) {
	t.Helper()
	set, old := setKernelLevel(l)
	if set != l {
		t.Fatalf("setKernelLevel(%v) set %v", l, set)
	}
	t.Cleanup(func() { setKernelLevel(old) })
}

// lowerLevels are the supported kernel levels below the CPU's best one,
// the ones the package does not use unless a test forces them.
func lowerLevels() []level {
	ls := kernelLevels()
	return ls[:len(ls)-1]
}

func TestKernelLevel(t *testing.T) {
	if kernelLevel != cpuLevel {
		t.Fatalf("kernelLevel = %v, want the CPU's %v", kernelLevel, cpuLevel)
	}
	t.Logf("CPU kernel level: %v", cpuLevel)
	set, old := setKernelLevel(levelAVX512 + 1)
	defer setKernelLevel(old)
	if set != cpuLevel || kernelLevel != cpuLevel {
		t.Errorf("setKernelLevel above the CPU set %v, want %v", set, cpuLevel)
	}
	if set, _ := setKernelLevel(levelGeneric); set != levelGeneric {
		t.Errorf("setKernelLevel(generic) set %v", set)
	}
}
