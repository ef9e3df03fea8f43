package convlstm

import "testing"

// The exported ops give the readable path's results and reject bad shapes
// with errors.
func TestPublicOps(t *testing.T) {
	a := Zeros(2, 3, 4, 5)
	b := Zeros(2, 1, 4, 5)
	for i := range a.Data {
		a.Data[i] = float32(i)
	}
	for i := range b.Data {
		b.Data[i] = -float32(i)
	}
	c, err := Cat1(a, b)
	if err != nil || maxAbsDiff(c, cat1(a, b)) != 0 || !SameShape(c.Shape, []int{2, 4, 4, 5}) {
		t.Fatalf("Cat1: %v %v", shapeOf(c), err)
	}
	parts, err := Split1(c, 2)
	if err != nil || len(parts) != 2 || maxAbsDiff(parts[1], split1(c, 2)[1]) != 0 {
		t.Fatalf("Split1: %d parts, %v", len(parts), err)
	}
	s, err := Stack1([]*Tensor{a, a})
	if err != nil || !SameShape(s.Shape, []int{2, 2, 3, 4, 5}) {
		t.Fatalf("Stack1: %v %v", shapeOf(s), err)
	}
	p, err := Permute10(s)
	if err != nil || maxAbsDiff(p, permute10(s)) != 0 {
		t.Fatalf("Permute10: %v", err)
	}

	_, err = Cat1(a, Zeros(2, 1, 4, 6))
	wantErr(t, err, "Cat1", "[2 3 4 5]", "[2 1 4 6]")
	_, err = Cat1(nil, b)
	wantErr(t, err, "Cat1: a must be 4-D")
	_, err = Split1(c, 3)
	wantErr(t, err, "size 3 does not divide the 4 channels")
	_, err = Stack1(nil)
	wantErr(t, err, "xs is empty")
	_, err = Stack1([]*Tensor{a, b})
	wantErr(t, err, "xs[1] has shape [2 1 4 5], want [2 3 4 5]")
	_, err = Permute10(a)
	wantErr(t, err, "Permute10: x must be 5-D")
	_, err = Permute10(&Tensor{Shape: []int{2, 0, 1, 1, 1}})
	wantErr(t, err, "must be positive")
}
