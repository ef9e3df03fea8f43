package viz_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz"
	"gonum.org/v1/plot/cmpimg"
)

// The golden images live in testdata/. After a deliberate change of the
// figures, look at the new images and regenerate them with
//
//	go test ./viz -regen
//
// (the -regen flag is defined by gonum.org/v1/plot/cmpimg).

// goldenDelta is how far (0 = exact, 1 = anything) a picture may differ
// from its golden image: small enough to catch a changed figure, large
// enough to forgive rounding in the font rasterizer.
const goldenDelta = 0.02

// maxPNGSize keeps the committed images small.
const maxPNGSize = 150 << 10

// checkGolden compares a PNG made by the package with testdata/name. On a
// mismatch it writes the new picture next to it as name_got.png.
func checkGolden(t *testing.T, name string, got []byte, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(got) > maxPNGSize {
		t.Errorf("%s: %d bytes, want at most %d", name, len(got), maxPNGSize)
	}
	path := filepath.Join("testdata", name)
	if *cmpimg.GenerateTestData {
		if err := viz.WritePNG(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./viz -regen to create it)", err)
	}
	same, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !same {
		gotPath := strings.TrimSuffix(path, ".png") + "_got.png"
		_ = viz.WritePNG(gotPath, got)
		t.Errorf("%s differs from the golden image; the new one is in %s", path, gotPath)
	}
}

func TestGoldenGatePanel(t *testing.T) {
	step := synthStep(2, 3, 8, 8, 0)
	b, err := viz.GatePanel(step, 1, nil)
	checkGolden(t, "gate_panel.png", b, err)
}

func TestGoldenGatePanelChannels(t *testing.T) {
	step := synthStep(1, 6, 6, 10, 1)
	b, err := viz.GatePanel(step, 0, []int{5, 0, 2})
	checkGolden(t, "gate_panel_channels.png", b, err)
}

func TestGoldenGatesOverTime(t *testing.T) {
	trace := synthTrace(2, 1, 6)
	b, err := viz.GatesOverTime(trace, 1, 0, 1)
	checkGolden(t, "gates_over_time.png", b, err)
}

func TestGoldenHeatmap(t *testing.T) {
	// Row 0 is bright: it must be drawn on top.
	frame := synth(func(i int) float64 {
		y, x := i/24, i%24
		if y == 0 {
			return 1
		}
		return 0.8 * math.Exp(-float64((y-9)*(y-9)+(x-16)*(x-16))/20)
	}, 16, 24)
	b, err := viz.Heatmap(frame, "Blob, row 0 bright")
	checkGolden(t, "heatmap.png", b, err)
}

func TestGoldenHeatmapSigned(t *testing.T) {
	signed := synth(func(i int) float64 { return 3 * math.Sin(float64(i%7)) * math.Cos(float64(i/7)/2) }, 9, 7)
	b, err := viz.Heatmap(signed, "Signed values")
	checkGolden(t, "heatmap_signed.png", b, err)
}

func TestGoldenFrameRows(t *testing.T) {
	input := blobs(6, 12, 12, 2, 1.5)
	predicted := blobs(4, 12, 12, 2.5, 1.4)
	b, err := viz.FrameRows("Input and prediction", []string{"input", "prediction"},
		[]*convlstm.Tensor{input, predicted})
	checkGolden(t, "frame_rows.png", b, err)
}

func TestGoldenLines(t *testing.T) {
	var train, valid []float64
	for epoch := range 40 {
		train = append(train, 0.05+math.Exp(-float64(epoch)/8))
		valid = append(valid, 0.12+1.1*math.Exp(-float64(epoch)/10))
	}
	b, err := viz.Lines("Training", "epoch", "MSE loss", []string{"train", "validation"},
		[][]float64{train, valid})
	checkGolden(t, "lines.png", b, err)
}

func TestGoldenLinesLog(t *testing.T) {
	sizes := []float64{8, 16, 32, 64, 128}
	naive := []float64{0.9, 3.5, 14, 57, 230}
	fast := []float64{0.2, 0.5, 1.6, 6, 23}
	b, err := viz.LinesWith(viz.LineOptions{
		Title: "Forward pass time", XLabel: "H = W", YLabel: "ms", LogY: true,
	}, sizes, []string{"naive", "fast"}, [][]float64{naive, fast})
	checkGolden(t, "lines_log.png", b, err)
}

