package cellstep

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("04-cell-step")

func TestCombine(t *testing.T) {
	for _, s := range []struct{ b, ci, ch, h, w int }{{1, 1, 1, 2, 2}, {2, 3, 4, 3, 5}, {3, 2, 5, 4, 1}} {
		// Labels: input values are positive, h values negative, so a wrong
		// order or a wrong batch stride gives a visibly wrong number.
		in := convlstm.Zeros(s.b, s.ci, s.h, s.w)
		for k := range in.Data {
			in.Data[k] = float32(k + 1)
		}
		h := convlstm.Zeros(s.b, s.ch, s.h, s.w)
		for k := range h.Data {
			h.Data[k] = -float32(k + 1)
		}
		want := convlstm.Zeros(s.b, s.ci+s.ch, s.h, s.w)
		for k := range want.Data {
			idx := check.Unravel(k, want.Shape)
			if idx[1] < s.ci {
				want.Data[k] = in.At(idx[0], idx[1], idx[2], idx[3])
			} else {
				want.Data[k] = h.At(idx[0], idx[1]-s.ci, idx[2], idx[3])
			}
		}
		got, err := Combine(in, h)
		ex.NoError(t, "Combine", err, 1)
		ex.Tensor(t, fmt.Sprintf("Combine(input %v (values > 0), h %v (values < 0))", in.Shape, h.Shape), got, want, check.Exact, 1)
	}
}

func TestCombineRejectsMismatch(t *testing.T) {
	_, err := Combine(convlstm.Zeros(2, 3, 4, 5), convlstm.Zeros(2, 3, 5, 4))
	ex.Started(t, "Combine", err)
	if err == nil {
		t.Fatalf("Combine of input (2,3,4,5) and h (2,3,5,4): want an error (H and W differ), got nil\n    hint: %s", ex.Hint(1))
	}
}

// TestStepMatchesCell compares with the project's ConvLSTMCell on random
// data: square and non-square kernels, H != W, with and without bias.
func TestStepMatchesCell(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for _, s := range []struct {
		b, in, hid, h, w int
		k                [2]int
		bias             bool
	}{
		{2, 3, 4, 6, 5, [2]int{3, 3}, true},
		{1, 2, 3, 5, 8, [2]int{3, 5}, true},
		{2, 2, 4, 7, 5, [2]int{5, 3}, false},
		{2, 1, 2, 1, 9, [2]int{3, 3}, true},
		{3, 4, 1, 4, 3, [2]int{1, 1}, true},
	} {
		cell, err := convlstm.NewCell(s.in, s.hid, s.k, s.bias)
		if err != nil {
			t.Fatal(err)
		}
		for k := range cell.Conv.Weight.Data {
			cell.Conv.Weight.Data[k] *= 4 // spread the gates out
		}
		x := check.Rand(rng, s.b, s.in, s.h, s.w)
		h := check.Rand(rng, s.b, s.hid, s.h, s.w)
		c := check.Rand(rng, s.b, s.hid, s.h, s.w)
		want, err := cell.Forward(x, convlstm.State{H: h, C: c})
		if err != nil {
			t.Fatal(err)
		}
		hKeep, cKeep := h.Clone(), c.Clone()
		hNext, cNext, err := Step(x, h, c, cell.Conv.Weight, cell.Conv.Bias)
		ex.NoError(t, "Step", err, 2)
		what := fmt.Sprintf("input %v, hidden_dim %d, kernel %v, bias %v", x.Shape, s.hid, s.k, s.bias)
		ex.Tensor(t, "c_next for "+what, cNext, want.C, check.Float32Sum, 3)
		ex.Tensor(t, "h_next for "+what, hNext, want.H, check.Float32Sum, 3)
		ex.Tensor(t, "h_cur after Step (it must not change its arguments)", h, hKeep, check.Exact, 3)
		ex.Tensor(t, "c_cur after Step (it must not change its arguments)", c, cKeep, check.Exact, 3)
	}
}

// TestStepAgainstPyTorch: golden case l1_t1_hs_tf is one step from a given
// (h, c); l1_k3x3_h1w9_in1's first step starts from zeros (only h_1 is
// stored for it).
func TestStepAgainstPyTorch(t *testing.T) {
	gc := check.LoadGolden(t, "l1_t1_hs_tf")
	m := gc.Model(t)
	in := gc.T(t, "input") // (T=1, B, C, H, W)
	x := &convlstm.Tensor{Shape: in.Shape[1:], Data: in.Data}
	hs := gc.HiddenState(t)
	hNext, cNext, err := Step(x, hs[0].H, hs[0].C, m.CellList[0].Conv.Weight, m.CellList[0].Conv.Bias)
	ex.NoError(t, "Step", err, 2)
	ex.Tensor(t, "c_next vs PyTorch's last_state[0].c (golden l1_t1_hs_tf)", cNext, gc.T(t, "last_state.0.c"), check.GoldenForward, 3)
	ex.Tensor(t, "h_next vs PyTorch's last_state[0].h (golden l1_t1_hs_tf)", hNext, gc.T(t, "last_state.0.h"), check.GoldenForward, 3)

	gc = check.LoadGolden(t, "l1_k3x3_h1w9_in1")
	m = gc.Model(t)
	in = gc.T(t, "input") // (B, T, 1, 1, 9)
	b, T, cin, hh, w := in.Shape[0], in.Shape[1], in.Shape[2], in.Shape[3], in.Shape[4]
	hid := m.HiddenDim[0]
	x = convlstm.Zeros(b, cin, hh, w)
	for n := 0; n < b; n++ {
		copy(x.Data[n*cin*hh*w:(n+1)*cin*hh*w], in.Data[n*T*cin*hh*w:])
	}
	hNext, _, err = Step(x, convlstm.Zeros(b, hid, hh, w), convlstm.Zeros(b, hid, hh, w), m.CellList[0].Conv.Weight, m.CellList[0].Conv.Bias)
	ex.NoError(t, "Step", err, 2)
	out := gc.T(t, "layer_output.0") // (B, T, hid, 1, 9)
	want := convlstm.Zeros(b, hid, hh, w)
	for n := 0; n < b; n++ {
		copy(want.Data[n*hid*hh*w:(n+1)*hid*hh*w], out.Data[n*T*hid*hh*w:])
	}
	ex.Tensor(t, "h_1 from zero state vs PyTorch's layer_output[:, 0] (golden l1_k3x3_h1w9_in1)", hNext, want, check.GoldenForward, 3)
}

func TestStepRejectsBadShapes(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	x := check.Rand(rng, 2, 3, 5, 5)
	h := check.Rand(rng, 2, 4, 5, 5)
	cases := []struct {
		name    string
		c, w    *convlstm.Tensor
		problem string
	}{
		{"c (2,3,5,5) for h (2,4,5,5)", check.Rand(rng, 2, 3, 5, 5), check.Rand(rng, 16, 7, 3, 3), "c and h differ"},
		{"weight (12,7,3,3) for hidden_dim 4", check.Rand(rng, 2, 4, 5, 5), check.Rand(rng, 12, 7, 3, 3), "want 4*hid = 16 output channels"},
		{"weight (16,6,3,3) for 3+4 input channels", check.Rand(rng, 2, 4, 5, 5), check.Rand(rng, 16, 6, 3, 3), "want Cin+hid = 7 input channels"},
	}
	for _, cs := range cases {
		_, _, err := Step(x, h, cs.c, cs.w, nil)
		ex.Started(t, "Step", err)
		if err == nil {
			t.Fatalf("Step with %s: want an error (%s), got nil\n    hint: %s", cs.name, cs.problem, ex.Hint(2))
		}
	}
}
