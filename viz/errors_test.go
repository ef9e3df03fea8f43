package viz_test

import (
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz"
)

// TestBadInput checks that bad arguments give an error that names the
// argument, never a panic and never a picture.
func TestBadInput(t *testing.T) {
	good := synthStep(2, 3, 4, 4, 0)
	trace := &convlstm.Trace{Layers: [][]convlstm.Step{{good, good}}}
	frame := synth(func(int) float64 { return 0 }, 4, 5)
	seq := synth(func(int) float64 { return 0 }, 3, 4, 5)

	missingC := good
	missingC.C = nil
	wrongH := good
	wrongH.H = synth(func(int) float64 { return 0 }, 2, 3, 4, 5)
	shortData := &convlstm.Tensor{Shape: []int{4, 5}, Data: make([]float32, 19)}
	mixedTrace := &convlstm.Trace{Layers: [][]convlstm.Step{{good, synthStep(1, 3, 4, 4, 0)}}}
	tooLong := &convlstm.Trace{Layers: [][]convlstm.Step{make([]convlstm.Step, 25)}}
	emptyTrace := &convlstm.Trace{Layers: [][]convlstm.Step{{}}}
	manyChannels := make([]int, 25)

	ys := [][]float64{{1, 2, 3}}
	cases := []struct {
		name string
		call func() ([]byte, error)
		want string // part of the error message
	}{
		{"GatePanel nil C", func() ([]byte, error) { return viz.GatePanel(missingC, 0, nil) }, "step.C is nil"},
		{"GatePanel empty step", func() ([]byte, error) { return viz.GatePanel(convlstm.Step{}, 0, nil) }, "step.I is nil"},
		{"GatePanel shape mismatch", func() ([]byte, error) { return viz.GatePanel(wrongH, 0, nil) }, "step.H has shape [2 3 4 5]"},
		{"GatePanel batch", func() ([]byte, error) { return viz.GatePanel(good, 2, nil) }, "batch = 2"},
		{"GatePanel negative batch", func() ([]byte, error) { return viz.GatePanel(good, -1, nil) }, "batch = -1"},
		{"GatePanel channel", func() ([]byte, error) { return viz.GatePanel(good, 0, []int{0, 3}) }, "channels[1] = 3"},
		{"GatePanel too many channels", func() ([]byte, error) { return viz.GatePanel(good, 0, manyChannels) }, "at most 24"},
		{"GatesOverTime nil", func() ([]byte, error) { return viz.GatesOverTime(nil, 0, 0, 0) }, "trace is nil"},
		{"GatesOverTime layer", func() ([]byte, error) { return viz.GatesOverTime(trace, 1, 0, 0) }, "layer = 1"},
		{"GatesOverTime batch", func() ([]byte, error) { return viz.GatesOverTime(trace, 0, 5, 0) }, "batch = 5"},
		{"GatesOverTime channel", func() ([]byte, error) { return viz.GatesOverTime(trace, 0, 0, 3) }, "channel = 3"},
		{"GatesOverTime no steps", func() ([]byte, error) { return viz.GatesOverTime(emptyTrace, 0, 0, 0) }, "no time steps"},
		{"GatesOverTime too long", func() ([]byte, error) { return viz.GatesOverTime(tooLong, 0, 0, 0) }, "25 time steps"},
		{"GatesOverTime empty step", func() ([]byte, error) {
			return viz.GatesOverTime(&convlstm.Trace{Layers: [][]convlstm.Step{{good, {}}}}, 0, 0, 0)
		}, "trace.Layers[0][1].I is nil"},
		{"GatesOverTime mixed shapes", func() ([]byte, error) { return viz.GatesOverTime(mixedTrace, 0, 0, 0) }, "trace.Layers[0][1].I has shape"},
		{"Heatmap nil", func() ([]byte, error) { return viz.Heatmap(nil, "") }, "t is nil"},
		{"Heatmap 3-D", func() ([]byte, error) { return viz.Heatmap(seq, "") }, "want 2-D (H, W)"},
		{"Heatmap short data", func() ([]byte, error) { return viz.Heatmap(shortData, "") }, "19 values"},
		{"Heatmap zero size", func() ([]byte, error) { return viz.Heatmap(&convlstm.Tensor{Shape: []int{0, 3}}, "") }, "every size must be positive"},
		{"FrameRows none", func() ([]byte, error) { return viz.FrameRows("", nil, nil) }, "seqs is empty"},
		{"FrameRows labels", func() ([]byte, error) { return viz.FrameRows("", []string{"a", "b"}, []*convlstm.Tensor{seq}) }, "2 labels for 1 seqs"},
		{"FrameRows 2-D", func() ([]byte, error) { return viz.FrameRows("", []string{"a"}, []*convlstm.Tensor{frame}) }, "seqs[0] has shape [4 5]"},
		{"FrameRows nil seq", func() ([]byte, error) {
			return viz.FrameRows("", []string{"a", "b"}, []*convlstm.Tensor{seq, nil})
		}, "seqs[1] is nil"},
		{"FrameRows frame size", func() ([]byte, error) {
			other := synth(func(int) float64 { return 0 }, 3, 5, 4)
			return viz.FrameRows("", []string{"a", "b"}, []*convlstm.Tensor{seq, other})
		}, "seqs[1] has frames of 5x4, want 4x5"},
		{"Lines empty", func() ([]byte, error) { return viz.Lines("", "", "", nil, nil) }, "ys is empty"},
		{"Lines names", func() ([]byte, error) { return viz.Lines("", "", "", []string{"a", "b"}, ys) }, "2 names for 1 series"},
		{"Lines empty series", func() ([]byte, error) { return viz.Lines("", "", "", []string{"a"}, [][]float64{{}}) }, "ys[0] is empty"},
		{"Lines NaN", func() ([]byte, error) {
			return viz.Lines("", "", "", []string{"a"}, [][]float64{{1, math.NaN()}})
		}, "ys[0][1] = NaN"},
		{"LinesWith xs length", func() ([]byte, error) {
			return viz.LinesWith(viz.LineOptions{}, []float64{1, 2}, []string{"a"}, ys)
		}, "ys[0] has 3 values, want 2"},
		{"LinesWith xs Inf", func() ([]byte, error) {
			return viz.LinesWith(viz.LineOptions{}, []float64{1, math.Inf(1), 3}, []string{"a"}, ys)
		}, "xs[1] = +Inf"},
		{"LinesWith log of 0", func() ([]byte, error) {
			return viz.LinesWith(viz.LineOptions{LogY: true}, nil, []string{"a"}, [][]float64{{1, 0}})
		}, "ys[0][1] = 0, want > 0"},
		{"Bars no labels", func() ([]byte, error) { return viz.Bars("", "", nil, []string{"a"}, [][]float64{{}}) }, "labels is empty"},
		{"Bars no groups", func() ([]byte, error) { return viz.Bars("", "", []string{"x"}, nil, nil) }, "groups is empty"},
		{"Bars rows", func() ([]byte, error) {
			return viz.Bars("", "", []string{"x"}, []string{"a", "b"}, [][]float64{{1}})
		}, "values has 1 rows for 2 groups"},
		{"Bars columns", func() ([]byte, error) {
			return viz.Bars("", "", []string{"x", "y"}, []string{"a"}, [][]float64{{1}})
		}, "values[0] has 1 values for 2 labels"},
		{"BarsWith log of negative", func() ([]byte, error) {
			return viz.BarsWith(viz.BarOptions{LogY: true}, []string{"x"}, []string{"a"}, [][]float64{{-1}})
		}, "values[0][0] = -1, want > 0"},
		{"FrameRowsWith range", func() ([]byte, error) {
			return viz.FrameRowsWith(viz.FrameOptions{Min: 1, Max: -1}, []string{"a"}, []*convlstm.Tensor{seq})
		}, "want Min < Max"},
		{"FramesAndDiff shapes", func() ([]byte, error) {
			return viz.FramesAndDiff("", "a", "b", seq, synth(func(int) float64 { return 0 }, 2, 4, 5))
		}, "want one shape"},
		{"GatesOverTimeWith CMax", func() ([]byte, error) {
			return viz.GatesOverTimeWith(viz.GateOptions{CMax: -1}, trace, 0, 0, 0)
		}, "opt.CMax = -1"},
		{"CellStateMax layer", func() ([]byte, error) { _, err := viz.CellStateMax(trace, 3, 0, 0); return nil, err }, "layer = 3"},
		{"CategoryMap value", func() ([]byte, error) {
			return viz.CategoryMap(synth(func(i int) float64 { return float64(i) }, 2, 2), "", "", "", []string{"a", "b"})
		}, "t.Data[2] = 2"},
		{"CategoryMap names", func() ([]byte, error) { return viz.CategoryMap(frame, "", "", "", nil) }, "0 names"},
		{"CellDiagram even kernel", func() ([]byte, error) { return viz.CellDiagram(1, 1, 4, 8, 8, 4, 3) }, "want odd sizes"},
		{"CellDiagram zero", func() ([]byte, error) { return viz.CellDiagram(1, 0, 4, 8, 8, 3, 3) }, "in = 0"},
		{"LayerLoopDiagram layers", func() ([]byte, error) { return viz.LayerLoopDiagram(1, 4, 1, 8, 8, nil) }, "0 layers"},
		{"Sub nil", func() ([]byte, error) { _, err := viz.Sub(nil, 0); return nil, err }, "t is nil"},
		{"Sub too many", func() ([]byte, error) { _, err := viz.Sub(frame, 0, 0); return nil, err }, "2 indices for shape [4 5]"},
		{"Sub range", func() ([]byte, error) { _, err := viz.Sub(seq, 0, 4); return nil, err }, "idx[1] = 4"},
		{"Sequence shape", func() ([]byte, error) { _, err := viz.Sequence(seq, 0, 0); return nil, err }, "want 5-D (B, T, C, H, W)"},
		{"WritePNG empty", func() ([]byte, error) { return nil, viz.WritePNG(t.TempDir()+"/x.png", nil) }, "png is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := noPanic(t, c.call)
			if err == nil {
				t.Fatalf("no error, want one containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "viz: ") {
				t.Errorf("error %q does not start with \"viz: \"", err)
			}
			if b != nil {
				t.Errorf("got %d bytes of picture along with the error", len(b))
			}
		})
	}
}

