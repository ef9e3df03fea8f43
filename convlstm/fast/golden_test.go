package fast

import (
	"testing"

	"example.com/convlstm/convlstm/golden"
	"example.com/convlstm/convlstm/internal/kernel"
)

// forEachLevel runs f as the subtest <level> once at each kernel level this
// CPU and build support (generic, avx2, avx512), restoring the level after.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, l := range kernel.Levels() {
		t.Run(l.String(), func(t *testing.T) {
			t.Cleanup(kernel.Use(l))
			f(t)
		})
	}
}

// forceTaps puts every layer on the taps kernel for the rest of t.
func forceTaps(t *testing.T) {
	saved := tapsMinCin
	tapsMinCin = 1
	t.Cleanup(func() { tapsMinCin = saved })
}

// TestGolden runs every case PyTorch made through fast.Forward, as the
// fast path chooses its kernels ("fast": taps for layers with hid >= 16,
// im2col below) and with the taps kernel forced on every layer
// ("fast-taps"), each at every kernel level the CPU has
// (TestGolden/<case>/fast-taps/avx2, ...), and compares every returned
// tensor with PyTorch's (the tolerance of the readable path's test).
func TestGolden(t *testing.T) {
	root, err := golden.Dir()
	if err != nil {
		t.Fatal(err)
	}
	names, err := golden.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			gc, err := golden.Load(root, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, variant := range []string{"fast", "fast-taps"} {
				t.Run(variant, func(t *testing.T) {
					if variant == "fast-taps" {
						forceTaps(t)
					}
					forEachLevel(t, func(t *testing.T) {
						m, err := gc.Model()
						if err != nil {
							t.Fatal(err)
						}
						hs, err := gc.HiddenState()
						if err != nil {
							t.Fatal(err)
						}
						outs, states, err := Forward(m, gc.Input(), hs)
						if err != nil {
							t.Fatal(err)
						}
						diffs, err := gc.CompareForward(outs, states)
						golden.Check(t, diffs, err)
					})
				})
			}
		})
	}
}
