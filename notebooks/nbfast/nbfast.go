package nbfast

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/notebooks/nbutil"
	"example.com/convlstm/viz/argcheck"
)

// Micro-tile of the fast path's matrix product (MR x NR in
// convlstm/internal/kernel/gemm.go): 8 rows (gate channels) by 48 columns
// (pixels).
const (
	TileRows = 8
	TileCols = 48
)

// check returns an error unless t is non-nil, has dims axes of positive
// size and holds exactly as many values as its shape says.
func check(fn, arg string, t *convlstm.Tensor, dims int, layout string) error {
	return argcheck.Tensor("nbfast: "+fn, arg, t, dims, layout)
}

// checkConv returns an error unless x (Cin, H, W), w (Cout, Cin, kh, kw)
// and bias (Cout), or nil, are valid and fit together.
func checkConv(fn string, x, w, bias *convlstm.Tensor) error {
	if err := check(fn, "x", x, 3, "(Cin, H, W)"); err != nil {
		return err
	}
	if err := check(fn, "w", w, 4, "(Cout, Cin, kh, kw)"); err != nil {
		return err
	}
	if w.Shape[1] != x.Shape[0] {
		return fmt.Errorf("nbfast: %s: w has shape %v, want %d input channels to match x %v", fn, w.Shape, x.Shape[0], x.Shape)
	}
	if bias == nil {
		return nil
	}
	if err := check(fn, "bias", bias, 1, "(Cout)"); err != nil {
		return err
	}
	if bias.Shape[0] != w.Shape[0] {
		return fmt.Errorf("nbfast: %s: bias has shape %v, want (%d): one value per output channel", fn, bias.Shape, w.Shape[0])
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
	if err := checkConv("ConvByIm2col", x, w, bias); err != nil {
		return nil, err
	}
	cout, h, wd := w.Shape[0], x.Shape[1], x.Shape[2]
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
// b (B, Cb, H, W): the result is (B, Ca+Cb, H, W), a's channels first. It
// is nbutil.Cat1, under the name this notebook uses.
func CatChannels(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	out, err := nbutil.Cat1(a, b)
	return out, wrap("CatChannels", err)
}

// Add returns a + b elementwise; a and b must have one shape. It is
// nbutil.Add.
func Add(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	out, err := nbutil.Add(a, b)
	return out, wrap("Add", err)
}

// MaxAbsDiff returns max |a - b| over all elements, computed in float64;
// a and b must have one shape. It is nbutil.MaxAbsDiff.
func MaxAbsDiff(a, b *convlstm.Tensor) (float64, error) {
	d, err := nbutil.MaxAbsDiff(a, b)
	return d, wrap("MaxAbsDiff", err)
}

// wrap prefixes the error of the nbutil helper that fn calls with
// "nbfast: fn: "; nil stays nil.
func wrap(fn string, err error) error {
	if err != nil {
		return fmt.Errorf("nbfast: %s: %w", fn, err)
	}
	return nil
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

// tapsLayout checks an odd kernel and returns the taps path's padded row
// width wp = W + kw/2 and the rows of a padded plane: kh/2 zero rows on
// top, the H image rows, kh/2 zero rows below, and the zero tail that the
// taps at the far right of the last row run into (kw-1 values: one more
// row, two for an image narrower than kw/2).
func tapsLayout(fn string, h, w, kh, kw int) (wp, rows int, err error) {
	if kh <= 0 || kw <= 0 || kh%2 == 0 || kw%2 == 0 {
		return 0, 0, fmt.Errorf("nbfast: %s: kernel %d x %d, want odd positive sizes (the padding kh/2, kw/2 then keeps H and W)", fn, kh, kw)
	}
	wp = w + kw/2
	tail := (kw - 1 + wp - 1) / wp // rows for the kw-1 values past the last row
	if tail < 1 {
		tail = 1
	}
	return wp, h + kh - 1 + tail, nil
}

// PaddedPlane returns one channel plane x (H, W) laid out as the taps path
// of the fast path stores it (convlstm/fast/taps.go), as a (H+kh, W+kw/2)
// grid whose rows, read one after the other, are the flat padded plane:
// every row is kw/2 zeros and then the W pixels, so the zeros at the start
// of a row are both its left padding and the right padding of the row
// above; kh/2 zero rows pad the top, and kh/2 zero rows and a zero tail
// row the bottom (two tail rows for an image narrower than kw/2).
//
// Output pixel (y, x) sits at flat position y*wp+x (wp = W+kw/2), and the
// value that kernel tap (dy, dx) multiplies for it, x[y+dy-kh/2,
// x+dx-kw/2] or a padding zero, at y*wp+x + TapOffset(W, kh, kw, dy, dx).
func PaddedPlane(x *convlstm.Tensor, kh, kw int) (*convlstm.Tensor, error) {
	const fn = "PaddedPlane"
	if err := check(fn, "x", x, 2, "(H, W)"); err != nil {
		return nil, err
	}
	h, w := x.Shape[0], x.Shape[1]
	wp, rows, err := tapsLayout(fn, h, w, kh, kw)
	if err != nil {
		return nil, err
	}
	out := convlstm.Zeros(rows, wp) // (H+kh, W+kw/2) for W >= kw/2
	for y := 0; y < h; y++ {
		copy(out.Data[(y+kh/2)*wp+kw/2:(y+kh/2)*wp+wp], x.Data[y*w:(y+1)*w])
	}
	return out, nil
}

// TapOffset is the fixed offset, in the flat padded plane of PaddedPlane
// for images W pixels wide, from an output pixel to the value kernel tap
// (dy, dx) of a kh x kw kernel reads for it: dy*(W+kw/2) + dx. It returns
// -1 for a tap outside the kernel.
func TapOffset(w, kh, kw, dy, dx int) int {
	if w <= 0 || dy < 0 || dy >= kh || dx < 0 || dx >= kw {
		return -1
	}
	return dy*(w+kw/2) + dx
}

// TapWindow returns PaddedPlane(x, kh, kw) with NaN everywhere except the
// values tap (dy, dx) reads: one contiguous stretch of H*wp values of the
// flat plane, from TapOffset on. Its k-th value is the one the tap
// multiplies for the padded output position k (pixel (k/wp, k%wp); the
// columns x >= W of the padded grid are computed and dropped).
func TapWindow(x *convlstm.Tensor, kh, kw, dy, dx int) (*convlstm.Tensor, error) {
	const fn = "TapWindow"
	p, err := PaddedPlane(x, kh, kw)
	if err != nil {
		return nil, err
	}
	h, w := x.Shape[0], x.Shape[1]
	off := TapOffset(w, kh, kw, dy, dx)
	if off < 0 {
		return nil, fmt.Errorf("nbfast: %s: tap (%d, %d), want 0 <= dy < %d and 0 <= dx < %d", fn, dy, dx, kh, kw)
	}
	nan := float32(math.NaN())
	end := off + h*p.Shape[1]
	for i := range p.Data {
		if i < off || i >= end {
			p.Data[i] = nan
		}
	}
	return p, nil
}

// ConvByTaps computes the seed's convolution of the image x (Cin, H, W)
// with the weight w (Cout, Cin, kh, kw) and the bias (Cout) or nil the way
// the taps path does, without im2col: each channel is laid out by
// PaddedPlane, and for every tap (dy, dx) the whole padded plane, read from
// TapOffset on, is multiplied by the weights of that tap and added in:
//
//	out[o, q] = bias[o] + sum_{dy,dx} sum_c w[o, c, dy, dx] . pad[c][q + TapOffset(dy, dx)]
//
// over the padded positions q = y*wp + x; the columns x >= W are dropped.
// It returns (Cout, H, W), equal to convlstm.Conv2d on the batch of one
// image x.
func ConvByTaps(x, w, bias *convlstm.Tensor) (*convlstm.Tensor, error) {
	const fn = "ConvByTaps"
	if err := checkConv(fn, x, w, bias); err != nil {
		return nil, err
	}
	cin, h, wd := x.Shape[0], x.Shape[1], x.Shape[2]
	cout, kh, kw := w.Shape[0], w.Shape[2], w.Shape[3]
	wp, _, err := tapsLayout(fn, h, wd, kh, kw)
	if err != nil {
		return nil, err
	}
	pads := make([][]float32, cin) // the padded planes, flat
	for c := 0; c < cin; c++ {
		plane, err := convlstm.FromSlice(x.Data[c*h*wd:(c+1)*h*wd], h, wd)
		if err != nil {
			return nil, err
		}
		p, err := PaddedPlane(plane, kh, kw)
		if err != nil {
			return nil, err
		}
		pads[c] = p.Data
	}
	nq := h * wp                    // padded output positions
	acc := make([]float64, cout*nq) // (Cout, H*wp)
	for dy := 0; dy < kh; dy++ {
		for dx := 0; dx < kw; dx++ {
			off := TapOffset(wd, kh, kw, dy, dx)
			for o := 0; o < cout; o++ {
				row := acc[o*nq : (o+1)*nq]
				for c := 0; c < cin; c++ {
					wv := float64(w.Data[((o*cin+c)*kh+dy)*kw+dx])
					src := pads[c][off : off+nq] // the tap's window: a fixed offset
					for q, v := range src {
						row[q] += wv * float64(v)
					}
				}
			}
		}
	}
	out := convlstm.Zeros(cout, h, wd) // (Cout, H, W)
	for o := 0; o < cout; o++ {
		b := 0.0
		if bias != nil {
			b = float64(bias.Data[o])
		}
		for y := 0; y < h; y++ {
			for xo := 0; xo < wd; xo++ {
				out.Data[(o*h+y)*wd+xo] = float32(b + acc[o*nq+y*wp+xo])
			}
		}
	}
	return out, nil
}
