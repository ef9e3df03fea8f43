package gates

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("03-gate-split")

var gateNames = []string{"i", "f", "o", "g"}

// refSplit is torch.split(cc, hid, dim=1): the four blocks, each a new
// tensor, in the order i, f, o, g.
func refSplit(cc *convlstm.Tensor, hid int) []*convlstm.Tensor {
	b, c, plane := cc.Shape[0], cc.Shape[1], cc.Shape[2]*cc.Shape[3]
	parts := make([]*convlstm.Tensor, 4)
	for k := range parts {
		parts[k] = convlstm.Zeros(b, hid, cc.Shape[2], cc.Shape[3])
		for n := 0; n < b; n++ {
			copy(parts[k].Data[n*hid*plane:(n+1)*hid*plane], cc.Data[(n*c+k*hid)*plane:])
		}
	}
	return parts
}

// orderHint diagnoses a wrong split: when a result holds exactly the block
// of another gate, the order is wrong (Hint 3); anything else is a wrong
// cut (Hint 1).
func orderHint(got, want []*convlstm.Tensor) (int, string) {
	for k := range got {
		if check.Close(got[k], want[k], check.Exact) {
			continue
		}
		for j := range want {
			if j != k && check.Close(got[k], want[j], check.Exact) {
				return 3, fmt.Sprintf("your cc_%s holds the block of %s (channels [%d*hid, %d*hid)): the seed's order is i, f, o, g", gateNames[k], gateNames[j], j, j+1)
			}
		}
		return 1, ""
	}
	return 0, ""
}

// TestSplitGatesLabels fills combined_conv with labels: the value tells
// where it came from, batch*1000 + channel + pixel/1000. A mistake shows up
// as a wrong label at a named position.
func TestSplitGatesLabels(t *testing.T) {
	for _, s := range []struct{ b, hid, h, w int }{{1, 1, 2, 3}, {2, 3, 4, 5}, {3, 4, 5, 2}} {
		cc := convlstm.Zeros(s.b, 4*s.hid, s.h, s.w)
		for k := range cc.Data {
			idx := check.Unravel(k, cc.Shape)
			cc.Data[k] = float32(idx[0]*1000+idx[1]) + float32(idx[2]*s.w+idx[3])/1000
		}
		parts := make([]*convlstm.Tensor, 4)
		var err error
		parts[0], parts[1], parts[2], parts[3], err = SplitGates(cc, s.hid)
		ex.NoError(t, "SplitGates", err, 1)
		ex.NotNil(t, "SplitGates: cc_i, cc_f, cc_o, cc_g", parts, 1)
		ex.Fresh(t, "SplitGates", []check.Named{check.N("cc_i", parts[0]), check.N("cc_f", parts[1]), check.N("cc_o", parts[2]), check.N("cc_g", parts[3])},
			[]check.Named{check.N("combined_conv", cc)}, 1)
		wants := make([]*convlstm.Tensor, 4)
		for gate := range wants {
			want := convlstm.Zeros(s.b, s.hid, s.h, s.w)
			for k := range want.Data {
				idx := check.Unravel(k, want.Shape)
				ch := gate*s.hid + idx[1] // gate block, then channel inside it
				want.Data[k] = float32(idx[0]*1000+ch) + float32(idx[2]*s.w+idx[3])/1000
			}
			wants[gate] = want
		}
		for gate, got := range parts {
			name := fmt.Sprintf("cc_%s of combined_conv %v (hidden_dim %d; value = batch*1000 + source channel + pixel/1000)",
				gateNames[gate], cc.Shape, s.hid)
			ex.TensorDiag(t, name, got, wants[gate], check.Exact, 1, func([]int) (int, string) { return orderHint(parts, wants) })
		}
	}
}

func TestSplitGatesRejectsBadShapes(t *testing.T) {
	cases := []struct {
		name string
		cc   *convlstm.Tensor
		hid  int
	}{
		{"10 channels for hidden_dim 2", convlstm.Zeros(1, 10, 2, 2), 2},
		{"4 channels for hidden_dim 2", convlstm.Zeros(1, 4, 2, 2), 2},
		{"a 3-D tensor", convlstm.Zeros(8, 2, 2), 2},
	}
	for _, c := range cases {
		_, _, _, _, err := SplitGates(c.cc, c.hid)
		ex.Started(t, "SplitGates", err)
		if err == nil {
			t.Fatalf("SplitGates with %s: want an error, got nil (combined_conv must be 4-D with 4*hidden_dim channels)\n    hint: %s", c.name, ex.Hint(1))
		}
	}
}

// combine mirrors torch.cat([x, h], dim=1) for the tests.
func combine(x, h *convlstm.Tensor) *convlstm.Tensor {
	b, cx, ch, plane := x.Shape[0], x.Shape[1], h.Shape[1], x.Shape[2]*x.Shape[3]
	out := convlstm.Zeros(b, cx+ch, x.Shape[2], x.Shape[3])
	for n := 0; n < b; n++ {
		copy(out.Data[n*(cx+ch)*plane:], x.Data[n*cx*plane:(n+1)*cx*plane])
		copy(out.Data[(n*(cx+ch)+cx)*plane:], h.Data[n*ch*plane:(n+1)*ch*plane])
	}
	return out
}

