package hiddenstate

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("05-hidden-state")

// runDiag blames a wrong Run on the student's TimeSlice or InitHidden when
// Run uses them and they are wrong for this x (Hints 2 and 1), else on the
// loop (Hint 3).
func runDiag(cell *convlstm.Cell, x *convlstm.Tensor) check.Diagnose {
	return func([]int) (int, string) {
		for tt := 0; tt < x.Shape[1]; tt++ {
			got, err := TimeSlice(x, tt)
			if err == nil && !check.Close(got, frame(x, tt), check.Exact) {
				return 2, fmt.Sprintf("your TimeSlice gets x[:, %d] of this x %v wrong: if your Run takes its frames from it, fix TimeSlice first", tt, x.Shape)
			}
		}
		b, h, w := x.Shape[0], x.Shape[3], x.Shape[4]
		z := convlstm.Zeros(b, cell.HiddenDim, h, w)
		if st, err := InitHidden(cell, b, h, w); err == nil && (!check.Close(st.H, z, check.Exact) || !check.Close(st.C, z, check.Exact)) {
			return 1, "your InitHidden is wrong for this x: if your Run starts from it, fix InitHidden first"
		}
		return 3, ""
	}
}

func TestInitHidden(t *testing.T) {
	for _, s := range []struct{ b, hid, h, w int }{{1, 1, 1, 1}, {2, 4, 6, 5}, {3, 2, 1, 9}} {
		cell, err := convlstm.NewCell(3, s.hid, [2]int{3, 3}, true)
		if err != nil {
			t.Fatal(err)
		}
		want, err := cell.InitHidden(s.b, s.h, s.w)
		if err != nil {
			t.Fatal(err)
		}
		got, err := InitHidden(cell, s.b, s.h, s.w)
		ex.NoError(t, "InitHidden", err, 1)
		what := fmt.Sprintf("InitHidden(batch %d, image (%d, %d)) with hidden_dim %d", s.b, s.h, s.w, s.hid)
		ex.Tensor(t, what+": h", got.H, want.H, check.Exact, 1)
		ex.Tensor(t, what+": c", got.C, want.C, check.Exact, 1)
		// torch.zeros is called twice: two tensors.
		ex.Fresh(t, what, []check.Named{check.N("h", got.H), check.N("c", got.C)}, nil, 1)
	}
	cell, _ := convlstm.NewCell(3, 2, [2]int{3, 3}, true)
	for _, bad := range [][3]int{{0, 4, 4}, {2, 0, 4}, {2, 4, -1}} {
		_, err := InitHidden(cell, bad[0], bad[1], bad[2])
		ex.Started(t, "InitHidden", err)
		if err == nil {
			t.Fatalf("InitHidden(batch %d, image (%d, %d)): want an error, got nil\n    hint: %s", bad[0], bad[1], bad[2], ex.Hint(1))
		}
	}
}

func TestTimeSlice(t *testing.T) {
	x := convlstm.Zeros(3, 4, 2, 3, 2) // (B, T, C, H, W)
	for k := range x.Data {
		x.Data[k] = float32(k)
	}
	for tt := 0; tt < 4; tt++ {
		got, err := TimeSlice(x, tt)
		ex.NoError(t, "TimeSlice", err, 2)
		ex.NotNil(t, "TimeSlice", []*convlstm.Tensor{got}, 2)
		ex.Fresh(t, fmt.Sprintf("TimeSlice(x, %d)", tt), []check.Named{check.N("x[:, t]", got)}, []check.Named{check.N("x", x)}, 2)
		want := convlstm.Zeros(3, 2, 3, 2)
		for k := range want.Data {
			i := check.Unravel(k, want.Shape)
			want.Data[k] = x.At(i[0], tt, i[1], i[2], i[3])
		}
		ex.Tensor(t, fmt.Sprintf("TimeSlice(x (3,4,2,3,2) holding 0,1,2,..., t=%d)", tt), got, want, check.Exact, 2)
	}
	for _, tt := range []int{-1, 4} {
		_, err := TimeSlice(x, tt)
		ex.Started(t, "TimeSlice", err)
		if err == nil {
			t.Fatalf("TimeSlice(x with T=4, t=%d): want an error, got nil\n    hint: %s", tt, ex.Hint(2))
		}
	}
}

// batchFirst returns the golden input as (B, T, C, H, W).
func batchFirst(gc *check.Golden, x *convlstm.Tensor) *convlstm.Tensor {
	if gc.Config.BatchFirst {
		return x
	}
	T, b, inner := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]*x.Shape[4]
	out := convlstm.Zeros(b, T, x.Shape[2], x.Shape[3], x.Shape[4])
	for tt := 0; tt < T; tt++ {
		for n := 0; n < b; n++ {
			copy(out.Data[(n*T+tt)*inner:(n*T+tt+1)*inner], x.Data[(tt*b+n)*inner:])
		}
	}
	return out
}

