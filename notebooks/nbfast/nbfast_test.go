package nbfast

import (
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
)

// rnd fills a tensor of the given shape with deterministic values in [-1, 1).
func rnd(seed uint32, shape ...int) *convlstm.Tensor {
	t := convlstm.Zeros(shape...)
	s := seed
	for i := range t.Data {
		s = s*1664525 + 1013904223
		t.Data[i] = float32(s>>8)/float32(1<<24)*2 - 1
	}
	return t
}

// convCase is one convolution of the tests: an image x (cin, h, w) and a
// weight (cout, cin, kh, kw).
type convCase struct{ cin, cout, h, w, kh, kw int }

// convCases are the convolutions both conv tests run.
var convCases = []convCase{
	{1, 1, 4, 5, 3, 3},
	{2, 8, 6, 7, 3, 3},
	{3, 4, 5, 5, 5, 5},
	{2, 3, 6, 4, 1, 3},
	{4, 12, 9, 11, 3, 5},
}

// forEachConv calls f for every case, with a bias (cout) and with none: x,
// w and the bias are rnd of seed, seed+1 and seed+2, and want is
// convlstm.Conv2d of the batch of one image x, (1, Cout, H, W).
func forEachConv(t *testing.T, seed uint32, cases []convCase, f func(tc convCase, x, w, bias, want *convlstm.Tensor)) {
	t.Helper()
	for _, tc := range cases {
		x, w, b := rnd(seed, tc.cin, tc.h, tc.w), rnd(seed+1, tc.cout, tc.cin, tc.kh, tc.kw), rnd(seed+2, tc.cout)
		for _, bias := range []*convlstm.Tensor{b, nil} {
			x4, err := convlstm.FromSlice(append([]float32(nil), x.Data...), 1, tc.cin, tc.h, tc.w)
			if err != nil {
				t.Fatal(err)
			}
			want, err := convlstm.Conv2d(x4, w, bias)
			if err != nil {
				t.Fatal(err)
			}
			f(tc, x, w, bias, want)
		}
	}
}

// The im2col matrix times the weight matrix is convlstm.Conv2d.
func TestConvByIm2colEqualsConv2d(t *testing.T) {
	forEachConv(t, 1, convCases, func(tc convCase, x, w, bias, want *convlstm.Tensor) {
		// The two steps by hand, as the notebook does them.
		col, err := Im2col(x, tc.kh, tc.kw)
		if err != nil {
			t.Fatal(err)
		}
		if col.Shape[0] != tc.cin*tc.kh*tc.kw || col.Shape[1] != tc.h*tc.w {
			t.Fatalf("%+v: Im2col shape %v", tc, col.Shape)
		}
		wm, err := WeightMatrix(w)
		if err != nil {
			t.Fatal(err)
		}
		prod, err := MatMul(wm, col)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ConvByIm2col(x, w, bias)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range want.Data {
			if d := v - got.Data[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%+v bias=%v: ConvByIm2col[%d] = %v, Conv2d = %v", tc, bias != nil, i, got.Data[i], v)
			}
			p := prod.Data[i]
			if bias != nil {
				p += bias.Data[i/(tc.h*tc.w)]
			}
			if d := v - p; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%+v bias=%v: W.im2col[%d] = %v, Conv2d = %v", tc, bias != nil, i, p, v)
			}
		}
	})
}

