package viz

import (
	"image/color"
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/plot"
)

// rgba turns any colour into a comparable color.RGBA.
func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// TestRasterOrientation checks that row 0 of the data is the top row of
// the picture and column 0 its left column, with blocks of pixels.
func TestRasterOrientation(t *testing.T) {
	s := sequential("", 0, 1)
	colour := s.colours()
	// 2 rows x 3 columns; only the top-left value is 1.
	data := []float32{1, 0, 0, 0, 0, 0}
	img := raster(data, 2, 3, s, 30, 20)
	if got := img.Bounds().Size(); got.X != 30 || got.Y != 20 {
		t.Fatalf("size %v, want 30x20", got)
	}
	bright, dark := rgba(colour(1)), rgba(colour(0))
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{{0, 0, bright}, {9, 9, bright}, {10, 0, dark}, {0, 10, dark}, {29, 19, dark}} {
		if got := rgba(img.At(p.x, p.y)); got != p.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
}

// TestColours checks the ends of the scales and that values beyond them
// (and infinities) take the colour of the nearest end.
func TestColours(t *testing.T) {
	s := diverging("", -2, 2)
	colour := s.colours()
	lo, hi := rgba(colour(-2)), rgba(colour(2))
	if lo == hi {
		t.Fatal("both ends of the diverging scale have the same colour")
	}
	if lo.B < lo.R || hi.R < hi.B {
		t.Errorf("low end %v should be blue and high end %v red", lo, hi)
	}
	if mid := rgba(colour(0)); mid.R < 200 || mid.G < 200 || mid.B < 200 {
		t.Errorf("0 is %v, want nearly white", mid)
	}
	for v, want := range map[float32]color.RGBA{
		-5:                            lo,
		float32(math.Inf(-1)):         lo,
		7:                             hi,
		float32(math.Inf(1)):          hi,
		float32(math.NaN()):           rgba(nanColour),
		float32(math.Copysign(0, -1)): rgba(colour(0)),
	} {
		if got := rgba(colour(v)); got != want {
			t.Errorf("colour(%v) = %v, want %v", v, got, want)
		}
	}
}

func TestAutoScale(t *testing.T) {
	for _, c := range []struct {
		data     []float32
		min, max float64
	}{
		{[]float32{0, 0.5, 2}, 0, 2},
		{[]float32{-1, 0.5, 3}, -3, 3},
		{[]float32{0, 0}, 0, 1},
		{[]float32{float32(math.NaN()), 0.25}, 0, 0.25},
	} {
		s := autoScale("", c.data)
		if s.cmap.Min() != c.min || s.cmap.Max() != c.max {
			t.Errorf("autoScale(%v) = [%v, %v], want [%v, %v]", c.data, s.cmap.Min(), s.cmap.Max(), c.min, c.max)
		}
	}
}

// labels returns the labelled tick values.
func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		name string
		tk   plot.Ticker
		lo   float64
		hi   float64
		want []string
	}{
		{"nice", niceTicks{}, 0.05, 1.22, []string{"0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}},
		{"nice negative", niceTicks{}, -3, 3, []string{"-3", "-2", "-1", "0", "1", "2", "3"}},
		{"nice large", niceTicks{}, 0, 410, []string{"0", "100", "200", "300", "400"}},
		{"nice flat", niceTicks{}, 2, 2, []string{"2"}},
		{"pixels", pixelTicks{n: 28}, -0.5, 27.5, []string{"0", "5", "10", "15", "20", "25"}},
		{"few pixels", pixelTicks{n: 3}, -0.5, 2.5, []string{"0", "1", "2"}},
		{"log", logTicks{}, 0.1, 1000, []string{"0.1", "1", "10", "100", "1000"}},
	} {
		if got := labels(c.tk.Ticks(c.lo, c.hi)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: labels %v, want %v", c.name, got, c.want)
		}
	}
}

func TestWholeDecades(t *testing.T) {
	a := plot.Axis{Min: 0.2, Max: 230}
	wholeDecades(&a)
	if a.Min != 0.1 || a.Max != 1000 {
		t.Errorf("range [%v, %v], want [0.1, 1000]", a.Min, a.Max)
	}
	a = plot.Axis{Min: 10, Max: 10}
	wholeDecades(&a)
	if a.Min != 10 || a.Max != 100 {
		t.Errorf("range [%v, %v], want [10, 100]", a.Min, a.Max)
	}
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{
		1510: "1510", 151.2: "151", 15.12: "15.1", 1.512: "1.51", 0.1512: "0.151", 0.01512: "0.0151", 0: "0", -2.5: "-2.50",
	} {
		if got := formatValue(v); got != want {
			t.Errorf("formatValue(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestPaletteNoRedGreen checks that the first colours of the category
// palette never put a red next to a green: no two of the first four have
// one with R > G and the other with G > R by a wide margin on both.
func TestPaletteNoRedGreen(t *testing.T) {
	isRed := func(c color.RGBA) bool { return int(c.R)-int(c.G) > 80 && int(c.R)-int(c.B) > 80 }
	isGreen := func(c color.RGBA) bool { return int(c.G)-int(c.R) > 80 && int(c.G)-int(c.B) > 40 }
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			if isRed(categoryColour(i)) && isGreen(categoryColour(j)) {
				t.Errorf("colours %d (%v) and %d (%v) are a red/green pair", i, categoryColour(i), j, categoryColour(j))
			}
		}
	}
}

func TestGreyScale(t *testing.T) {
	colour := sequential("", 0, 2).colours()
	for v, want := range map[float32]int{0: 0, 1: 128, 2: 255} {
		c := colour(v)
		if c.R != c.G || c.G != c.B || int(c.R) < want-1 || int(c.R) > want+1 {
			t.Errorf("colour(%v) = %v, want grey %d", v, c, want)
		}
	}
}
