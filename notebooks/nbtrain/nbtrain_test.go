package nbtrain

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/train"
)

func smallModel(t *testing.T, hidden int) *train.Model {
	t.Helper()
	m, err := train.NewModel([]int{hidden}, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func smallBatch(t *testing.T, b int) *convlstm.Tensor {
	t.Helper()
	gen, err := movingshapes.New(movingshapes.Config{Size: 12, Frames: 6}, 3)
	if err != nil {
		t.Fatal(err)
	}
	x, err := gen.Batch(b)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func maxDiff(a, b *convlstm.Tensor) float64 {
	var d float64
	for k := range a.Data {
		d = math.Max(d, math.Abs(float64(a.Data[k]-b.Data[k])))
	}
	return d
}

func TestLineProgress(t *testing.T) {
	var out bytes.Buffer
	w, err := LineProgress(&out, 10)
	if err != nil {
		t.Fatal(err)
	}
	p := w.(*lineProgress)
	clock := time.Unix(0, 0)
	p.now = func() time.Time { return clock }
	draw := func(step int) { w.Write([]byte("\rtrain step " + strings.Repeat("=", step) + " ")) }
	draw(1) // the first redraw is printed at once
	for s := 2; s <= 5; s++ {
		clock = clock.Add(3 * time.Second) // 3, 6, 9, 12 s: only 12 s is 10 s after the first line
		draw(s)
	}
	draw(6)               // at 12 s again: too soon
	w.Write([]byte("\n")) // Train's last newline prints the latest redraw
	want := "train step =\ntrain step =====\ntrain step ======\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
	w.Write([]byte("\n")) // nothing new: no repeated line
	if out.String() != want {
		t.Errorf("a bare newline repeated a line: %q", out.String())
	}
	if _, err := LineProgress(nil, 1); err == nil {
		t.Error("nil writer: no error")
	}
	if _, err := LineProgress(&out, 0); err == nil {
		t.Error("everySeconds 0: no error")
	}
}

func TestSmooth(t *testing.T) {
	got, err := Smooth([]float64{4, 2, 6, 8, 0}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{4, 3, 4, 7, 4}
	for k := range want {
		if math.Abs(got[k]-want[k]) > 1e-12 {
			t.Fatalf("Smooth = %v, want %v", got, want)
		}
	}
	if _, err := Smooth(want, 0); err == nil {
		t.Error("window 0: no error")
	}
}

func TestCloneIsIndependent(t *testing.T) {
	m := smallModel(t, 4)
	x := smallBatch(t, 3)
	c, err := Clone(m)
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := m.Predict(x)
	p2, err := c.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(p1, p2); d != 0 {
		t.Fatalf("clone predicts differently: max diff %g", d)
	}
	// A training step on the original leaves the clone as it was.
	if _, err := train.Train(m, mustGen(t), train.Options{MaxSteps: 2, Seconds: 60, BatchSize: 2}); err != nil {
		t.Fatal(err)
	}
	p3, _ := c.Predict(x)
	if d := maxDiff(p2, p3); d != 0 {
		t.Fatalf("training the original changed the clone: max diff %g", d)
	}
	p4, _ := m.Predict(x)
	if maxDiff(p1, p4) == 0 {
		t.Fatal("training did not change the original (test is vacuous)")
	}
	if _, err := Clone(nil); err == nil {
		t.Error("Clone(nil): no error")
	}
}

func mustGen(t *testing.T) *movingshapes.Generator {
	gen, err := movingshapes.New(movingshapes.Config{Size: 12, Frames: 6}, 5)
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

func TestRunTracesAndPredicts(t *testing.T) {
	m := smallModel(t, 4)
	x := smallBatch(t, 2)
	tr, pred, err := Run(m, x)
	if err != nil {
		t.Fatal(err)
	}
	if m.RNN.Trace != nil {
		t.Error("Run left a trace on the model")
	}
	if len(tr.Layers) != 1 || len(tr.Layers[0]) != x.Shape[1] {
		t.Fatalf("trace has %d layers, want 1 with %d steps", len(tr.Layers), x.Shape[1])
	}
	want, _ := m.Predict(x)
	if d := maxDiff(pred, want); d != 0 {
		t.Errorf("Run's predictions differ from Predict's by %g", d)
	}
	// The head reads the traced h of the last step.
	st := tr.Layers[0][x.Shape[1]-1]
	hw := x.Shape[3] * x.Shape[4]
	for p := 0; p < hw; p += 7 {
		z := float64(m.HeadBias.Data[0])
		for ch := 0; ch < 4; ch++ {
			z += float64(m.HeadWeight.Data[ch] * st.H.Data[ch*hw+p])
		}
		got := float64(pred.Data[(x.Shape[1]-1)*hw+p])
		if math.Abs(got-1/(1+math.Exp(-z))) > 1e-5 {
			t.Fatalf("pixel %d: prediction %g, sigmoid(head(trace h)) %g", p, got, 1/(1+math.Exp(-z)))
		}
	}
	if _, _, err := Run(m, convlstm.Zeros(2, 3, 2, 4, 4)); err == nil {
		t.Error("two-channel frames: no error")
	}
}

func TestNextFrameMatchesEvaluate(t *testing.T) {
	m := smallModel(t, 4)
	x := smallBatch(t, 3)
	T, hw := x.Shape[1], x.Shape[3]*x.Shape[4]
	var sum, sumBase float64
	for b := 0; b < 3; b++ {
		truth, pred, last, err := NextFrame(m, x, b)
		if err != nil {
			t.Fatal(err)
		}
		if truth.Shape[0] != T-1 || pred.Shape[0] != T-1 || last.Shape[0] != T-1 {
			t.Fatalf("shapes %v %v %v, want %d steps", truth.Shape, pred.Shape, last.Shape, T-1)
		}
		for tt := 0; tt < T-1; tt++ {
			for p := 0; p < hw; p++ {
				if truth.Data[tt*hw+p] != x.Data[(b*T+tt+1)*hw+p] || last.Data[tt*hw+p] != x.Data[(b*T+tt)*hw+p] {
					t.Fatalf("sample %d step %d: truth or last not aligned with the frames", b, tt)
				}
			}
		}
		e, _ := MSE(pred, truth)
		eb, _ := MSE(last, truth)
		sum += e / 3
		sumBase += eb / 3
	}
	model, base, err := train.Evaluate(m, x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sum-model) > 1e-6*model || math.Abs(sumBase-base) > 1e-9 {
		t.Errorf("per-sample MSEs average to %g, %g; Evaluate gives %g, %g", sum, sumBase, model, base)
	}
	if _, _, _, err := NextFrame(m, x, 3); err == nil {
		t.Error("sample out of range: no error")
	}
	if _, err := Frames(x, 0, 2, 2); err == nil {
		t.Error("empty time range: no error")
	}
}

// gateModel is a one-layer, two-channel model whose gates are set by hand:
// every weight is 0, except that channel 0's forget gate is the constant
// sigmoid(-0.8473) = 0.3, and channel 1's forget gate is
// sigmoid(100*x - 30), about 1 where a shape is (x >= 0.5) and about 0
// where it is not (x < 0.1), read through the centre tap of the 3x3 kernel.
func gateModel(t *testing.T) *train.Model {
	m := smallModel(t, 2)
	sd := m.StateDict()
	w, b := sd["convlstm.cell_list.0.conv.weight"], sd["convlstm.cell_list.0.conv.bias"]
	for k := range w.Data {
		w.Data[k] = 0
	}
	for k := range b.Data {
		b.Data[k] = 0
	}
	const hid = 2
	f0, f1 := hid+0, hid+1 // forget-gate rows of the conv (gate order i, f, o, g)
	b.Data[f0] = float32(math.Log(0.3 / 0.7))
	w.Set(100, f1, 0, 1, 1) // input channel 0 (the frame), centre tap
	b.Data[f1] = -30
	m.HeadWeight.Data[0], m.HeadWeight.Data[1] = 5, 0.5
	return m
}

func TestGateStats(t *testing.T) {
	m := gateModel(t)
	x := smallBatch(t, 4)
	s, err := GateStats(m, x, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Last || len(s.Channels) != 2 {
		t.Fatalf("Last %v, %d channels; want true, 2", s.Last, len(s.Channels))
	}
	// Region sizes, counted here directly.
	B, T, hw := x.Shape[0], x.Shape[1], x.Shape[3]*x.Shape[4]
	var want [numRegions]int
	for b := 0; b < B; b++ {
		for tt := 1; tt < T; tt++ {
			for p := 0; p < hw; p++ {
				cur, prev := x.Data[(b*T+tt)*hw+p], x.Data[(b*T+tt-1)*hw+p]
				if cur >= 0.5 {
					want[Shape]++
				}
				if cur >= 0.5 && prev < 0.1 {
					want[Entered]++
				}
				if prev >= 0.5 && cur < 0.1 {
					want[Left]++
				}
				if cur < 0.05 && prev < 0.05 {
					want[Empty]++
				}
			}
		}
	}
	if s.Pixels != want {
		t.Fatalf("pixels %v, want %v", s.Pixels, want)
	}
	for r := 0; r < numRegions; r++ {
		if want[r] == 0 {
			t.Fatalf("region %s is empty in the test data", RegionNames[r])
		}
	}
	c0, c1 := s.Channels[0], s.Channels[1]
	for r := 0; r < numRegions; r++ {
		if math.Abs(c0.F[r]-0.3) > 1e-5 {
			t.Errorf("channel 0: F[%s] = %g, want 0.3", RegionNames[r], c0.F[r])
		}
		// Every other gate has zero pre-activation: sigmoid(0) = 0.5, tanh(0) = 0.
		if math.Abs(c0.I[r]-0.5) > 1e-6 || math.Abs(c1.O[r]-0.5) > 1e-6 || math.Abs(c1.G[r]) > 1e-6 {
			t.Errorf("region %s: i %g, o %g, g %g; want 0.5, 0.5, 0", RegionNames[r], c0.I[r], c1.O[r], c1.G[r])
		}
	}
	if c1.F[Shape] < 0.99 || c1.F[Entered] < 0.99 || c1.F[Left] > 0.01 || c1.F[Empty] > 0.01 {
		t.Errorf("channel 1: F = %v, want about [1 1 0 0]", c1.F)
	}
	if c0.HeadWeight != 5 || c1.HeadWeight != 0.5 {
		t.Errorf("head weights %g, %g; want 5, 0.5", c0.HeadWeight, c1.HeadWeight)
	}
	// Channel 1 separates shapes from empty space (contrast about 1, times
	// 0.5); channel 0 does not (contrast 0, times 5).
	ch, err := MotionChannel(s)
	if err != nil || ch != 1 {
		t.Errorf("MotionChannel = %d, %v; want 1", ch, err)
	}
	tab := StatsTable(s)
	if !strings.Contains(tab, "entered") || strings.Count(tab, "\n") != 4 {
		t.Errorf("table:\n%s", tab)
	}
	png, err := StatsBars(s, "f", "forget gate")
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("StatsBars: %v", err)
	}
	if _, err := StatsBars(s, "x", ""); err == nil {
		t.Error("gate x: no error")
	}
	if _, err := GateStats(m, x, 1); err == nil {
		t.Error("layer 1 of a one-layer model: no error")
	}
	if _, err := MotionChannel(nil); err == nil {
		t.Error("MotionChannel(nil): no error")
	}
}

func TestCrossedPixelAndSeries(t *testing.T) {
	// A 2x2 square moving right by one pixel per step across an 8x8 frame.
	const T, H, W = 8, 8, 8
	x := convlstm.Zeros(1, T, 1, H, W)
	for tt := 0; tt < T; tt++ {
		for dy := 0; dy < 2; dy++ {
			for dx := 0; dx < 2; dx++ {
				if tt+dx < W {
					x.Set(1, 0, tt, 0, 3+dy, tt+dx)
				}
			}
		}
	}
	// Column c is covered at steps c-1 and c: the most room on both sides
	// (arrive 3, leave 5, room 3) is at columns 4 (room min(3, 3)).
	y, col, arrive, leave, ok, err := CrossedPixel(x, 0)
	if err != nil || !ok {
		t.Fatalf("CrossedPixel: %v, ok %v", err, ok)
	}
	if y != 3 || col != 4 || arrive != 3 || leave != 5 {
		t.Errorf("CrossedPixel = (%d, %d) arrive %d leave %d, want (3, 4) arrive 3 leave 5", y, col, arrive, leave)
	}
	in, err := PixelInput(x, 0, y, col)
	if err != nil {
		t.Fatal(err)
	}
	for tt, v := range in {
		want := 0.0
		if tt >= arrive && tt < leave {
			want = 1
		}
		if v != want {
			t.Fatalf("PixelInput[%d] = %g, want %g", tt, v, want)
		}
	}
	m := gateModel(t)
	tr, _, err := Run(m, x)
	if err != nil {
		t.Fatal(err)
	}
	names, series, err := PixelSeries(tr, 0, 0, 1, y, col)
	if err != nil || len(names) != 6 || len(series[1]) != T {
		t.Fatalf("PixelSeries: %v, %d names, %d steps", err, len(names), len(series[1]))
	}
	for tt, f := range series[1] { // channel 1's forget gate follows the input
		if math.Abs(f-in[tt]) > 0.01 {
			t.Errorf("step %d: f = %g, want about %g", tt, f, in[tt])
		}
		if tr.Layers[0][tt].F.At(0, 1, y, col) != float32(f) {
			t.Errorf("step %d: series value differs from the trace", tt)
		}
	}
	if _, _, err := PixelSeries(tr, 0, 0, 2, y, col); err == nil {
		t.Error("channel out of range: no error")
	}
	if _, _, _, _, ok, _ := CrossedPixel(convlstm.Zeros(1, 4, 1, 4, 4), 0); ok {
		t.Error("empty frames: a crossed pixel was found")
	}
}
