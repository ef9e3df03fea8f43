package cellstep

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("04-cell-step")

// variant describes a step computed right or with one typical mistake.
type variant struct {
	hFirst     bool   // combined = cat([h, input]) instead of cat([input, h])
	contiguous bool   // the split cuts the gate blocks over the whole batch, not per batch item
	order      [4]int // order[k] = which block the code uses as gate k (i, f, o, g)
}

var seedOrder = [4]int{0, 1, 2, 3}

// refStep computes (h_next, c_next) of one step, with the variant's mistake.
func refStep(x, h, c, w, b *convlstm.Tensor, v variant) (hNext, cNext *convlstm.Tensor) {
	first, second := x, h
	if v.hFirst {
		first, second = h, x
	}
	n, c1, c2, hh, ww := x.Shape[0], first.Shape[1], second.Shape[1], x.Shape[2], x.Shape[3]
	plane := hh * ww
	comb := convlstm.Zeros(n, c1+c2, hh, ww)
	for i := 0; i < n; i++ {
		copy(comb.Data[i*(c1+c2)*plane:], first.Data[i*c1*plane:(i+1)*c1*plane])
		copy(comb.Data[(i*(c1+c2)+c1)*plane:], second.Data[i*c2*plane:(i+1)*c2*plane])
	}
	cc, err := convlstm.Conv2d(comb, w, b)
	if err != nil {
		return nil, nil
	}
	hid := h.Shape[1]
	blocks := make([]*convlstm.Tensor, 4)
	for k := range blocks {
		blocks[k] = convlstm.Zeros(h.Shape...)
		for i := 0; i < n; i++ {
			src := cc.Data[(i*4*hid+k*hid)*plane:]
			if v.contiguous {
				src = cc.Data[(k*n*hid+i*hid)*plane:]
			}
			copy(blocks[k].Data[i*hid*plane:(i+1)*hid*plane], src)
		}
	}
	ig, fg, og, gg := convlstm.Sigmoid(blocks[v.order[0]]), convlstm.Sigmoid(blocks[v.order[1]]), convlstm.Sigmoid(blocks[v.order[2]]), convlstm.Tanh(blocks[v.order[3]])
	cNext = convlstm.Zeros(h.Shape...)
	for k := range cNext.Data {
		cNext.Data[k] = fg.Data[k]*c.Data[k] + ig.Data[k]*gg.Data[k]
	}
	tc := convlstm.Tanh(cNext)
	hNext = convlstm.Zeros(h.Shape...)
	for k := range hNext.Data {
		hNext.Data[k] = og.Data[k] * tc.Data[k]
	}
	return hNext, cNext
}

// permutations of the four gate blocks other than the seed's.
func permutations() [][4]int {
	var out [][4]int
	var rec func(p []int, used int)
	rec = func(p []int, used int) {
		if len(p) == 4 {
			if q := [4]int(p); q != seedOrder {
				out = append(out, q)
			}
			return
		}
		for k := 0; k < 4; k++ {
			if used&(1<<k) == 0 {
				rec(append(append([]int(nil), p...), k), used|1<<k)
			}
		}
	}
	rec(nil, 0)
	return out
}

// stepDiag diagnoses a wrong h_next (isH) or c_next of Step(x, h, c, w, b):
// a wrong Combine, the cat in the order [h, x] (Hint 1), the gate blocks in
// another order or cut over the whole batch (Hint 2), else the update
// formulas (Hint 3).
func stepDiag(x, h, c, w, b *convlstm.Tensor, isH bool, got *convlstm.Tensor) check.Diagnose {
	return func([]int) (int, string) {
		if comb, err := Combine(x, h); err == nil && !check.Close(comb, wantCombine(x, h), check.Exact) {
			return 1, "your Combine is wrong for these x and h: if your Step uses it, fix Combine first (TestCombine)"
		}
		try := func(v variant) bool {
			hn, cn := refStep(x, h, c, w, b, v)
			want := cn
			if isH {
				want = hn
			}
			return check.Close(got, want, check.Float32Sum)
		}
		if try(variant{hFirst: true, order: seedOrder}) {
			return 1, "these are the values of combined = cat([h, input]): the input's channels come first"
		}
		if try(variant{contiguous: true, order: seedOrder}) {
			return 2, "these are the values of a split that cuts each gate's block over the whole batch: cut per batch item"
		}
		for _, p := range permutations() {
			if try(variant{order: p}) {
				names := []string{"i", "f", "o", "g"}
				return 2, fmt.Sprintf("these are the values with the blocks taken as i, f, o, g = blocks %s, %s, %s, %s: the seed's order is i, f, o, g = blocks i, f, o, g",
					names[p[0]], names[p[1]], names[p[2]], names[p[3]])
			}
		}
		return 3, ""
	}
}

