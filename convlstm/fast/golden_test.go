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

// convMode is one way for the tests to compute the layers' convs.
type convMode struct {
	name   string
	minCin int               // tapsMinCin
	policy kernel.WinoPolicy // kernel.SetWinoPolicy
}

// convModes: as the fast path chooses ("auto": taps for layers with hid >=
// 16, im2col below, Winograd where kernel.UseWino takes it), every layer on
// the direct taps kernel ("taps"), every layer by Winograd wherever it can
// run ("wino": AVX-512, 3x3 and 5x5 kernels, finite values; the others as
// "taps"), every layer on im2col ("im2col").
var convModes = []convMode{
	{"auto", 16, kernel.WinoAuto},
	{"taps", 1, kernel.WinoNever},
	{"wino", 1, kernel.WinoAlways},
	{"im2col", 1 << 30, kernel.WinoAuto},
}

// set puts the mode in place and returns the function that restores the
// previous one.
func (c convMode) set() (restore func()) {
	saved := tapsMinCin
	tapsMinCin = c.minCin
	restoreWino := kernel.SetWinoPolicy(c.policy)
	return func() {
		tapsMinCin = saved
		restoreWino()
	}
}

// TestGolden runs every case PyTorch made through fast.Forward in every
// convMode ("fast-auto", "fast-taps", "fast-wino", "fast-im2col"), each at
// every kernel level the CPU has (TestGolden/<case>/fast-wino/avx512, ...),
// and compares every returned tensor with PyTorch's (the tolerance of the
// readable path's test).
func TestGolden(t *testing.T) {
	for _, gc := range golden.CasesFor(t) {
		t.Run(gc.Name, func(t *testing.T) {
			for _, mode := range convModes {
				t.Run("fast-"+mode.name, func(t *testing.T) {
					t.Cleanup(mode.set())
					forEachLevel(t, func(t *testing.T) {
						_, diffs, err := gc.RunForward(Forward)
						golden.Check(t, diffs, err)
					})
				})
			}
		})
	}
}
