package nbutil

import (
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
)

// counting returns a tensor whose values are 0, 1, 2, ... in memory order.
func counting(shape ...int) *convlstm.Tensor {
	t := convlstm.Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = float32(i)
	}
	return t
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// must returns a function that passes a helper's tensor through and stops
// the test at its error: ok := must(t); y := ok(Mul(a, b)).
func must(t *testing.T) func(*convlstm.Tensor, error) *convlstm.Tensor {
	return func(x *convlstm.Tensor, err error) *convlstm.Tensor {
		t.Helper()
		mustNil(t, err)
		return x
	}
}

// mustShape stops the test unless err is nil and got has the shape want.
func mustShape(t *testing.T, what string, got *convlstm.Tensor, err error, want ...int) {
	t.Helper()
	mustNil(t, err)
	if !convlstm.SameShape(got.Shape, want) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape, want)
	}
}

func TestMovingSquare(t *testing.T) {
	x, err := MovingSquare(4, 6, 7, 2, 1, -1, 1, 2)
	mustShape(t, "MovingSquare", x, err, 1, 4, 1, 6, 7)
	for step := 0; step < 4; step++ {
		top, left := 1+step, -1+2*step
		n := 0
		for y := 0; y < 6; y++ {
			for c := 0; c < 7; c++ {
				in := y >= top && y < top+2 && c >= left && c < left+2
				v := x.At(0, step, 0, y, c)
				if (v == 1) != in || (v != 0 && v != 1) {
					t.Fatalf("t=%d (%d, %d) = %v, inside square: %v", step, y, c, v, in)
				}
				if in {
					n++
				}
			}
		}
		if n == 0 && step < 3 {
			t.Errorf("t=%d: square not visible", step)
		}
	}
	if _, err := MovingSquare(0, 6, 7, 2, 0, 0, 1, 1); err == nil {
		t.Error("T = 0 accepted")
	}
}

func TestCatSplit(t *testing.T) {
	a, b := counting(2, 1, 3, 2), counting(2, 3, 3, 2)
	for i := range b.Data {
		b.Data[i] += 100
	}
	c, err := Cat1(a, b)
	mustShape(t, "Cat1", c, err, 2, 4, 3, 2)
	for n := 0; n < 2; n++ {
		for ch := 0; ch < 4; ch++ {
			for y := 0; y < 3; y++ {
				for x := 0; x < 2; x++ {
					want := float32(0)
					if ch == 0 {
						want = a.At(n, 0, y, x)
					} else {
						want = b.At(n, ch-1, y, x)
					}
					if got := c.At(n, ch, y, x); got != want {
						t.Fatalf("Cat1[%d,%d,%d,%d] = %v, want %v", n, ch, y, x, got, want)
					}
				}
			}
		}
	}
	parts, err := Split1(c, 2)
	mustNil(t, err)
	if len(parts) != 2 {
		t.Fatalf("Split1 gave %d parts", len(parts))
	}
	for p, part := range parts {
		for n := 0; n < 2; n++ {
			for ch := 0; ch < 2; ch++ {
				if got, want := part.At(n, ch, 2, 1), c.At(n, 2*p+ch, 2, 1); got != want {
					t.Fatalf("part %d [%d,%d,2,1] = %v, want %v", p, n, ch, got, want)
				}
			}
		}
	}
	if _, err := Cat1(a, counting(2, 3, 2, 2)); err == nil {
		t.Error("Cat1 with different H accepted")
	}
	if _, err := Split1(c, 3); err == nil {
		t.Error("Split1 with size not dividing C accepted")
	}
	if _, err := Split1(nil, 1); err == nil {
		t.Error("Split1(nil) accepted")
	}
}