// TestOddButValidInput checks inputs that are unusual but fine: they must
// give a picture, not an error or a panic.
func TestOddButValidInput(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	cases := []struct {
		name string
		call func() ([]byte, error)
	}{
		{"Heatmap zeros", func() ([]byte, error) { return viz.Heatmap(synth(func(int) float64 { return 0 }, 3, 3), "") }},
		{"Heatmap NaN and Inf", func() ([]byte, error) {
			return viz.Heatmap(&convlstm.Tensor{Shape: []int{2, 2}, Data: []float32{nan, inf, -inf, 1}}, "")
		}},
		{"Heatmap 1x1", func() ([]byte, error) { return viz.Heatmap(synth(func(int) float64 { return 5 }, 1, 1), "") }},
		{"Heatmap thin", func() ([]byte, error) {
			return viz.Heatmap(synth(func(i int) float64 { return float64(i) }, 1, 300), "")
		}},
		{"Heatmap big", func() ([]byte, error) {
			return viz.Heatmap(synth(func(i int) float64 { return float64(i % 7) }, 600, 500), "")
		}},
		{"GatePanel all zero", func() ([]byte, error) {
			z := synth(func(int) float64 { return 0 }, 1, 1, 1, 1)
			return viz.GatePanel(convlstm.Step{I: z, F: z, O: z, G: z, C: z, H: z}, 0, nil)
		}},
		{"GatePanel out of range values", func() ([]byte, error) {
			z := synth(func(i int) float64 { return float64(i) - 5 }, 1, 1, 3, 4)
			return viz.GatePanel(convlstm.Step{I: z, F: z, O: z, G: z, C: z, H: z}, 0, []int{0, 0})
		}},
		{"Lines one point", func() ([]byte, error) { return viz.Lines("", "", "", []string{"a"}, [][]float64{{3}}) }},
		{"Lines flat log", func() ([]byte, error) {
			return viz.LinesWith(viz.LineOptions{LogY: true}, nil, []string{"a"}, [][]float64{{10, 10}})
		}},
		{"Lines constant", func() ([]byte, error) { return viz.Lines("", "", "", []string{"a"}, [][]float64{{0, 0, 0}}) }},
		{"Bars one", func() ([]byte, error) { return viz.Bars("", "", []string{"x"}, []string{"a"}, [][]float64{{0}}) }},
		{"Bars log powers of ten", func() ([]byte, error) {
			return viz.BarsWith(viz.BarOptions{LogY: true, ShowValues: true}, []string{"x", "y"}, []string{"a"}, [][]float64{{1, 1}})
		}},
		{"Bars negative", func() ([]byte, error) {
			return viz.BarsWith(viz.BarOptions{ShowValues: true}, []string{"x", "y"}, []string{"a"}, [][]float64{{-2, 3}})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := pngSize(noPanic(t, c.call)); !strings.HasPrefix(got, "PNG ") {
				t.Fatal(got)
			}
		})
	}
}

// noPanic returns what call returns, failing the test if it panics.
func noPanic(t *testing.T, call func() ([]byte, error)) ([]byte, error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	return call()
}