// TestRunAgainstPyTorch runs every one-layer golden case through Run: the
// hidden state of every time step, and the last (h, c).
func TestRunAgainstPyTorch(t *testing.T) {
	for _, name := range []string{"l1_k3x3_bf", "l1_k1x1_tf", "l1_k5x3_nobias_h7w5", "l1_k3x5_b1_h5w8_rall", "l1_t1_hs_tf", "l1_k3x3_h1w9_in1", "seed_docstring"} {
		gc := check.LoadGolden(t, name)
		cell := gc.Model(t).CellList[0]
		x := batchFirst(gc, gc.T(t, "input"))
		var start *convlstm.State
		if hs := gc.HiddenState(t); hs != nil {
			start = &hs[0]
		}
		hs, last, err := Run(cell, x, start)
		ex.NoError(t, "Run", err, 3)
		out := gc.T(t, "layer_output.0") // (B, T, hid, H, W)
		if len(hs) != x.Shape[1] {
			t.Fatalf("golden %s: Run returned %d hidden states, want one per time step: %d\n    hint: %s", name, len(hs), x.Shape[1], ex.Hint(3))
		}
		for tt, h := range hs {
			ex.TensorDiag(t, fmt.Sprintf("golden %s: h at t=%d vs PyTorch's layer_output[:, %d]", name, tt, tt), h, frame(out, tt), check.GoldenForward, 3, runDiag(cell, x))
		}
		ex.TensorDiag(t, "golden "+name+": last h vs PyTorch's last_state[0][0]", last.H, gc.T(t, "last_state.0.h"), check.GoldenForward, 3, runDiag(cell, x))
		ex.TensorDiag(t, "golden "+name+": last c vs PyTorch's last_state[0][1]", last.C, gc.T(t, "last_state.0.c"), check.GoldenForward, 3, runDiag(cell, x))
	}
}

// frame returns x[:, t] of a (B, T, C, H, W) tensor.
func frame(x *convlstm.Tensor, t int) *convlstm.Tensor {
	b, T, inner := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]*x.Shape[4]
	out := convlstm.Zeros(b, x.Shape[2], x.Shape[3], x.Shape[4])
	for n := 0; n < b; n++ {
		copy(out.Data[n*inner:(n+1)*inner], x.Data[(n*T+t)*inner:])
	}
	return out
}

// window returns x[:, from:to] of a (B, T, C, H, W) tensor.
func window(x *convlstm.Tensor, from, to int) *convlstm.Tensor {
	b, T, inner := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]*x.Shape[4]
	out := convlstm.Zeros(b, to-from, x.Shape[2], x.Shape[3], x.Shape[4])
	for n := 0; n < b; n++ {
		copy(out.Data[n*(to-from)*inner:(n+1)*(to-from)*inner], x.Data[(n*T+from)*inner:(n*T+to)*inner])
	}
	return out
}

// TestStatefulContinuation cuts a sequence in two: running the first part,
// then the second part from the returned state, must give exactly what the
// project's one-layer ConvLSTM gives on the whole sequence.
func TestStatefulContinuation(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	for _, s := range []struct {
		b, T, cut, in, hid, h, w int
		k                        [2]int
	}{{2, 5, 2, 3, 4, 6, 5, [2]int{3, 3}}, {1, 4, 1, 2, 3, 5, 8, [2]int{5, 3}}, {2, 3, 2, 1, 2, 4, 7, [2]int{3, 5}}} {
		convlstm.ManualSeed(int64(s.T))
		m, err := convlstm.New(convlstm.Config{InputDim: s.in, HiddenDim: []int{s.hid}, KernelSize: [][2]int{s.k}, NumLayers: 1, BatchFirst: true, Bias: true})
		if err != nil {
			t.Fatal(err)
		}
		x := check.Rand(rng, s.b, s.T, s.in, s.h, s.w)
		start := convlstm.State{H: check.Rand(rng, s.b, s.hid, s.h, s.w), C: check.Rand(rng, s.b, s.hid, s.h, s.w)}
		for _, init := range []*convlstm.State{nil, &start} {
			var hidden []convlstm.State
			from := "zeros"
			if init != nil {
				hidden, from = []convlstm.State{*init}, "a given (h, c)"
			}
			outs, lasts, err := m.Forward(x, hidden)
			if err != nil {
				t.Fatal(err)
			}
			hs1, mid, err := Run(m.CellList[0], window(x, 0, s.cut), init)
			ex.NoError(t, "Run", err, 3)
			hs2, last, err := Run(m.CellList[0], window(x, s.cut, s.T), &mid)
			ex.NoError(t, "Run", err, 3)
			hs := append(hs1, hs2...)
			if len(hs) != s.T {
				t.Fatalf("Run on t < %d and t >= %d returned %d + %d hidden states, want %d in all\n    hint: %s", s.cut, s.cut, len(hs1), len(hs2), s.T, ex.Hint(3))
			}
			what := fmt.Sprintf("sequence %v from %s, cut at t=%d, continued from the returned state", x.Shape, from, s.cut)
			diag := runDiag(m.CellList[0], x)
			for tt := range hs {
				ex.TensorDiag(t, fmt.Sprintf("%s: h at t=%d", what, tt), hs[tt], frame(outs[0], tt), check.Float32Sum, 3, diag)
			}
			ex.TensorDiag(t, what+": last h", last.H, lasts[0].H, check.Float32Sum, 3, diag)
			ex.TensorDiag(t, what+": last c", last.C, lasts[0].C, check.Float32Sum, 3, diag)
		}
	}
}
