package layerloop

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("06-layer-loop")

// refPermute10 is x.permute(1, 0, 2, 3, 4), contiguous.
func refPermute10(x *convlstm.Tensor) *convlstm.Tensor {
	out := convlstm.Zeros(x.Shape[1], x.Shape[0], x.Shape[2], x.Shape[3], x.Shape[4])
	for k := range out.Data {
		i := check.Unravel(k, out.Shape)
		out.Data[k] = x.At(i[1], i[0], i[2], i[3], i[4])
	}
	return out
}

// refStack1 is torch.stack(xs, dim=1).
func refStack1(xs []*convlstm.Tensor) *convlstm.Tensor {
	s := xs[0].Shape
	out := convlstm.Zeros(s[0], len(xs), s[1], s[2], s[3])
	for k := range out.Data {
		i := check.Unravel(k, out.Shape)
		out.Data[k] = xs[i[1]].At(i[0], i[2], i[3], i[4])
	}
	return out
}

// forwardHint says which hint a failure of Forward(m, input) points to: when
// the student's Permute10 (for a time-first model) or Stack1 is wrong on
// this input, the hint of that function (1 or 2), which Forward likely
// uses, else Hint 3. It says what it found, never a guess.
func forwardHint(m *convlstm.ConvLSTM, input *convlstm.Tensor) (int, string) {
	if !m.BatchFirst && input != nil && input.Dim() == 5 {
		if got, err := Permute10(input); err == nil && !check.Close(got, refPermute10(input), check.Exact) {
			return 1, fmt.Sprintf("your Permute10 gets this time-first input %v wrong: if your Forward uses it, fix Permute10 first", input.Shape)
		}
	}
	{
		var xs []*convlstm.Tensor
		for t := 0; t < 3; t++ {
			x := labelled(2, 2, 1, 3)
			for k := range x.Data {
				x.Data[k] += float32(100 * t)
			}
			xs = append(xs, x)
		}
		if got, err := Stack1(xs); err == nil && !check.Close(got, refStack1(xs), check.Exact) {
			return 2, "your Stack1 stacks three (2, 2, 1, 3) tensors wrong: if your Forward uses it, fix Stack1 first"
		}
	}
	return 3, ""
}

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
		ex.NotNil(t, "Permute10", []*convlstm.Tensor{got}, 1)
		ex.Fresh(t, "Permute10", []check.Named{check.N("the result", got)}, []check.Named{check.N("x", x)}, 1)
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
		ex.NotNil(t, "Stack1", []*convlstm.Tensor{got}, 2)
		var args []check.Named
		for tt, x := range xs {
			args = append(args, check.N(fmt.Sprintf("xs[%d]", tt), x))
		}
		ex.Fresh(t, "Stack1", []check.Named{check.N("the result", got)}, args, 2)
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

// layer names entry k of the lists Forward returns by the layer it holds:
// with return_all_layers the k-th, without it the last of n.
func layer(k, n int, all bool) string {
	if all {
		return fmt.Sprintf("[%d] (layer %d of %d)", k, k, n)
	}
	return fmt.Sprintf("[%d] (layer %d of %d, the last: return_all_layers=False keeps [-1:])", k, n-1, n)
}

