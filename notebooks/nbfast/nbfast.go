package nbfast

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
)

// Micro-tile of the fast path's matrix product (gemmMR x gemmNR in
// convlstm/gemm.go): 8 rows (gate channels) by 48 columns (pixels).
const (
	TileRows = 8
	TileCols = 48
)

// check returns an error unless t is non-nil, has dims axes of positive
// size and holds exactly as many values as its shape says.
func check(fn, arg string, t *convlstm.Tensor, dims int, layout string) error {
	if t == nil {
		return fmt.Errorf("nbfast: %s: %s is nil, want a %d-D tensor %s", fn, arg, dims, layout)
	}
	if len(t.Shape) != dims {
		return fmt.Errorf("nbfast: %s: %s has shape %v, want %d-D %s", fn, arg, t.Shape, dims, layout)
	}
	n := 1
	for _, s := range t.Shape {
		if s <= 0 {
			return fmt.Errorf("nbfast: %s: %s has shape %v, every size must be positive", fn, arg, t.Shape)
		}
		n *= s
	}
	if len(t.Data) != n {
		return fmt.Errorf("nbfast: %s: %s has %d values, shape %v needs %d", fn, arg, len(t.Data), t.Shape, n)
	}
	return nil
}

// Im2col returns the im2col matrix of the image x (Cin, H, W) for an odd
// kernel kh x kw with the seed's zero padding (kh/2, kw/2):
//
//	col[(c*kh+dy)*kw+dx, y*W+x] = x[c, y+dy-kh/2, x+dx-kw/2]   (0 in the padding)
//
// Shape (Cin*kh*kw, H*W): one row per (input channel, kernel tap), one
// column per output pixel. Column p lists the Cin*kh*kw input values that
// output pixel p reads, in the order of the weight's last three axes, so a
// convolution is the matrix product WeightMatrix(w) . Im2col(x).
func Im2col(x *convlstm.Tensor, kh, kw int) (*convlstm.Tensor, error) {
	const fn = "Im2col"
	if err := check(fn, "x", x, 3, "(Cin, H, W)"); err != nil {
		return nil, err
	}
	if kh <= 0 || kw <= 0 || kh%2 == 0 || kw%2 == 0 {
		return nil, fmt.Errorf("nbfast: %s: kernel %d x %d, want odd positive sizes (the padding kh/2, kw/2 then keeps H and W)", fn, kh, kw)
	}
	cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2]
	ph, pw := kh/2, kw/2
	col := convlstm.Zeros(cin*kh*kw, h*w) // (Cin*kh*kw, H*W)
	for c := 0; c < cin; c++ {
		for dy := 0; dy < kh; dy++ {
			for dx := 0; dx < kw; dx++ {
				row := col.Data[((c*kh+dy)*kw+dx)*h*w:][:h*w]
				for y := 0; y < h; y++ {
					iy := y + dy - ph
					if iy < 0 || iy >= h {
						continue // padding row: stays 0
					}
					for xo := 0; xo < w; xo++ {
						ix := xo + dx - pw
						if ix < 0 || ix >= w {
							continue // padding column
						}
						row[y*w+xo] = x.Data[(c*h+iy)*w+ix]
					}
				}
			}
		}
	}
	return col, nil
}

// WeightMatrix returns the conv weight w (Cout, Cin, kh, kw), as nn.Conv2d
// stores it, as the matrix (Cout, Cin*kh*kw): the same numbers in the same
// order, only the shape changes. Its columns match the rows of Im2col.
func WeightMatrix(w *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := check("WeightMatrix", "w", w, 4, "(Cout, Cin, kh, kw)"); err != nil {
		return nil, err
	}
	return convlstm.FromSlice(append([]float32(nil), w.Data...), w.Shape[0], w.Shape[1]*w.Shape[2]*w.Shape[3])
}