// The step-by-step cell of notebook 01, built from these helpers, equals
// Cell.Forward on both paths.
func TestStepByStepEqualsForward(t *testing.T) {
	convlstm.ManualSeed(7)
	cell, err := convlstm.NewCell(2, 3, [2]int{3, 5}, true)
	mustNil(t, err)
	Scale(cell.Conv.Weight, 4)
	Scale(cell.Conv.Bias, 4)
	x := counting(2, 2, 5, 6)
	Scale(x, 0.01)
	h, c := counting(2, 3, 5, 6), counting(2, 3, 5, 6)
	Scale(h, -0.003)
	Scale(c, 0.002)

	ok := must(t)
	cc := ok(convlstm.Conv2d(ok(Cat1(x, h)), cell.Conv.Weight, cell.Conv.Bias))
	parts, err := Split1(cc, 3)
	mustNil(t, err)
	i, f, o, g := convlstm.Sigmoid(parts[0]), convlstm.Sigmoid(parts[1]), convlstm.Sigmoid(parts[2]), convlstm.Tanh(parts[3])
	cNext := ok(Add(ok(Mul(f, c)), ok(Mul(i, g)))) // f*c + i*g
	hNext := ok(Mul(o, convlstm.Tanh(cNext)))

	forwards := []struct {
		name string
		tol  float64
		step func(*convlstm.Cell, *convlstm.Tensor, convlstm.State) (convlstm.State, error)
	}{
		{"readable", 0, (*convlstm.Cell).Forward},
		{"fast", 1e-5, fast.CellForward}, // other summation order
	}
	for _, fw := range forwards {
		s, err := fw.step(cell, x, convlstm.State{H: h, C: c})
		mustNil(t, err)
		dh, err := MaxAbsDiff(hNext, s.H)
		mustNil(t, err)
		dc, err := MaxAbsDiff(cNext, s.C)
		mustNil(t, err)
		if dh > fw.tol || dc > fw.tol {
			t.Errorf("%s: step by step differs from Forward: h %g, c %g", fw.name, dh, dc)
		}
	}
}

func TestPad2d(t *testing.T) {
	x := counting(1, 2, 2, 3)
	p, err := Pad2d(x, 1, 2)
	mustShape(t, "Pad2d", p, err, 1, 2, 4, 7)
	for ch := 0; ch < 2; ch++ {
		for y := 0; y < 4; y++ {
			for c := 0; c < 7; c++ {
				want := float32(0)
				if y >= 1 && y < 3 && c >= 2 && c < 5 {
					want = x.At(0, ch, y-1, c-2)
				}
				if got := p.At(0, ch, y, c); got != want {
					t.Fatalf("[%d,%d,%d] = %v, want %v", ch, y, c, got, want)
				}
			}
		}
	}
	if _, err := Pad2d(x, -1, 0); err == nil {
		t.Error("negative padding accepted")
	}
}

func TestTimeOps(t *testing.T) {
	x := counting(2, 5, 1, 2, 2) // (B, T, C, H, W)
	f, err := Frame(x, 3)
	mustNil(t, err)
	if !convlstm.SameShape(f.Shape, []int{2, 1, 2, 2}) || f.At(1, 0, 1, 0) != x.At(1, 3, 0, 1, 0) {
		t.Fatalf("Frame: shape %v, value %v", f.Shape, f.At(1, 0, 1, 0))
	}
	a, err := TimeRange(x, 0, 2)
	mustNil(t, err)
	b, err := TimeRange(x, 2, 5)
	mustNil(t, err)
	if !convlstm.SameShape(b.Shape, []int{2, 3, 1, 2, 2}) || b.At(1, 0, 0, 0, 1) != x.At(1, 2, 0, 0, 1) {
		t.Fatalf("TimeRange: shape %v", b.Shape)
	}
	ab, err := CatTime(a, b)
	mustNil(t, err)
	if d, _ := MaxAbsDiff(ab, x); d != 0 || !convlstm.SameShape(ab.Shape, x.Shape) {
		t.Fatalf("CatTime(TimeRange(0,2), TimeRange(2,5)) differs from x by %g", d)
	}
	p, err := Permute10(x)
	mustNil(t, err)
	if !convlstm.SameShape(p.Shape, []int{5, 2, 1, 2, 2}) || p.At(3, 1, 0, 1, 1) != x.At(1, 3, 0, 1, 1) {
		t.Fatalf("Permute10: shape %v", p.Shape)
	}
	pp, err := Permute10(p)
	mustNil(t, err)
	if d, _ := MaxAbsDiff(pp, x); d != 0 {
		t.Fatal("Permute10 twice is not the identity")
	}
	for _, bad := range [][2]int{{-1, 1}, {2, 2}, {0, 6}} {
		if _, err := TimeRange(x, bad[0], bad[1]); err == nil {
			t.Errorf("TimeRange(%d, %d) accepted", bad[0], bad[1])
		}
	}
	if _, err := Frame(x, 5); err == nil {
		t.Error("Frame(x, 5) accepted with T = 5")
	}
	if _, err := CatTime(a, counting(2, 3, 2, 2, 2)); err == nil {
		t.Error("CatTime with different C accepted")
	}
	if _, err := Permute10(counting(2, 2)); err == nil {
		t.Error("Permute10 of a 2-D tensor accepted")
	}
}

