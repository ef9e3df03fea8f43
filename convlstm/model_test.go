package convlstm

import (
	"math"
	"math/rand"
	"testing"
)

func randTensor(r *rand.Rand, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = float32(r.NormFloat64())
	}
	return t
}

func maxAbsDiff(a, b *Tensor) float64 {
	m := 0.0
	for i := range a.Data {
		m = math.Max(m, math.Abs(float64(a.Data[i]-b.Data[i])))
	}
	return m
}

// Running T1 steps, then T2 more from the returned states, must give exactly
// what running T1+T2 steps at once gives.
func TestStatefulContinuation(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	m, err := NewConvLSTM(2, []int{3, 5}, [][2]int{{3, 3}, {5, 3}}, 2, true, true, true)
	if err != nil {
		t.Fatal(err)
	}
	B, T1, T2, H, W := 2, 3, 2, 6, 5
	x := randTensor(r, B, T1+T2, 2, H, W)
	whole, wholeStates, err := m.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	part1 := Zeros(B, T1, 2, H, W)
	part2 := Zeros(B, T2, 2, H, W)
	inner := 2 * H * W
	for b := 0; b < B; b++ {
		copy(part1.Data[b*T1*inner:(b+1)*T1*inner], x.Data[b*(T1+T2)*inner:])
		copy(part2.Data[b*T2*inner:(b+1)*T2*inner], x.Data[(b*(T1+T2)+T1)*inner:])
	}
	_, s1, err := m.Forward(part1, nil)
	if err != nil {
		t.Fatal(err)
	}
	outs2, s2, err := m.Forward(part2, s1)
	if err != nil {
		t.Fatal(err)
	}
	for l := range s2 {
		if d := maxAbsDiff(s2[l].H, wholeStates[l].H) + maxAbsDiff(s2[l].C, wholeStates[l].C); d != 0 {
			t.Errorf("layer %d: continued state differs by %g", l, d)
		}
		// The last T2 steps of the whole run equal the continued outputs.
		hid := m.HiddenDim[l]
		in := hid * H * W
		for b := 0; b < B; b++ {
			for tt := 0; tt < T2; tt++ {
				for k := 0; k < in; k++ {
					if outs2[l].Data[(b*T2+tt)*in+k] != whole[l].Data[(b*(T1+T2)+T1+tt)*in+k] {
						t.Fatalf("layer %d b %d t %d: continued output differs", l, b, tt)
					}
				}
			}
		}
	}
}

// batch_first=False must give the same outputs as batch_first=True on the
// permuted input, and the outputs are batch first either way.
func TestBatchFirstPermute(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	ManualSeed(7)
	bf, _ := NewConvLSTM(2, 3, [2]int{3, 3}, 1, true, true, false)
	ManualSeed(7)
	tf, _ := NewConvLSTM(2, 3, [2]int{3, 3}, 1, false, true, false)
	x := randTensor(r, 2, 4, 2, 5, 6) // (B, T, C, H, W)
	a, _, err := bf.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := tf.Forward(permute10(x), nil) // (T, B, C, H, W)
	if err != nil {
		t.Fatal(err)
	}
	if !SameShape(a[0].Shape, []int{2, 4, 3, 5, 6}) || !SameShape(b[0].Shape, a[0].Shape) {
		t.Fatalf("shapes %v and %v, want both [2 4 3 5 6]", a[0].Shape, b[0].Shape)
	}
	if d := maxAbsDiff(a[0], b[0]); d != 0 {
		t.Errorf("outputs differ by %g", d)
	}
}

// The trace holds one Step per layer and time step, and its h and c are the
// ones Forward returns.
func TestTrace(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	m, _ := NewConvLSTM(1, []int{2, 3}, [2]int{3, 3}, 2, true, true, true)
	m.Trace = &Trace{}
	x := randTensor(r, 1, 4, 1, 5, 5)
	outs, states, err := m.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Trace.Layers) != 2 || len(m.Trace.Layers[1]) != 4 {
		t.Fatalf("trace has %d layers, want 2 with 4 steps", len(m.Trace.Layers))
	}
	for l := 0; l < 2; l++ {
		last := m.Trace.Layers[l][3]
		if maxAbsDiff(last.H, states[l].H) != 0 || maxAbsDiff(last.C, states[l].C) != 0 {
			t.Errorf("layer %d: traced last state differs from the returned one", l)
		}
		for _, s := range m.Trace.Layers[l] {
			for _, g := range []*Tensor{s.I, s.F, s.O} {
				for _, v := range g.Data {
					if v <= 0 || v >= 1 {
						t.Fatalf("sigmoid gate value %g outside (0, 1)", v)
					}
				}
			}
		}
	}
	_ = outs
	m.Trace.Reset()
	if len(m.Trace.Layers) != 0 {
		t.Error("Reset left layers")
	}
}

// Fresh weights follow nn.Conv2d's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
func TestDefaultInit(t *testing.T) {
	ManualSeed(0)
	c, _ := NewCell(3, 4, [2]int{3, 5}, true)
	bound := 1 / math.Sqrt(float64((3+4)*3*5))
	check := func(name string, x *Tensor) {
		lo, hi := 1.0, -1.0
		for _, v := range x.Data {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		if lo < -bound || hi > bound || hi-lo < bound {
			t.Errorf("%s in [%g, %g], want spread over [-%g, %g]", name, lo, hi, bound, bound)
		}
	}
	check("weight", c.Conv.Weight)
	check("bias", c.Conv.Bias)
	if !SameShape(c.Conv.Weight.Shape, []int{16, 7, 3, 5}) {
		t.Errorf("weight shape %v", c.Conv.Weight.Shape)
	}
}