func TestGoldenBars(t *testing.T) {
	b, err := viz.BarsWith(viz.BarOptions{Title: "Conv2d", XLabel: "input shape (B x C x H x W)", YLabel: "ms per call"},
		[]string{"1x1x8x8", "2x4x16x16", "4x8x32x32"},
		[]string{"naive", "fast", "other"}, [][]float64{{0.4, 6, 40}, {0.1, 1.2, 9}, {0.2, 2, 25}})
	checkGolden(t, "bars.png", b, err)
}

func TestGoldenBarsLog(t *testing.T) {
	b, err := viz.BarsWith(viz.BarOptions{Title: "Conv2d", XLabel: "problem size", YLabel: "ms per call", LogY: true, ShowValues: true},
		[]string{"small", "medium", "large"}, []string{"naive", "fast"},
		[][]float64{{0.8, 12, 1510}, {0.05, 0.9, 14}})
	checkGolden(t, "bars_log.png", b, err)
}

func TestGoldenFramesAndDiff(t *testing.T) {
	a := blobs(5, 10, 10, 2, 1.5)
	b := blobs(5, 10, 10, 2, 1.5)
	b.Data[3*100+55] += 2e-3 // one pixel of one frame differs a little
	got, err := viz.FramesAndDiff("Two runs and their difference", "run A", "run B", a, b)
	checkGolden(t, "frames_and_diff.png", got, err)
}

func TestGoldenFrameRowsFixedRange(t *testing.T) {
	// A faint sequence on a range fixed to [-1, 1], as for two figures
	// that must share one scale.
	faint := synth(func(i int) float64 { return 0.1 * math.Sin(float64(i)/5) }, 4, 8, 8)
	got, err := viz.FrameRowsWith(viz.FrameOptions{Title: "Fixed range", Min: -1, Max: 1, ScaleLabel: "h"},
		[]string{"faint"}, []*convlstm.Tensor{faint})
	checkGolden(t, "frame_rows_fixed.png", got, err)
}

func TestGoldenGatesOverTimeShared(t *testing.T) {
	trace := synthTrace(1, 0, 4)
	m, err := viz.CellStateMax(trace, 0, 0, 1)
	if err != nil || m <= 0 {
		t.Fatalf("CellStateMax = %v, %v, want > 0", m, err)
	}
	got, err := viz.GatesOverTimeWith(viz.GateOptions{Title: "c on a shared scale", CMax: 4 * m}, trace, 0, 0, 1)
	checkGolden(t, "gates_over_time_shared.png", got, err)
}

func TestGoldenCategoryMap(t *testing.T) {
	// A 12 x 30 matrix in tiles of 4 x 10, padded to 16 x 30: a
	// checkerboard of tiles 1 and 2, padding 0.
	tiles := synth(func(i int) float64 {
		r, c := i/30, i%30
		if r >= 12 {
			return 0
		}
		return float64(1 + (r/4+c/10)%2)
	}, 16, 30)
	got, err := viz.CategoryMap(tiles, "Tiles", "matrix column", "matrix row",
		[]string{"padding", "tile (even)", "tile (odd)"})
	checkGolden(t, "category_map.png", got, err)
}

func TestGoldenCellDiagram(t *testing.T) {
	got, err := viz.CellDiagram(1, 1, 4, 16, 20, 3, 3)
	checkGolden(t, "cell_diagram.png", got, err)
}

func TestGoldenLayerLoopDiagram(t *testing.T) {
	got, err := viz.LayerLoopDiagram(2, 8, 1, 16, 20, []int{6, 4, 2})
	checkGolden(t, "layer_loop_diagram.png", got, err)
}

func TestGoldenLinesStyles(t *testing.T) {
	var series [][]float64
	for k := range 6 {
		var y []float64
		for x := range 10 {
			y = append(y, math.Sin(float64(x)/3+float64(k)/2)+float64(k)/3)
		}
		series = append(series, y)
	}
	got, err := viz.LinesWith(viz.LineOptions{Title: "Paired series", XLabel: "t", YLabel: "value",
		Colours: []int{0, 1, 2, 0, 1, 2}, Dashes: []int{0, 0, 0, 1, 1, 1}}, nil,
		[]string{"i trained", "f trained", "c trained", "i untrained", "f untrained", "c untrained"}, series)
	checkGolden(t, "lines_styles.png", got, err)
}

// synthTrace is a trace of layers layers in which layer holds steps steps
// of synthStep(1, 2, 8, 8, step), the others none.
func synthTrace(layers, layer, steps int) *convlstm.Trace {
	trace := &convlstm.Trace{Layers: make([][]convlstm.Step, layers)}
	for step := range steps {
		trace.Layers[layer] = append(trace.Layers[layer], synthStep(1, 2, 8, 8, float64(step)))
	}
	return trace
}