func TestElementwise(t *testing.T) {
	a, b := counting(2, 3), counting(2, 3)
	Scale(b, 2)
	ok := must(t)
	m, s, d := ok(Mul(a, b)), ok(Add(a, b)), ok(Diff(a, b))
	for k := range a.Data {
		x := float32(k)
		if m.Data[k] != 2*x*x || s.Data[k] != 3*x || d.Data[k] != -x {
			t.Fatalf("k=%d: mul %v add %v diff %v", k, m.Data[k], s.Data[k], d.Data[k])
		}
	}
	if md, _ := MaxAbsDiff(a, b); md != 5 {
		t.Errorf("MaxAbsDiff = %v, want 5", md)
	}
	if _, err := Mul(a, counting(3, 2)); err == nil {
		t.Error("Mul of different shapes accepted")
	}
	if _, err := MaxAbsDiff(a, nil); err == nil {
		t.Error("MaxAbsDiff with nil accepted")
	}
	Scale(nil, 2) // must not panic
	line := Summary("a", a)
	if !strings.Contains(line, "[2 3]") || !strings.Contains(line, "max   5.0000") {
		t.Errorf("Summary = %q", line)
	}
	if !strings.Contains(Summary("bad", &convlstm.Tensor{Shape: []int{2}, Data: nil}), "values") {
		t.Error("Summary of a broken tensor does not say so")
	}
}

func TestStackCat0(t *testing.T) {
	x := counting(2, 3, 1, 2, 2) // (B, T, C, H, W)
	var frames []*convlstm.Tensor
	for step := 0; step < 3; step++ {
		f, err := Frame(x, step)
		mustNil(t, err)
		frames = append(frames, f)
	}
	s, err := Stack1(frames)
	mustNil(t, err)
	if d, _ := MaxAbsDiff(s, x); d != 0 || !convlstm.SameShape(s.Shape, x.Shape) {
		t.Fatalf("Stack1 of the frames is not x: shape %v", s.Shape)
	}
	if _, err := Stack1(nil); err == nil {
		t.Error("Stack1(nil) accepted")
	}
	if _, err := Stack1([]*convlstm.Tensor{frames[0], counting(2, 1, 2, 3)}); err == nil {
		t.Error("Stack1 of different shapes accepted")
	}

	a, b := counting(1, 3, 2), counting(2, 3, 2)
	c, err := Cat0(a, b)
	mustNil(t, err)
	if !convlstm.SameShape(c.Shape, []int{3, 3, 2}) || c.At(0, 2, 1) != a.At(0, 2, 1) || c.At(2, 1, 0) != b.At(1, 1, 0) {
		t.Fatalf("Cat0: shape %v", c.Shape)
	}
	if _, err := Cat0(a, counting(1, 2, 3)); err == nil {
		t.Error("Cat0 of different inner shapes accepted")
	}
}
