package kernel

import "testing"

// forEachLevel runs f as the subtest <level> once at each kernel Level
// this CPU and build support (generic, avx2, avx512), restoring the Level
// in use afterwards.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, l := range Levels() {
		t.Run(l.String(), func(t *testing.T) {
			useLevel(t, l)
			f(t)
		})
	}
}

// useLevel sets the kernel Level for the rest of t.
func useLevel(t *testing.T, l Level) {
	t.Helper()
	t.Cleanup(Use(l))
}

// lowerLevels are the supported kernel levels below the CPU's best one,
// the ones the package does not use unless a test forces them.
func lowerLevels() []Level {
	ls := Levels()
	return ls[:len(ls)-1]
}

func TestKernelLevel(t *testing.T) {
	if current != best {
		t.Fatalf("current = %v, want the CPU's %v", current, best)
	}
	t.Logf("CPU kernel level: %v", best)
	set, old := setLevel(AVX512 + 1)
	defer setLevel(old)
	if set != best || current != best {
		t.Errorf("setLevel above the CPU set %v, want %v", set, best)
	}
	if set, _ := setLevel(Generic); set != Generic {
		t.Errorf("setLevel(generic) set %v", set)
	}
}
