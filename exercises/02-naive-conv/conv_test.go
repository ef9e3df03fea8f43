package naiveconv

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("02-naive-conv")

// refPixel is out[b, o, y, xo] computed the right way, or with one of two
// typical mistakes: flip reads the kernel upside down and back to front (a
// textbook convolution, which nn.Conv2d is not), noOffset forgets that the
// padding moves the window up and left by (kh/2, kw/2).
func refPixel(x, w, bias *convlstm.Tensor, b, o, y, xo int, flip, noOffset bool) float32 {
	cin, h, wd := x.Shape[1], x.Shape[2], x.Shape[3]
	kh, kw := w.Shape[2], w.Shape[3]
	ph, pw := kh/2, kw/2
	if noOffset {
		ph, pw = 0, 0
	}
	var acc float64
	if bias != nil {
		acc = float64(bias.Data[o])
	}
	for c := 0; c < cin; c++ {
		for dy := 0; dy < kh; dy++ {
			for dx := 0; dx < kw; dx++ {
				iy, ix := y+dy-ph, xo+dx-pw
				if iy < 0 || iy >= h || ix < 0 || ix >= wd {
					continue
				}
				ky, kx := dy, dx
				if flip {
					ky, kx = kh-1-dy, kw-1-dx
				}
				acc += float64(w.At(o, c, ky, kx)) * float64(x.At(b, c, iy, ix))
			}
		}
	}
	return float32(acc)
}

// pixelHint says which hint fits a wrong value of out[b, o, y, xo].
func pixelHint(x, w, bias *convlstm.Tensor, b, o, y, xo int, got float32) (int, string) {
	close := func(v float32) bool {
		bad, _, _ := check.Compare([]float32{got}, []float32{v}, check.Float32Sum)
		return bad == 0
	}
	kh, kw := w.Shape[2], w.Shape[3]
	if (kh > 1 || kw > 1) && close(refPixel(x, w, bias, b, o, y, xo, true, false)) {
		return 2, "this is the value with the kernel flipped (a textbook convolution); nn.Conv2d is a cross-correlation and does not flip"
	}
	if (kh > 1 || kw > 1) && close(refPixel(x, w, bias, b, o, y, xo, false, true)) {
		return 1, fmt.Sprintf("this is the value of a window that starts at the output pixel itself; with padding (%d, %d) it starts %d rows above and %d columns left of it", kh/2, kw/2, kh/2, kw/2)
	}
	return 1, ""
}

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
	for _, s := range shapes {
		x, w, bias, want := check.ConvCase(t, rng, s.b, s.cin, s.h, s.w, s.cout, s.kh, s.kw, s.bias)
		oh, ow := want.Shape[2], want.Shape[3]
		pixels := [][2]int{{oh / 2, ow / 2}, {0, 0}, {0, ow - 1}, {oh - 1, 0}, {oh - 1, ow - 1}}
		for _, p := range pixels {
			b, o := x.Shape[0]-1, w.Shape[0]-1
			got, err := Pixel(x, w, bias, b, o, p[0], p[1])
			ex.NoError(t, "Pixel", err, 1)
			ex.FloatsDiag(t, fmt.Sprintf("Pixel(b=%d, o=%d, y=%d, x=%d) with %s", b, o, p[0], p[1], describe(x, w, bias)),
				[]int{1}, []float32{got}, []float32{want.At(b, o, p[0], p[1])}, check.Float32Sum, 1,
				func([]int) (int, string) { return pixelHint(x, w, bias, b, o, p[0], p[1], got) })
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
	got := convlstm.Zeros(1, 1, 5, 7)
	for y := 0; y < 5; y++ {
		for xo := 0; xo < 7; xo++ {
			v, err := Pixel(x, w, nil, 0, 0, y, xo)
			ex.NoError(t, "Pixel", err, 1)
			got.Set(v, 0, 0, y, xo)
		}
	}
	if bad, first, _ := check.Compare(got.Data, want.Data, check.Exact); bad > 0 {
		// Where did the 1 go? Compare the whole map with what the two
		// typical mistakes give.
		hint, why := 1, ""
		for _, m := range []struct {
			flip, noOffset bool
			hint           int
			why            string
		}{
			{true, false, 2, "your map is the one of the flipped kernel: nn.Conv2d does not flip"},
			{false, true, 1, "your map is the one of a window that starts at the output pixel: the padding moves it up by kh/2 and left by kw/2"},
		} {
			alt := convlstm.Zeros(1, 1, 5, 7)
			for k := range alt.Data {
				i := check.Unravel(k, alt.Shape)
				alt.Data[k] = refPixel(x, w, nil, 0, 0, i[2], i[3], m.flip, m.noOffset)
			}
			if check.Close(got, alt, check.Exact) {
				hint, why = m.hint, "\n    "+m.why
				break
			}
		}
		i := check.Unravel(first, got.Shape)
		t.Fatalf("one-hot input x[0,0,2,3]=1 and weight[0,0,0,4]=1 (3x5 kernel, padding (1,2)): Pixel(y=%d, x=%d) want %g, got %g (the 1 belongs at out[3, 1]; yours are at %v)%s\n    hint: %s",
			i[2], i[3], want.Data[first], got.Data[first], ones(got), why, ex.Hint(hint))
	}
}

// ones lists the [y x] positions of the non-zero values of a (1, 1, H, W)
// map.
func ones(m *convlstm.Tensor) [][2]int {
	var out [][2]int
	for k, v := range m.Data {
		if v != 0 {
			i := check.Unravel(k, m.Shape)
			out = append(out, [2]int{i[2], i[3]})
		}
	}
	return out
}

func TestConv2d(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, s := range shapes {
		x, w, bias, want := check.ConvCase(t, rng, s.b, s.cin, s.h, s.w, s.cout, s.kh, s.kw, s.bias)
		got, err := Conv2d(x, w, bias)
		ex.NoError(t, "Conv2d", err, 3)
		ex.TensorDiag(t, "Conv2d("+describe(x, w, bias)+")", got, want, check.Float32Sum, 3, func(i []int) (int, string) {
			// A Conv2d built on a wrong Pixel: send the student to Pixel's hint.
			p, err := Pixel(x, w, bias, i[0], i[1], i[2], i[3])
			if err != nil || p == want.At(i[0], i[1], i[2], i[3]) {
				return 3, ""
			}
			hint, why := pixelHint(x, w, bias, i[0], i[1], i[2], i[3], p)
			return hint, strings.TrimSpace("your Pixel gets this element wrong too: if your Conv2d uses it, fix Pixel first. " + why)
		})
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