// MatMul returns the product a . b of a (m, k) and b (k, n): three plain
// loops, in float64 sums, for small teaching sizes.
func MatMul(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	const fn = "MatMul"
	if err := check(fn, "a", a, 2, "(m, k)"); err != nil {
		return nil, err
	}
	if err := check(fn, "b", b, 2, "(k, n)"); err != nil {
		return nil, err
	}
	m, k, n := a.Shape[0], a.Shape[1], b.Shape[1]
	if b.Shape[0] != k {
		return nil, fmt.Errorf("nbfast: %s: a is %v and b is %v, want b's rows (%d) equal to a's columns (%d)", fn, a.Shape, b.Shape, b.Shape[0], k)
	}
	out := convlstm.Zeros(m, n) // (m, n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for kk := 0; kk < k; kk++ {
				s += float64(a.Data[i*k+kk]) * float64(b.Data[kk*n+j])
			}
			out.Data[i*n+j] = float32(s)
		}
	}
	return out, nil
}

// ConvByIm2col computes the seed's convolution (stride 1, zero padding
// kh/2, kw/2) of the image x (Cin, H, W) with the weight w (Cout, Cin, kh,
// kw) and the bias (Cout) or nil, as one matrix product:
//
//	out (Cout, H*W) = WeightMatrix(w) (Cout, Cin*kh*kw) . Im2col(x) (Cin*kh*kw, H*W) + bias
//
// and returns it as (Cout, H, W). It equals convlstm.Conv2d on the batch
// of one image x.
func ConvByIm2col(x, w, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	const fn = "ConvByIm2col"
	if err := check(fn, "x", x, 3, "(Cin, H, W)"); err != nil {
		return nil, err
	}
	if err := check(fn, "w", w, 4, "(Cout, Cin, kh, kw)"); err != nil {
		return nil, err
	}
	if w.Shape[1] != x.Shape[0] {
		return nil, fmt.Errorf("nbfast: %s: w has shape %v, want %d input channels to match x %v", fn, w.Shape, x.Shape[0], x.Shape)
	}
	cout, h, wd := w.Shape[0], x.Shape[1], x.Shape[2]
	if bias != nil {
		if err := check(fn, "bias", bias, 1, "(Cout)"); err != nil {
			return nil, err
		}
		if bias.Shape[0] != cout {
			return nil, fmt.Errorf("nbfast: %s: bias has shape %v, want (%d): one value per output channel", fn, bias.Shape, cout)
		}
	}
	col, err := Im2col(x, w.Shape[2], w.Shape[3]) // (Cin*kh*kw, H*W)
	if err != nil {
		return nil, err
	}
	wm, err := WeightMatrix(w) // (Cout, Cin*kh*kw)
	if err != nil {
		return nil, err
	}
	out, err := MatMul(wm, col) // (Cout, H*W)
	if err != nil {
		return nil, err
	}
	if bias != nil {
		for o := 0; o < cout; o++ {
			row := out.Data[o*h*wd : (o+1)*h*wd]
			for i := range row {
				row[i] += bias.Data[o]
			}
		}
	}
	out.Shape = []int{cout, h, wd} // (Cout, H, W)
	return out, nil
}

// SplitWeight cuts the seed's conv weight w (4*hid, cin+hid, kh, kw) along
// its input-channel axis into the part that multiplies the input x,
// wx (4*hid, cin, kh, kw), and the part that multiplies the hidden state
// h, wh (4*hid, hid, kh, kw): W = [Wx | Wh].
func SplitWeight(w *convlstm.Tensor, cin int) (wx, wh *convlstm.Tensor, err error) {
	const fn = "SplitWeight"
	if err := check(fn, "w", w, 4, "(Cout, Cin, kh, kw)"); err != nil {
		return nil, nil, err
	}
	cout, ctot, kh, kw := w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]
	if cin <= 0 || cin >= ctot {
		return nil, nil, fmt.Errorf("nbfast: %s: cin = %d, want 0 < cin < %d (the weight's input channels, %v)", fn, cin, ctot, w.Shape)
	}
	khw := kh * kw
	wx = convlstm.Zeros(cout, cin, kh, kw)      // (4*hid, cin, kh, kw)
	wh = convlstm.Zeros(cout, ctot-cin, kh, kw) // (4*hid, hid, kh, kw)
	for o := 0; o < cout; o++ {
		src := w.Data[o*ctot*khw : (o+1)*ctot*khw]
		copy(wx.Data[o*cin*khw:(o+1)*cin*khw], src[:cin*khw])
		copy(wh.Data[o*(ctot-cin)*khw:(o+1)*(ctot-cin)*khw], src[cin*khw:])
	}
	return wx, wh, nil
}

