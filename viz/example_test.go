package viz_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz"
)

// The examples print the size of the picture (pngSize: the PNG's size, or
// the error); in a notebook, show the PNG with display.PNG(png) instead.

// A forward pass with a Trace, then the gates of layer 0 over time.
func ExampleGatesOverTime() {
	convlstm.ManualSeed(0)
	model, err := convlstm.New(convlstm.Config{
		InputDim: 1, HiddenDim: []int{4}, KernelSize: [][2]int{{3, 3}},
		NumLayers: 1, BatchFirst: true, Bias: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// One sequence of 5 frames of 8x8 pixels: a dot moving right.
	x := &convlstm.Tensor{Shape: []int{1, 5, 1, 8, 8}, Data: make([]float32, 5*8*8)}
	for t := range 5 {
		x.Set(1, 0, t, 0, 4, t+1)
	}
	model.Trace = &convlstm.Trace{}
	if _, _, err := model.Forward(x, nil); err != nil {
		fmt.Println(err)
		return
	}

	png, err := viz.GatesOverTime(model.Trace, 0, 0, 2) // layer 0, sample 0, channel 2
	if err != nil {
		fmt.Println(err)
		return
	}
	if dir := os.Getenv("VIZ_EXAMPLE_DIR"); dir != "" {
		_ = viz.WritePNG(filepath.Join(dir, "gates_over_time_model.png"), png)
	}
	fmt.Println(pngSize(png, nil))
	// Output: PNG 664x780
}

// One step of a cell, all its gates, for hidden channels 0 and 3.
func ExampleGatePanel() {
	step := synthStep(1, 4, 6, 6, 0) // a made-up step of shape (1, 4, 6, 6)
	fmt.Println(pngSize(viz.GatePanel(step, 0, []int{0, 3})))
	// Output: PNG 484x780
}

func ExampleHeatmap() {
	// A 12x16 frame with a bright spot near the top left corner.
	frame := &convlstm.Tensor{Shape: []int{12, 16}, Data: make([]float32, 12*16)}
	for y := range 12 {
		for x := range 16 {
			d2 := float64((x-4)*(x-4) + (y-3)*(y-3))
			frame.Set(float32(math.Exp(-d2/8)), y, x)
		}
	}
	fmt.Println(pngSize(viz.Heatmap(frame, "A spot")))
	// Output: PNG 537x404
}

// Input frames above predicted frames, both taken out of (B, T, C, H, W)
// batches with Sequence.
func ExampleFrameRows() {
	input := &convlstm.Tensor{Shape: []int{1, 4, 1, 6, 6}, Data: make([]float32, 4*36)}
	predicted := &convlstm.Tensor{Shape: []int{1, 4, 1, 6, 6}, Data: make([]float32, 4*36)}
	for t := range 4 {
		input.Set(1, 0, t, 0, 2, t)
		predicted.Set(0.7, 0, t, 0, 2, t+1)
	}
	in, err := viz.Sequence(input, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := viz.Sequence(predicted, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pngSize(viz.FrameRows("A moving dot", []string{"input", "predicted"}, []*convlstm.Tensor{in, out})))
	// Output: PNG 521x365
}

// A loss curve: x is the epoch number.
func ExampleLines() {
	train := []float64{1.0, 0.6, 0.4, 0.3, 0.25, 0.22}
	valid := []float64{1.1, 0.7, 0.5, 0.42, 0.4, 0.39}
	fmt.Println(pngSize(viz.Lines("Training", "epoch", "MSE", []string{"train", "validation"}, [][]float64{train, valid})))
	// Output: PNG 605x378
}

// Run times over image sizes on a logarithmic axis.
func ExampleLinesWith() {
	sizes := []float64{16, 32, 64}
	opt := viz.LineOptions{Title: "Forward pass", XLabel: "H = W", YLabel: "ms", LogY: true}
	fmt.Println(pngSize(viz.LinesWith(opt, sizes, []string{"naive", "fast"}, [][]float64{{3, 14, 60}, {0.5, 1.6, 6}})))
	// Output: PNG 605x378
}

// Naive against fast convolution, one cluster of bars per input shape.
func ExampleBars() {
	shapes := []string{"1x1x16x16", "4x8x32x32"}
	fmt.Println(pngSize(viz.Bars("Conv2d", "ms per call", shapes, []string{"naive", "fast"},
		[][]float64{{0.8, 12}, {0.05, 0.9}})))
	// Output: PNG 605x378
}

func ExampleBarsWith() {
	opt := viz.BarOptions{Title: "Conv2d", YLabel: "ms per call", LogY: true, ShowValues: true}
	fmt.Println(pngSize(viz.BarsWith(opt, []string{"small", "large"}, []string{"naive", "fast"},
		[][]float64{{0.8, 410}, {0.05, 14}})))
	// Output: PNG 605x378
}

// Taking the (H, W) frame of sample 0, time step 2, channel 1 out of a
// (B, T, C, H, W) tensor.
func ExampleSub() {
	x := &convlstm.Tensor{Shape: []int{2, 3, 4, 5, 6}, Data: make([]float32, 2*3*4*5*6)}
	frame, err := viz.Sub(x, 0, 2, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(frame.Shape)
	// Output: [5 6]
}

func ExampleWritePNG() {
	png, err := viz.Lines("", "step", "value", []string{"a"}, [][]float64{{1, 2, 3}})
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "viz-example.png")
	if err := viz.WritePNG(path, png); err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(path)
	info, err := os.Stat(path)
	fmt.Println(err == nil && info.Size() == int64(len(png)))
	// Output: true
}