// wantCombine is torch.cat([x, h], dim=1).
func wantCombine(x, h *convlstm.Tensor) *convlstm.Tensor {
	want := convlstm.Zeros(x.Shape[0], x.Shape[1]+h.Shape[1], x.Shape[2], x.Shape[3])
	for k := range want.Data {
		idx := check.Unravel(k, want.Shape)
		if idx[1] < x.Shape[1] {
			want.Data[k] = x.At(idx[0], idx[1], idx[2], idx[3])
		} else {
			want.Data[k] = h.At(idx[0], idx[1]-x.Shape[1], idx[2], idx[3])
		}
	}
	return want
}

// checkStep compares Step's results with the expected ones, diagnosing a
// mismatch.
func checkStep(t *testing.T, what string, x, h, c, w, b, hNext, cNext, wantH, wantC *convlstm.Tensor, tol check.Tol) {
	t.Helper()
	ex.NotNil(t, "Step: h_next, c_next", []*convlstm.Tensor{hNext, cNext}, 3)
	ex.Fresh(t, "Step", []check.Named{check.N("h_next", hNext), check.N("c_next", cNext)},
		[]check.Named{check.N("input", x), check.N("h_cur", h), check.N("c_cur", c)}, 3)
	if wantC != nil {
		ex.TensorDiag(t, "c_next for "+what, cNext, wantC, tol, 3, stepDiag(x, h, c, w, b, false, cNext))
	}
	ex.TensorDiag(t, "h_next for "+what, hNext, wantH, tol, 3, stepDiag(x, h, c, w, b, true, hNext))
}

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
		want := wantCombine(in, h)
		got, err := Combine(in, h)
		ex.NoError(t, "Combine", err, 1)
		ex.NotNil(t, "Combine", []*convlstm.Tensor{got}, 1)
		ex.Fresh(t, "Combine", []check.Named{check.N("combined", got)}, []check.Named{check.N("input", in), check.N("h", h)}, 1)
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
		checkStep(t, what, x, h, c, cell.Conv.Weight, cell.Conv.Bias, hNext, cNext, want.H, want.C, check.Float32Sum)
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
	w, b := m.CellList[0].Conv.Weight, m.CellList[0].Conv.Bias
	hNext, cNext, err := Step(x, hs[0].H, hs[0].C, w, b)
	ex.NoError(t, "Step", err, 2)
	checkStep(t, "one step vs PyTorch's last_state[0] (golden l1_t1_hs_tf)", x, hs[0].H, hs[0].C, w, b, hNext, cNext,
		gc.T(t, "last_state.0.h"), gc.T(t, "last_state.0.c"), check.GoldenForward)

	gc = check.LoadGolden(t, "l1_k3x3_h1w9_in1")
	m = gc.Model(t)
	in = gc.T(t, "input") // (B, T, 1, 1, 9)
	bsz, T, cin, hh, wd := in.Shape[0], in.Shape[1], in.Shape[2], in.Shape[3], in.Shape[4]
	hid := m.HiddenDim[0]
	x = convlstm.Zeros(bsz, cin, hh, wd)
	for n := 0; n < bsz; n++ {
		copy(x.Data[n*cin*hh*wd:(n+1)*cin*hh*wd], in.Data[n*T*cin*hh*wd:])
	}
	h0, c0 := convlstm.Zeros(bsz, hid, hh, wd), convlstm.Zeros(bsz, hid, hh, wd)
	w, b = m.CellList[0].Conv.Weight, m.CellList[0].Conv.Bias
	hNext, cNext, err = Step(x, h0, c0, w, b)
	ex.NoError(t, "Step", err, 2)
	out := gc.T(t, "layer_output.0") // (B, T, hid, 1, 9)
	want := convlstm.Zeros(bsz, hid, hh, wd)
	for n := 0; n < bsz; n++ {
		copy(want.Data[n*hid*hh*wd:(n+1)*hid*hh*wd], out.Data[n*T*hid*hh*wd:])
	}
	checkStep(t, "h_1 from zero state vs PyTorch's layer_output[:, 0] (golden l1_k3x3_h1w9_in1)", x, h0, c0, w, b, hNext, cNext, want, nil, check.GoldenForward)
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
