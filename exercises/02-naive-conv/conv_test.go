package naiveconv

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("02-naive-conv")

// shapes: (B, Cin, H, W, Cout, kh, kw, bias). Non-square kernels, H != W,
// 1x1 kernels, a single row, an even kernel (output one pixel larger) and
// no bias.
var shapes = []struct {
	b, cin, h, w, cout, kh, kw int
	bias                       bool
}{
	{1, 1, 4, 4, 1, 3, 3, true},
	{2, 3, 6, 5, 4, 3, 3, true},
	{2, 2, 7, 5, 3, 5, 3, false},
	{1, 2, 5, 8, 3, 3, 5, true},
	{2, 3, 5, 7, 5, 1, 1, true},
	{2, 1, 1, 9, 2, 3, 3, true},
	{1, 2, 6, 4, 2, 2, 2, true},
	{1, 3, 4, 6, 2, 7, 1, false},
}

func inputs(rng *rand.Rand, i int) (x, w, bias *convlstm.Tensor) {
	s := shapes[i]
	x = check.Rand(rng, s.b, s.cin, s.h, s.w)
	w = check.Rand(rng, s.cout, s.cin, s.kh, s.kw)
	if s.bias {
		bias = check.Rand(rng, s.cout)
	}
	return x, w, bias
}

func describe(x, w, bias *convlstm.Tensor) string {
	b := "nil"
	if bias != nil {
		b = fmt.Sprint(bias.Shape)
	}
	return fmt.Sprintf("x %v, weight %v, bias %s", x.Shape, w.Shape, b)
}

// TestPixelCorners checks a few single pixels first: the centre (no
// padding involved) and the four corners (padding on two sides).
func TestPixelCorners(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := range shapes {
		x, w, bias := inputs(rng, i)
		want, err := convlstm.Conv2d(x, w, bias)
		if err != nil {
			t.Fatal(err)
		}
		oh, ow := want.Shape[2], want.Shape[3]
		pixels := [][2]int{{oh / 2, ow / 2}, {0, 0}, {0, ow - 1}, {oh - 1, 0}, {oh - 1, ow - 1}}
		for _, p := range pixels {
			b, o := x.Shape[0]-1, w.Shape[0]-1
			got, err := Pixel(x, w, bias, b, o, p[0], p[1])
			ex.NoError(t, "Pixel", err, 1)
			ex.Floats(t, fmt.Sprintf("Pixel(b=%d, o=%d, y=%d, x=%d) with %s", b, o, p[0], p[1], describe(x, w, bias)),
				[]int{1}, []float32{got}, []float32{want.At(b, o, p[0], p[1])}, check.Float32Sum, 2)
		}
	}
}

// TestPixelOneHot puts a single 1 in the input and in the weight, so a wrong
// index (kernel flipped, padding on the wrong side, rows and columns swapped)
// moves the 1 to another pixel.
func TestPixelOneHot(t *testing.T) {
	x := convlstm.Zeros(1, 1, 5, 7)
	x.Set(1, 0, 0, 2, 3)
	w := convlstm.Zeros(1, 1, 3, 5)
	w.Set(1, 0, 0, 0, 4) // top-right tap: out[y, x] reads xpad[y+0, x+4] = x[y-1, x+2]
	want, err := convlstm.Conv2d(x, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 5; y++ {
		for xo := 0; xo < 7; xo++ {
			got, err := Pixel(x, w, nil, 0, 0, y, xo)
			ex.NoError(t, "Pixel", err, 1)
			if got != want.At(0, 0, y, xo) {
				t.Fatalf("one-hot input x[0,0,2,3]=1 and weight[0,0,0,4]=1 (3x5 kernel, padding (1,2)): Pixel(y=%d, x=%d) want %g, got %g\n    hint: %s",
					y, xo, want.At(0, 0, y, xo), got, ex.Hint(2))
			}
		}
	}
}

func TestConv2d(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for i := range shapes {
		x, w, bias := inputs(rng, i)
		want, err := convlstm.Conv2d(x, w, bias)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Conv2d(x, w, bias)
		ex.NoError(t, "Conv2d", err, 3)
		ex.Tensor(t, "Conv2d("+describe(x, w, bias)+")", got, want, check.Float32Sum, 3)
	}
}

func TestConv2dRejectsBadShapes(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	x := check.Rand(rng, 1, 3, 5, 5)
	cases := []struct {
		name       string
		x, w, bias *convlstm.Tensor
	}{
		{"weight with 2 input channels for x with 3", x, check.Rand(rng, 4, 2, 3, 3), nil},
		{"bias (3) for 4 output channels", x, check.Rand(rng, 4, 3, 3, 3), check.Rand(rng, 3)},
		{"3-D x", check.Rand(rng, 3, 5, 5), check.Rand(rng, 4, 3, 3, 3), nil},
		{"3-D weight", x, check.Rand(rng, 4, 3, 3), nil},
	}
	for _, c := range cases {
		_, err := Conv2d(c.x, c.w, c.bias)
		ex.Started(t, "Conv2d", err)
		if err == nil {
			t.Fatalf("Conv2d with %s: want an error, got nil\n    hint: %s", c.name, ex.Hint(3))
		}
	}
}
