package fast

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm/internal/kernel"
)

// TestRunnerDirect: a Runner with Direct set computes every conv
// directly, one without takes Winograd's algorithm where WinogradLayers
// says it does: a 32x32 layer with 32 hidden channels and a 5x5 kernel at
// AVX-512, whose results then differ from the direct conv's by rounding,
// never by more than 2e-5.
func TestRunnerDirect(t *testing.T) {
	t.Cleanup(kernel.SetWinoPolicy(kernel.WinoAuto))
	m, x := seededLayer(t, 9, 3, 32, [2]int{5, 5}, math.Sin, 2, 3, 3, 32, 32)
	r := Runner{Direct: true}
	direct, _, err := r.Forward(m, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	restore := kernel.SetWinoPolicy(kernel.WinoNever)
	want, _, err := Forward(m, x, nil)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "Direct vs the direct kernels", want[0], direct[0])
	avx512 := kernel.Current() == kernel.AVX512
	if on := WinogradLayers(m, 32, 32); on[0] != avx512 {
		t.Errorf("WinogradLayers with Winograd on at %v: %v", kernel.Current(), on)
	}
	if on := WinogradLayers(m, 8, 8); on[0] {
		t.Errorf("WinogradLayers on 8x8 frames (4 tiles of 16 lanes): %v", on)
	}
	wino, _, err := Forward(m, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := maxDiff(t, "winograd vs direct", wino[0], direct[0])
	t.Logf("Winograd vs direct: max abs difference %.2g (tolerance 2e-5)", d)
	if d > 2e-5 {
		t.Errorf("Winograd and direct differ by %g", d)
	}
	if avx512 && d == 0 {
		t.Errorf("Winograd on at AVX-512 gave the direct conv's bits exactly: it did not run")
	}
	if bt, g, at := WinogradMatrices(5); len(bt) != 6 || len(g) != 6 || len(g[0]) != 5 || len(at) != 2 {
		t.Errorf("WinogradMatrices(5): shapes %dx%d, %dx%d, %dx%d", len(bt), len(bt[0]), len(g), len(g[0]), len(at), len(at[0]))
	}
	if bt, _, _ := WinogradMatrices(4); bt != nil {
		t.Errorf("WinogradMatrices(4) = %v, want nil", bt)
	}
}

// TestWinogradFallsBack: a layer that Winograd's algorithm would take runs
// the direct kernel instead, bit for bit, when its input holds a NaN, an
// infinity or a value past winoBound, and when a weight does.
func TestWinogradFallsBack(t *testing.T) {
	if kernel.Best() != kernel.AVX512 {
		t.Skip("Winograd's algorithm runs at the AVX-512 level only")
	}
	t.Cleanup(kernel.SetWinoPolicy(kernel.WinoAuto))
	for _, spoil := range []float32{float32(math.NaN()), float32(math.Inf(-1)), 2 * winoBound} {
		for _, where := range []string{"input", "weight"} {
			m, x := seededLayer(t, 10, 3, 32, [2]int{3, 3}, math.Cos, 2, 2, 3, 32, 32)
			if where == "input" {
				x.Data[len(x.Data)/3] = spoil
			} else {
				m.CellList[0].Conv.Weight.Data[7] = spoil
			}
			if on := WinogradLayers(m, 32, 32); !on[0] {
				t.Fatalf("the layer does not take Winograd's algorithm even with finite values")
			}
			kernel.SetWinoPolicy(kernel.WinoAlways)
			got, _, err := Forward(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			kernel.SetWinoPolicy(kernel.WinoNever)
			want, _, err := Forward(m, x, nil)
			if err != nil {
				t.Fatal(err)
			}
			kernel.SetWinoPolicy(kernel.WinoAuto)
			for i, w := range want[0].Data {
				g := got[0].Data[i]
				if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					t.Fatalf("%g in the %s: element %d is %g, the direct kernel's %g", spoil, where, i, g, w)
				}
			}
		}
	}
}