// A column of the im2col matrix is the padded kh x kw window around its pixel.
func TestIm2colColumn(t *testing.T) {
	x := convlstm.Zeros(1, 3, 4)
	for i := range x.Data {
		x.Data[i] = float32(i + 1) // 1..12, row-major
	}
	col, err := Im2col(x, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Pixel (0, 0): the window rows -1..1, columns -1..1.
	want0 := []float32{0, 0, 0, 0, 1, 2, 0, 5, 6}
	// Pixel (1, 2): rows 0..2, columns 1..3.
	want6 := []float32{2, 3, 4, 6, 7, 8, 10, 11, 12}
	for k := 0; k < 9; k++ {
		if g := col.Data[k*12+0]; g != want0[k] {
			t.Errorf("col[%d, 0] = %v, want %v", k, g, want0[k])
		}
		if g := col.Data[k*12+6]; g != want6[k] {
			t.Errorf("col[%d, 6] = %v, want %v", k, g, want6[k])
		}
	}
}

// conv(cat[x, h]) = conv_x(x) + conv_h(h) with the split weight.
func TestSplitWeightAlgebra(t *testing.T) {
	cin, hid := 3, 4
	x := rnd(4, 2, cin, 5, 6)
	h := rnd(5, 2, hid, 5, 6)
	w := rnd(6, 4*hid, cin+hid, 3, 3)
	b := rnd(7, 4*hid)
	xh, err := CatChannels(x, h)
	if err != nil {
		t.Fatal(err)
	}
	if xh.Shape[1] != cin+hid || xh.At(1, cin, 2, 3) != h.At(1, 0, 2, 3) || xh.At(1, 2, 4, 5) != x.At(1, 2, 4, 5) {
		t.Fatalf("CatChannels: wrong layout, shape %v", xh.Shape)
	}
	want, err := convlstm.Conv2d(xh, w, b)
	if err != nil {
		t.Fatal(err)
	}
	wx, wh, err := SplitWeight(w, cin)
	if err != nil {
		t.Fatal(err)
	}
	if wx.At(5, 2, 1, 2) != w.At(5, 2, 1, 2) || wh.At(5, 0, 1, 2) != w.At(5, cin, 1, 2) {
		t.Fatal("SplitWeight: wrong halves")
	}
	gx, err := convlstm.Conv2d(x, wx, b)
	if err != nil {
		t.Fatal(err)
	}
	gh, err := convlstm.Conv2d(h, wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Add(gx, gh)
	if err != nil {
		t.Fatal(err)
	}
	d, err := MaxAbsDiff(got, want)
	if err != nil {
		t.Fatal(err)
	}
	if d > 1e-5 {
		t.Fatalf("conv_x(x) + conv_h(h) differs from conv(cat[x, h]) by %g", d)
	}
}

func TestTileMap(t *testing.T) {
	m, err := TileMap(20, 100)
	if err != nil {
		t.Fatal(err)
	}
	if m.Shape[0] != 24 || m.Shape[1] != 144 {
		t.Fatalf("shape %v, want [24 144]", m.Shape)
	}
	for _, c := range []struct {
		i, j int
		want float32
	}{{0, 0, 1}, {0, 48, 2}, {8, 0, 2}, {8, 48, 1}, {19, 99, 1}, {20, 0, 0}, {0, 100, 0}, {23, 143, 0}} {
		if g := m.At(c.i, c.j); g != c.want {
			t.Errorf("TileMap[%d, %d] = %v, want %v", c.i, c.j, g, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	img := convlstm.Zeros(2, 4, 4)
	w := convlstm.Zeros(3, 2, 3, 3)
	for name, err := range map[string]error{
		"Im2col nil":        second(Im2col(nil, 3, 3)),
		"Im2col even":       second(Im2col(img, 2, 3)),
		"Im2col 4-D":        second(Im2col(convlstm.Zeros(1, 2, 4, 4), 3, 3)),
		"WeightMatrix 2-D":  second(WeightMatrix(convlstm.Zeros(3, 4))),
		"MatMul mismatch":   second(MatMul(convlstm.Zeros(2, 3), convlstm.Zeros(4, 5))),
		"ConvByIm2col cin":  second(ConvByIm2col(convlstm.Zeros(3, 4, 4), w, nil)),
		"ConvByIm2col bias": second(ConvByIm2col(img, w, convlstm.Zeros(4))),
		"SplitWeight cin":   third(SplitWeight(w, 2)),
		"CatChannels H":     second(CatChannels(convlstm.Zeros(1, 2, 4, 4), convlstm.Zeros(1, 2, 5, 4))),
		"Add shapes":        second(Add(convlstm.Zeros(2, 3), convlstm.Zeros(3, 2))),
		"MaxAbsDiff nil":    func() error { _, err := MaxAbsDiff(nil, img); return err }(),
		"TileMap zero":      second(TileMap(0, 5)),
		"bad data":          second(Im2col(&convlstm.Tensor{Shape: []int{1, 2, 2}, Data: make([]float32, 3)}, 1, 1)),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.HasPrefix(err.Error(), "nbfast: ") {
			t.Errorf("%s: error %q does not start with nbfast:", name, err)
		}
	}
}

func second(_ *convlstm.Tensor, err error) error { return err }

func third(_, _ *convlstm.Tensor, err error) error { return err }

// The conv by taps over the padded planes is convlstm.Conv2d.
func TestConvByTapsEqualsConv2d(t *testing.T) {
	cases := append([]convCase{
		{2, 5, 3, 1, 3, 5}, // narrower than kw/2: two tail rows
		{1, 2, 2, 2, 5, 7},
	}, convCases...)
	forEachConv(t, 11, cases, func(tc convCase, x, w, bias, want *convlstm.Tensor) {
		got, err := ConvByTaps(x, w, bias)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Shape) != 3 || got.Shape[0] != tc.cout || got.Shape[1] != tc.h || got.Shape[2] != tc.w {
			t.Fatalf("%+v: ConvByTaps shape %v", tc, got.Shape)
		}
		for i, v := range want.Data {
			if d := v - got.Data[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%+v bias=%v: ConvByTaps[%d] = %v, Conv2d = %v", tc, bias != nil, i, got.Data[i], v)
			}
		}
	})
}

// The padded plane's layout, and the window of a tap: the value at
// position k of the window is what the tap reads for output position k.
func TestPaddedPlaneAndTapWindow(t *testing.T) {
	x := convlstm.Zeros(3, 4)
	for i := range x.Data {
		x.Data[i] = float32(i + 1) // 1..12, row-major
	}
	p, err := PaddedPlane(x, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	// wp = 5: rows of one zero then 4 pixels; one zero row on top, one
	// below, one tail row.
	want := []float32{
		0, 0, 0, 0, 0,
		0, 1, 2, 3, 4,
		0, 5, 6, 7, 8,
		0, 9, 10, 11, 12,
		0, 0, 0, 0, 0,
		0, 0, 0, 0, 0,
	}
	if len(p.Shape) != 2 || p.Shape[0] != 6 || p.Shape[1] != 5 {
		t.Fatalf("PaddedPlane shape %v, want [6 5]", p.Shape)
	}
	for i, v := range want {
		if p.Data[i] != v {
			t.Fatalf("PaddedPlane[%d] = %v, want %v", i, p.Data[i], v)
		}
	}
	if off := TapOffset(4, 3, 3, 2, 1); off != 11 {
		t.Fatalf("TapOffset(4, 3, 3, 2, 1) = %d, want 2*5+1", off)
	}
	if TapOffset(4, 3, 3, 3, 0) != -1 || TapOffset(4, 3, 3, 0, -1) != -1 {
		t.Fatal("TapOffset of a tap outside the kernel, want -1")
	}
	for _, k := range []struct{ h, w, kh, kw int }{{3, 4, 3, 3}, {5, 6, 5, 5}, {4, 2, 3, 5}, {2, 1, 3, 5}} {
		x := rnd(21, k.h, k.w)
		wp := k.w + k.kw/2
		for dy := 0; dy < k.kh; dy++ {
			for dx := 0; dx < k.kw; dx++ {
				win, err := TapWindow(x, k.kh, k.kw, dy, dx)
				if err != nil {
					t.Fatal(err)
				}
				off := TapOffset(k.w, k.kh, k.kw, dy, dx)
				n := 0
				for i, v := range win.Data {
					if v == v { // not NaN
						n++
						if i < off {
							t.Fatalf("%+v tap (%d, %d): value at %d before the offset %d", k, dy, dx, i, off)
						}
					}
				}
				if n != k.h*wp {
					t.Fatalf("%+v tap (%d, %d): window of %d values, want H*wp = %d", k, dy, dx, n, k.h*wp)
				}
				for y := 0; y < k.h; y++ {
					for xo := 0; xo < k.w; xo++ {
						got := win.Data[y*wp+xo+off]
						iy, ix := y+dy-k.kh/2, xo+dx-k.kw/2
						want := float32(0)
						if iy >= 0 && iy < k.h && ix >= 0 && ix < k.w {
							want = x.Data[iy*k.w+ix]
						}
						if got != want {
							t.Fatalf("%+v tap (%d, %d) pixel (%d, %d): reads %v, want %v", k, dy, dx, y, xo, got, want)
						}
					}
				}
			}
		}
	}
}

func TestTapsErrors(t *testing.T) {
	x := convlstm.Zeros(3, 4)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"PaddedPlane 3-D", func() error { _, err := PaddedPlane(convlstm.Zeros(1, 3, 4), 3, 3); return err }(), "want 2-D (H, W)"},
		{"PaddedPlane even kernel", func() error { _, err := PaddedPlane(x, 3, 2); return err }(), "want odd positive sizes"},
		{"TapWindow bad tap", func() error { _, err := TapWindow(x, 3, 3, 0, 3); return err }(), "want 0 <= dy < 3 and 0 <= dx < 3"},
		{"ConvByTaps channels", func() error {
			_, err := ConvByTaps(convlstm.Zeros(2, 3, 4), convlstm.Zeros(5, 3, 3, 3), nil)
			return err
		}(), "want 2 input channels"},
		{"ConvByTaps bias", func() error {
			_, err := ConvByTaps(convlstm.Zeros(2, 3, 4), convlstm.Zeros(5, 2, 3, 3), convlstm.Zeros(4))
			return err
		}(), "want (5)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
}

// FLOPs on a shape small enough to count by hand.
func TestShapeFLOPs(t *testing.T) {
	s := Shape{Name: "hand", B: 1, T: 2, C: 1, H: 2, W: 3, Hidden: []int{2, 4}, Kernel: [2]int{3, 1}}
	// H*W*B*T = 2*3*1*2 = 12 pixels, kh*kw = 3; 2*(cin+hid)*4*hid*3*12:
	// layer 0: 2 * (1+2) * 8 * 3 * 12 = 1728; layer 1: 2 * (2+4) * 16 * 3 * 12 = 6912.
	if got, want := s.FLOPs(), 1728.0+6912.0; got != want {
		t.Errorf("FLOPs = %g, want %g", got, want)
	}
	shapes := BenchShapes()
	if len(shapes) != 3 || shapes[0].Name != "mnist" || shapes[1].Name != "wide" || shapes[2].Name != "deep" {
		t.Fatalf("BenchShapes = %+v", shapes)
	}
	if !shapes[0].BatchFirst || shapes[1].BatchFirst || shapes[2].BatchFirst || shapes[1].Kernel != [2]int{5, 5} || shapes[2].C != 64 {
		t.Errorf("BenchShapes = %+v", shapes)
	}
}

// Model is deterministic, lays the input out as BatchFirst says, and the
// readable and the fast forward pass agree on it.
func TestShapeModelFastEqualsReadable(t *testing.T) {
	for _, s := range []Shape{
		{Name: "im2col", B: 2, T: 3, C: 2, H: 5, W: 6, Hidden: []int{4, 3}, Kernel: [2]int{3, 3}, BatchFirst: true},
		{Name: "taps", B: 2, T: 3, C: 3, H: 6, W: 5, Hidden: []int{16}, Kernel: [2]int{3, 5}},
	} {
		m, x, err := s.Model()
		if err != nil {
			t.Fatal(err)
		}
		want := []int{s.T, s.B, s.C, s.H, s.W}
		if s.BatchFirst {
			want = []int{s.B, s.T, s.C, s.H, s.W}
		}
		if !convlstm.SameShape(x.Shape, want) {
			t.Fatalf("%s: input shape %v, want %v", s.Name, x.Shape, want)
		}
		m2, x2, err := s.Model()
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := MaxAbsDiff(x, x2); d != 0 {
			t.Errorf("%s: two inputs differ by %g", s.Name, d)
		}
		if d, _ := MaxAbsDiff(m.CellList[0].Conv.Weight, m2.CellList[0].Conv.Weight); d != 0 {
			t.Errorf("%s: two models differ by %g", s.Name, d)
		}
		m.ReturnAllLayers = true
		outsN, statesN, err := m.Forward(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		outsF, statesF, err := fast.Forward(m, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		for l := range outsN {
			for _, p := range [][2]*convlstm.Tensor{{outsN[l], outsF[l]}, {statesN[l].H, statesF[l].H}, {statesN[l].C, statesF[l].C}} {
				if d, err := MaxAbsDiff(p[0], p[1]); err != nil || d > 1e-5 {
					t.Errorf("%s layer %d: readable and fast differ by %g (%v)", s.Name, l, d, err)
				}
			}
		}
	}
	if _, _, err := (Shape{Name: "empty", B: 1, T: 1, C: 1, H: 1, W: 1}).Model(); err == nil {
		t.Error("Model of a shape without layers accepted")
	}
}

// TimeForward runs both paths and reports a positive time and rate;
// StepGFLOPS wants two time steps.
func TestTimeForwardAndStep(t *testing.T) {
	s := Shape{Name: "small", B: 1, T: 2, C: 1, H: 8, W: 8, Hidden: []int{4}, Kernel: [2]int{3, 3}, BatchFirst: true}
	for _, useFast := range []bool{false, true} {
		d, g, err := TimeForward(s, useFast, 2)
		if err != nil || d <= 0 || !(g > 0) {
			t.Errorf("TimeForward(fast=%v) = %v, %g, %v", useFast, d, g, err)
		}
	}
	direct := s
	direct.Direct = true
	if d, g, err := TimeForward(direct, true, 2); err != nil || d <= 0 || !(g > 0) {
		t.Errorf("TimeForward(Direct) = %v, %g, %v", d, g, err)
	}
	if d, g, err := TimeTrainStep(direct, true, 2); err != nil || d <= 0 || !(g > 0) {
		t.Errorf("TimeTrainStep(Direct) = %v, %g, %v", d, g, err)
	}
	if g, err := StepGFLOPS(s, 1); err != nil || !(g > 0) {
		t.Errorf("StepGFLOPS = %g, %v", g, err)
	}
	s.T = 1
	if _, err := StepGFLOPS(s, 1); err == nil {
		t.Error("StepGFLOPS with T = 1 accepted")
	}
	if _, _, err := TimeForward(Shape{Name: "bad"}, true, 1); err == nil {
		t.Error("TimeForward of an empty shape accepted")
	}
}

// TimeTrainStep runs both training paths and reports a positive time and
// a rate of 3x the forward's FLOPs; an empty shape is an error.
func TestTimeTrainStep(t *testing.T) {
	s := Shape{Name: "small", B: 1, T: 2, C: 1, H: 8, W: 8, Hidden: []int{4, 3}, Kernel: [2]int{3, 3}, BatchFirst: true}
	if s.TrainFLOPs() != 3*s.FLOPs() {
		t.Errorf("TrainFLOPs = %g, want 3 x %g", s.TrainFLOPs(), s.FLOPs())
	}
	for _, useFast := range []bool{false, true} {
		d, g, err := TimeTrainStep(s, useFast, 2)
		if err != nil || d <= 0 || !(g > 0) {
			t.Errorf("TimeTrainStep(fast=%v) = %v, %g, %v", useFast, d, g, err)
		}
		if want := s.TrainFLOPs() / d.Seconds() / 1e9; math.Abs(g-want) > 1e-9*want {
			t.Errorf("TimeTrainStep(fast=%v): %g GFLOP/s, want TrainFLOPs/time = %g", useFast, g, want)
		}
	}
	if _, _, err := TimeTrainStep(Shape{Name: "bad"}, true, 1); err == nil {
		t.Error("TimeTrainStep of an empty shape accepted")
	}
}
