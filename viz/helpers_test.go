package viz_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"

	"example.com/convlstm/convlstm"
)

// synth returns a tensor of the given shape whose value at flat index i is
// f(i): deterministic test data without any random numbers.
func synth(f func(i int) float64, shape ...int) *convlstm.Tensor {
	n := 1
	for _, s := range shape {
		n *= s
	}
	t := &convlstm.Tensor{Shape: shape, Data: make([]float32, n)}
	for i := range t.Data {
		t.Data[i] = float32(f(i))
	}
	return t
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// synthStep returns a Step of shape (b, hid, h, w) with smooth patterns in
// the ranges a real cell produces: i, f, o in (0, 1), g and h in (-1, 1),
// c in about (-2, 2). phase shifts the patterns, to make a time series.
func synthStep(b, hid, h, w int, phase float64) convlstm.Step {
	shape := []int{b, hid, h, w}
	wave := func(fx, fy float64) func(i int) float64 {
		return func(i int) float64 {
			x, y, ch := float64(i%w), float64(i/w%h), float64(i/(w*h)%hid)
			return math.Sin(fx*x+fy*y+ch+phase) + 0.5*math.Cos(fy*x-fx*y-ch)
		}
	}
	i, f, o, g := wave(0.9, 0.3), wave(0.2, 0.7), wave(0.5, 0.5), wave(0.4, -0.6)
	c := func(k int) float64 { return 1.5*g(k)*sigmoid(2*i(k)) + phase*0.2*f(k) }
	return convlstm.Step{
		I: synth(func(k int) float64 { return sigmoid(2 * i(k)) }, shape...),
		F: synth(func(k int) float64 { return sigmoid(2 * f(k)) }, shape...),
		O: synth(func(k int) float64 { return sigmoid(2 * o(k)) }, shape...),
		G: synth(func(k int) float64 { return math.Tanh(g(k)) }, shape...),
		C: synth(c, shape...),
		H: synth(func(k int) float64 { return sigmoid(2*o(k)) * math.Tanh(c(k)) }, shape...),
	}
}

// blobs returns (T, H, W) frames of a bright Gaussian blob moving to the
// right by speed pixels per step, starting at column x0.
func blobs(T, H, W int, x0, speed float64) *convlstm.Tensor {
	return synth(func(i int) float64 {
		t, y, x := float64(i/(H*W)), float64(i/W%H), float64(i%W)
		cx, cy := x0+speed*t, float64(H)/2
		return math.Exp(-((x-cx)*(x-cx) + (y-cy)*(y-cy)) / 4)
	}, T, H, W)
}

// pngSize decodes a PNG and describes its size, for the examples; a
// non-nil err, from the call that drew it, is described instead.
func pngSize(b []byte, err error) string {
	if err != nil {
		return err.Error()
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "not a PNG: " + err.Error()
	}
	return fmt.Sprintf("PNG %dx%d", img.Bounds().Dx(), img.Bounds().Dy())
}
