package layerloop

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("06-layer-loop")

// labelled returns a tensor whose value at every index encodes the index,
// so a misplaced element shows where it came from.
func labelled(shape ...int) *convlstm.Tensor {
	x := convlstm.Zeros(shape...)
	for k := range x.Data {
		x.Data[k] = float32(k)
	}
	return x
}

func TestPermute10(t *testing.T) {
	for _, shape := range [][]int{{1, 1, 1, 1, 1}, {3, 2, 2, 3, 4}, {2, 4, 1, 5, 1}, {4, 1, 3, 2, 2}} {
		x := labelled(shape...)
		got, err := Permute10(x)
		ex.NoError(t, "Permute10", err, 1)
		want := convlstm.Zeros(shape[1], shape[0], shape[2], shape[3], shape[4])
		for k := range want.Data {
			i := check.Unravel(k, want.Shape)
			want.Data[k] = x.At(i[1], i[0], i[2], i[3], i[4])
		}
		ex.Tensor(t, fmt.Sprintf("Permute10(x %v holding 0,1,2,...)", shape), got, want, check.Exact, 1)
		back, err := Permute10(got)
		ex.NoError(t, "Permute10", err, 1)
		ex.Tensor(t, fmt.Sprintf("Permute10(Permute10(x %v)), which must give x back", shape), back, x, check.Exact, 1)
	}
	_, err := Permute10(convlstm.Zeros(2, 3, 4, 5))
	ex.Started(t, "Permute10", err)
	if err == nil {
		t.Fatalf("Permute10 of a 4-D tensor: want an error, got nil\n    hint: %s", ex.Hint(1))
	}
}

func TestStack1(t *testing.T) {
	for _, s := range []struct{ T, b, c, h, w int }{{1, 1, 1, 1, 1}, {3, 2, 4, 2, 3}, {5, 3, 1, 1, 4}} {
		var xs []*convlstm.Tensor
		for tt := 0; tt < s.T; tt++ {
			x := labelled(s.b, s.c, s.h, s.w)
			for k := range x.Data {
				x.Data[k] += float32(1000 * tt) // value = 1000*t + offset inside xs[t]
			}
			xs = append(xs, x)
		}
		got, err := Stack1(xs)
		ex.NoError(t, "Stack1", err, 2)
		want := convlstm.Zeros(s.b, s.T, s.c, s.h, s.w)
		for k := range want.Data {
			i := check.Unravel(k, want.Shape)
			want.Data[k] = xs[i[1]].At(i[0], i[2], i[3], i[4])
		}
		ex.Tensor(t, fmt.Sprintf("Stack1 of %d tensors %v (value = 1000*t + offset)", s.T, xs[0].Shape), got, want, check.Exact, 2)
	}
	_, err := Stack1([]*convlstm.Tensor{convlstm.Zeros(1, 2, 3, 3), convlstm.Zeros(1, 2, 3, 4)})
	ex.Started(t, "Stack1", err)
	if err == nil {
		t.Fatalf("Stack1 of shapes (1,2,3,3) and (1,2,3,4): want an error, got nil\n    hint: %s", ex.Hint(2))
	}
}

// TestForwardAgainstPyTorch runs every golden case: 1 to 3 layers, batch
// first or time first, with and without bias, hidden state and
// return_all_layers.
func TestForwardAgainstPyTorch(t *testing.T) {
	for _, name := range check.GoldenNames(t) {
		gc := check.LoadGolden(t, name)
		m := gc.Model(t)
		outs, lasts, err := Forward(m, gc.T(t, "input"), gc.HiddenState(t))
		ex.NoError(t, "Forward", err, 3)
		want := 1
		if gc.Config.ReturnAllLayers {
			want = gc.Config.NumLayers
		}
		if len(outs) != want || len(lasts) != want {
			t.Fatalf("golden %s (%d layers, return_all_layers=%v): Forward returned %d outputs and %d states, want %d of each\n    hint: %s",
				name, gc.Config.NumLayers, gc.Config.ReturnAllLayers, len(outs), len(lasts), want, ex.Hint(3))
		}
		cfg := fmt.Sprintf("golden %s (batch_first=%v, %d layers, return_all_layers=%v)", name, gc.Config.BatchFirst, gc.Config.NumLayers, gc.Config.ReturnAllLayers)
		for k := range outs {
			ex.Tensor(t, fmt.Sprintf("%s: layer_output_list[%d]", cfg, k), outs[k], gc.T(t, fmt.Sprintf("layer_output.%d", k)), check.GoldenForward, 3)
			ex.Tensor(t, fmt.Sprintf("%s: last_state_list[%d] h", cfg, k), lasts[k].H, gc.T(t, fmt.Sprintf("last_state.%d.h", k)), check.GoldenForward, 3)
			ex.Tensor(t, fmt.Sprintf("%s: last_state_list[%d] c", cfg, k), lasts[k].C, gc.T(t, fmt.Sprintf("last_state.%d.c", k)), check.GoldenForward, 3)
		}
	}
}

// TestForwardMatchesModel compares with the project's ConvLSTM.Forward on a
// random three-layer model, in every combination of the flags.
func TestForwardMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, batchFirst := range []bool{true, false} {
		for _, all := range []bool{true, false} {
			convlstm.ManualSeed(11)
			m, err := convlstm.NewConvLSTM(2, []int{3, 4, 2}, [][2]int{{3, 5}, {1, 1}, {5, 3}}, 3, batchFirst, true, all)
			if err != nil {
				t.Fatal(err)
			}
			b, T, h, w := 2, 3, 5, 4
			shape := []int{T, b, 2, h, w}
			if batchFirst {
				shape = []int{b, T, 2, h, w}
			}
			x := check.Rand(rng, shape...)
			var hidden []convlstm.State
			if all { // also pass a state in half of the runs
				for _, hid := range m.HiddenDim {
					hidden = append(hidden, convlstm.State{H: check.Rand(rng, b, hid, h, w), C: check.Rand(rng, b, hid, h, w)})
				}
			}
			wantOuts, wantLasts, err := m.Forward(x, hidden)
			if err != nil {
				t.Fatal(err)
			}
			outs, lasts, err := Forward(m, x, hidden)
			ex.NoError(t, "Forward", err, 3)
			if len(outs) != len(wantOuts) || len(lasts) != len(wantLasts) {
				t.Fatalf("batch_first=%v return_all_layers=%v: Forward returned %d outputs and %d states, want %d\n    hint: %s",
					batchFirst, all, len(outs), len(lasts), len(wantOuts), ex.Hint(3))
			}
			what := fmt.Sprintf("3 layers, input %v, batch_first=%v, return_all_layers=%v, hidden state given=%v", x.Shape, batchFirst, all, hidden != nil)
			for k := range outs {
				ex.Tensor(t, fmt.Sprintf("%s: layer_output_list[%d]", what, k), outs[k], wantOuts[k], check.Float32Sum, 3)
				ex.Tensor(t, fmt.Sprintf("%s: last_state_list[%d] h", what, k), lasts[k].H, wantLasts[k].H, check.Float32Sum, 3)
				ex.Tensor(t, fmt.Sprintf("%s: last_state_list[%d] c", what, k), lasts[k].C, wantLasts[k].C, check.Float32Sum, 3)
			}
		}
	}
}
