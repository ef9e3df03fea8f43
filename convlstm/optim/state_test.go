package optim

import (
	"slices"
	"testing"

	"example.com/convlstm/convlstm"
)

// Adam restored from Moments and Steps continues exactly as the original.
func TestMomentsRestore(t *testing.T) {
	p := func() map[string]*convlstm.Tensor {
		return map[string]*convlstm.Tensor{"w": {Shape: []int{3}, Data: []float32{1, -2, 3}}}
	}
	g := map[string]*convlstm.Tensor{"w": {Shape: []int{3}, Data: []float32{0.5, 0.25, -1}}}
	a, pa := NewAdam(), p()
	for range 3 {
		if err := a.Step(pa, g); err != nil {
			t.Fatal(err)
		}
	}
	b, pb := NewAdam(), p()
	copy(pb["w"].Data, pa["w"].Data)
	m, v := a.Moments()
	if err := b.SetMoments(m, v); err != nil {
		t.Fatal(err)
	}
	b.Steps = a.Steps
	a.Step(pa, g)
	b.Step(pb, g)
	if !slices.Equal(pa["w"].Data, pb["w"].Data) {
		t.Errorf("restored Adam stepped to %v, the original to %v", pb["w"].Data, pa["w"].Data)
	}
	if err := b.SetMoments(map[string][]float32{"w": {1}}, map[string][]float32{"w": {1, 2}}); err == nil {
		t.Error("SetMoments with lengths 1 and 2: no error")
	}
	if err := b.SetMoments(map[string][]float32{"w": {1}}, map[string][]float32{"x": {1}}); err == nil {
		t.Error("SetMoments with different names: no error")
	}
}
