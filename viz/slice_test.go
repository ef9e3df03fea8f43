package viz_test

import (
	"reflect"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz"
)

// counting returns a tensor whose values are 0, 1, 2, ... in memory order,
// so that a value tells where it came from.
func counting(shape ...int) *convlstm.Tensor {
	return synth(func(i int) float64 { return float64(i) }, shape...)
}

func TestSub(t *testing.T) {
	x := counting(2, 3, 2, 2) // (B, C, H, W)
	got, err := viz.Sub(x, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	// x[1, 2] starts at ((1*3)+2)*4 = 20.
	want := &convlstm.Tensor{Shape: []int{2, 2}, Data: []float32{20, 21, 22, 23}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sub(x, 1, 2) = %v, want %v", got, want)
	}
	got.Data[0] = -1
	if x.Data[20] != 20 {
		t.Error("Sub shares its data with t, want a copy")
	}

	all, err := viz.Sub(x)
	if err != nil || !reflect.DeepEqual(all, x) {
		t.Errorf("Sub(x) = %v, %v, want a copy of x", all, err)
	}
}

func TestSequence(t *testing.T) {
	x := counting(2, 3, 2, 1, 2) // (B, T, C, H, W)
	got, err := viz.Sequence(x, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	// x[1, t, 1] starts at ((1*3+t)*2+1)*2 = 14 + 4t.
	want := &convlstm.Tensor{Shape: []int{3, 1, 2}, Data: []float32{14, 15, 18, 19, 22, 23}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sequence(x, 1, 1) = %v, want %v", got, want)
	}
	if _, err := viz.Sequence(x, 0, 2); err == nil {
		t.Error("Sequence(x, 0, 2) with 2 channels: no error")
	}
}