// CatChannels is torch.cat([a, b], dim=1) of a (B, Ca, H, W) and
// b (B, Cb, H, W): the result is (B, Ca+Cb, H, W), a's channels first.
func CatChannels(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	const fn = "CatChannels"
	if err := check(fn, "a", a, 4, "(B, C, H, W)"); err != nil {
		return nil, err
	}
	if err := check(fn, "b", b, 4, "(B, C, H, W)"); err != nil {
		return nil, err
	}
	if a.Shape[0] != b.Shape[0] || a.Shape[2] != b.Shape[2] || a.Shape[3] != b.Shape[3] {
		return nil, fmt.Errorf("nbfast: %s: a is %v and b is %v, want the same B, H and W", fn, a.Shape, b.Shape)
	}
	bn, ca, cb, hw := a.Shape[0], a.Shape[1], b.Shape[1], a.Shape[2]*a.Shape[3]
	out := convlstm.Zeros(bn, ca+cb, a.Shape[2], a.Shape[3]) // (B, Ca+Cb, H, W)
	for i := 0; i < bn; i++ {
		dst := out.Data[i*(ca+cb)*hw:]
		copy(dst[:ca*hw], a.Data[i*ca*hw:(i+1)*ca*hw])
		copy(dst[ca*hw:(ca+cb)*hw], b.Data[i*cb*hw:(i+1)*cb*hw])
	}
	return out, nil
}

// checkSame checks that a and b are valid tensors of one shape.
func checkSame(fn string, a, b *convlstm.Tensor) error {
	if a == nil || b == nil {
		return fmt.Errorf("nbfast: %s: a nil tensor, want two tensors of one shape", fn)
	}
	if err := check(fn, "a", a, len(a.Shape), ""); err != nil {
		return err
	}
	if err := check(fn, "b", b, len(b.Shape), ""); err != nil {
		return err
	}
	if !convlstm.SameShape(a.Shape, b.Shape) {
		return fmt.Errorf("nbfast: %s: a has shape %v, b has shape %v, want equal shapes", fn, a.Shape, b.Shape)
	}
	return nil
}

// Add returns a + b elementwise; a and b must have one shape.
func Add(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := checkSame("Add", a, b); err != nil {
		return nil, err
	}
	out := a.Clone()
	for i, v := range b.Data {
		out.Data[i] += v
	}
	return out, nil
}

// MaxAbsDiff returns max |a - b| over all elements; a and b must have one
// shape.
func MaxAbsDiff(a, b *convlstm.Tensor) (float64, error) {
	if err := checkSame("MaxAbsDiff", a, b); err != nil {
		return 0, err
	}
	var m float64
	for i, v := range a.Data {
		m = math.Max(m, math.Abs(float64(v)-float64(b.Data[i])))
	}
	return m, nil
}

// TileMap draws how the fast path cuts the gate matrix of one frame,
// rows (4*hidden gate channels) by cols (H*W pixels), into micro-tiles of
// TileRows x TileCols. It returns a (rows', cols') tensor, the matrix
// rounded up to whole tiles, whose value is 1 or 2 in alternate tiles
// (a checkerboard) on real entries and 0 on the padding the micro-kernel
// computes into a scratch tile and throws away at the edges.
func TileMap(rows, cols int) (*convlstm.Tensor, error) {
	if rows <= 0 || cols <= 0 || rows*cols > 1<<22 {
		return nil, fmt.Errorf("nbfast: TileMap: %d x %d, want positive sizes of at most 4M entries", rows, cols)
	}
	pr := (rows + TileRows - 1) / TileRows * TileRows
	pc := (cols + TileCols - 1) / TileCols * TileCols
	t := convlstm.Zeros(pr, pc) // (rows rounded up to 8, cols rounded up to 48)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			t.Data[i*pc+j] = float32(1 + (i/TileRows+j/TileCols)%2)
		}
	}
	return t, nil
}