// TestGatesMatchCell runs the project's cell on random data with its
// gate trace and compares the four activations.
func TestGatesMatchCell(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, s := range []struct {
		b, in, hid, h, w int
		k                [2]int
	}{{2, 3, 4, 6, 5, [2]int{3, 3}}, {1, 2, 3, 5, 8, [2]int{3, 5}}, {2, 1, 1, 7, 4, [2]int{5, 3}}, {3, 4, 2, 1, 6, [2]int{1, 1}}} {
		cell, err := convlstm.NewCell(s.in, s.hid, s.k, true)
		if err != nil {
			t.Fatal(err)
		}
		// Scale the weights up so the gates are spread out, not all near 0.5.
		for k := range cell.Conv.Weight.Data {
			cell.Conv.Weight.Data[k] *= 4
		}
		x := check.Rand(rng, s.b, s.in, s.h, s.w)
		st := convlstm.State{H: check.Rand(rng, s.b, s.hid, s.h, s.w), C: check.Rand(rng, s.b, s.hid, s.h, s.w)}
		step, err := cell.ForwardGates(x, st)
		if err != nil {
			t.Fatal(err)
		}
		cc, err := convlstm.Conv2d(combine(x, st.H), cell.Conv.Weight, cell.Conv.Bias)
		if err != nil {
			t.Fatal(err)
		}
		// Activate gets the right pre-activations (the test's own split), so
		// a mistake in SplitGates does not show up here.
		ref := refSplit(cc, s.hid)
		ccI, ccF, ccO, ccG := ref[0], ref[1], ref[2], ref[3]
		keep := refSplit(cc, s.hid)
		i, f, o, g, err := Activate(ccI, ccF, ccO, ccG)
		ex.NoError(t, "Activate", err, 2)
		ex.NotNil(t, "Activate: i, f, o, g", []*convlstm.Tensor{i, f, o, g}, 2)
		ex.Fresh(t, "Activate", []check.Named{check.N("i", i), check.N("f", f), check.N("o", o), check.N("g", g)},
			[]check.Named{check.N("cc_i", ccI), check.N("cc_f", ccF), check.N("cc_o", ccO), check.N("cc_g", ccG)}, 2)
		for k, pair := range [][2]*convlstm.Tensor{{i, step.I}, {f, step.F}, {o, step.O}, {g, step.G}} {
			ex.Tensor(t, fmt.Sprintf("gate %s for input %v, hidden_dim %d, kernel %v", gateNames[k], x.Shape, s.hid, s.k),
				pair[0], pair[1], check.Tol{Abs: 1e-6, Rel: 1e-5}, 2)
		}
		// Activate must not squash its arguments in place.
		for k, pair := range [][2]*convlstm.Tensor{{ccI, keep[0]}, {ccF, keep[1]}, {ccO, keep[2]}, {ccG, keep[3]}} {
			ex.Tensor(t, fmt.Sprintf("cc_%s after Activate (it must not change its arguments)", gateNames[k]), pair[0], pair[1], check.Exact, 2)
		}
	}
}

// TestGateOrderAgainstPyTorch uses PyTorch's numbers: at t = 0 the state
// is zero, so c_1 = i*g and h_1 = o*tanh(i*g), and layer_output[:, 0] is h_1.
// Only the order i, f, o, g reproduces it.
func TestGateOrderAgainstPyTorch(t *testing.T) {
	for _, name := range []string{"l1_k3x3_bf", "l1_k5x3_nobias_h7w5", "l1_k3x5_b1_h5w8_rall", "seed_docstring"} {
		gc := check.LoadGolden(t, name)
		m := gc.Model(t)
		cell := m.CellList[0]
		in := gc.T(t, "input") // (B, T, C, H, W), batch first in these cases
		b, T, c, h, w := in.Shape[0], in.Shape[1], in.Shape[2], in.Shape[3], in.Shape[4]
		x0 := convlstm.Zeros(b, c, h, w)
		for n := 0; n < b; n++ {
			copy(x0.Data[n*c*h*w:(n+1)*c*h*w], in.Data[n*T*c*h*w:])
		}
		hid := cell.HiddenDim
		cc, err := convlstm.Conv2d(combine(x0, convlstm.Zeros(b, hid, h, w)), cell.Conv.Weight, cell.Conv.Bias)
		if err != nil {
			t.Fatal(err)
		}
		ccI, ccF, ccO, ccG, err := SplitGates(cc, hid)
		ex.NoError(t, "SplitGates", err, 1)
		parts := []*convlstm.Tensor{ccI, ccF, ccO, ccG}
		ex.NotNil(t, "SplitGates: cc_i, cc_f, cc_o, cc_g", parts, 1)
		for k, p := range parts {
			ex.Shape(t, "cc_"+gateNames[k], p.Shape, []int{b, hid, h, w}, 1)
		}
		// The project's sigmoid and tanh, so that only the split is tested
		// here (Activate has its own check).
		i, o, g := convlstm.Sigmoid(ccI), convlstm.Sigmoid(ccO), convlstm.Tanh(ccG)
		got := convlstm.Zeros(b, hid, h, w)
		for k := range got.Data {
			got.Data[k] = o.Data[k] * float32(math.Tanh(float64(i.Data[k]*g.Data[k])))
		}
		out := gc.T(t, "layer_output.0") // (B, T, hid, H, W)
		want := convlstm.Zeros(b, hid, h, w)
		for n := 0; n < b; n++ {
			copy(want.Data[n*hid*h*w:(n+1)*hid*h*w], out.Data[n*T*hid*h*w:])
		}
		ex.TensorDiag(t, "h_1 = o*tanh(i*g) from your split (and the project's sigmoid and tanh) vs PyTorch's layer_output[:, 0], golden case "+name,
			got, want, check.GoldenForward, 3, func([]int) (int, string) { return orderHint(parts, refSplit(cc, hid)) })
	}
}