// because turns a diagnosis into a clause of a failure message.
func because(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

// TestForwardAgainstPyTorch runs every golden case: 1 to 3 layers, batch
// first or time first, with and without bias, hidden state and
// return_all_layers.
func TestForwardAgainstPyTorch(t *testing.T) {
	for _, name := range check.GoldenNames(t) {
		gc := check.LoadGolden(t, name)
		m := gc.Model(t)
		input := gc.T(t, "input")
		outs, lasts, err := Forward(m, input, gc.HiddenState(t))
		hint, why := forwardHint(m, input)
		ex.NoError(t, "Forward", err, hint)
		want := 1
		if gc.Config.ReturnAllLayers {
			want = gc.Config.NumLayers
		}
		if len(outs) != want || len(lasts) != want {
			t.Fatalf("golden %s (%d layers, return_all_layers=%v): Forward returned %d outputs and %d states, want %d of each%s\n    hint: %s",
				name, gc.Config.NumLayers, gc.Config.ReturnAllLayers, len(outs), len(lasts), want, because(why), ex.Hint(hint))
		}
		cfg := fmt.Sprintf("golden %s (batch_first=%v, %d layers, return_all_layers=%v)", name, gc.Config.BatchFirst, gc.Config.NumLayers, gc.Config.ReturnAllLayers)
		diag := func([]int) (int, string) { return hint, "" } // why is in the names
		for k := range outs {
			l := layer(k, gc.Config.NumLayers, gc.Config.ReturnAllLayers)
			ex.NotNil(t, fmt.Sprintf("%s: layer_output_list%s, last_state_list%s h and c", cfg, l, l), []*convlstm.Tensor{outs[k], lasts[k].H, lasts[k].C}, hint)
			ex.TensorDiag(t, fmt.Sprintf("%s: layer_output_list%s%s", cfg, l, because(why)), outs[k], gc.T(t, fmt.Sprintf("layer_output.%d", k)), check.GoldenForward, hint, diag)
			ex.TensorDiag(t, fmt.Sprintf("%s: last_state_list%s h%s", cfg, l, because(why)), lasts[k].H, gc.T(t, fmt.Sprintf("last_state.%d.h", k)), check.GoldenForward, hint, diag)
			ex.TensorDiag(t, fmt.Sprintf("%s: last_state_list%s c%s", cfg, l, because(why)), lasts[k].C, gc.T(t, fmt.Sprintf("last_state.%d.c", k)), check.GoldenForward, hint, diag)
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
			hint, why := forwardHint(m, x)
			ex.NoError(t, "Forward", err, hint)
			if len(outs) != len(wantOuts) || len(lasts) != len(wantLasts) {
				t.Fatalf("batch_first=%v return_all_layers=%v: Forward returned %d outputs and %d states, want %d%s\n    hint: %s",
					batchFirst, all, len(outs), len(lasts), len(wantOuts), because(why), ex.Hint(hint))
			}
			what := fmt.Sprintf("3 layers, input %v, batch_first=%v, return_all_layers=%v, hidden state given=%v%s", x.Shape, batchFirst, all, hidden != nil, because(why))
			// Every layer's output, to say which layer a wrong output is.
			every := *m
			every.ReturnAllLayers = true
			allOuts, _, err := every.Forward(x, hidden)
			if err != nil {
				t.Fatal(err)
			}
			// What the layers give when a time-first x is not permuted
			// (read as batch-first: batch T, time B).
			var unpermuted []*convlstm.Tensor
			if !batchFirst {
				asIs := every
				asIs.BatchFirst = true
				if unpermuted, _, err = asIs.Forward(x, nil); err != nil {
					t.Fatal(err)
				}
			}
			for k := range outs {
				l := layer(k, len(m.CellList), all)
				own := k // the layer outs[k] holds
				if !all {
					own = len(m.CellList) - 1
				}
				other := "" // which layer's output it is instead, if another's
				for j, o := range allOuts {
					if j != own && check.Close(outs[k], o, check.Float32Sum) {
						other = fmt.Sprintf("yours is the output of layer %d", j)
					}
				}
				if outs[k] != nil && unpermuted != nil && hidden == nil {
					if bad, _, _ := check.Compare(outs[k].Data, unpermuted[own].Data, check.Float32Sum); bad == 0 {
						other = "yours is what the layers give on the time-first input read as batch-first: permute it first (batch_first=False)"
					}
				}
				ex.NotNil(t, fmt.Sprintf("%s: layer_output_list%s, last_state_list%s h and c", what, l, l), []*convlstm.Tensor{outs[k], lasts[k].H, lasts[k].C}, hint)
				ex.TensorDiag(t, fmt.Sprintf("%s: layer_output_list%s%s", what, l, because(other)), outs[k], wantOuts[k], check.Float32Sum, hint, nil)
				ex.TensorDiag(t, fmt.Sprintf("%s: last_state_list%s h", what, l), lasts[k].H, wantLasts[k].H, check.Float32Sum, hint, nil)
				ex.TensorDiag(t, fmt.Sprintf("%s: last_state_list%s c", what, l), lasts[k].C, wantLasts[k].C, check.Float32Sum, hint, nil)
			}
		}
	}
}
