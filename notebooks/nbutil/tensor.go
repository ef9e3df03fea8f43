package nbutil

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz/argcheck"
)

// check returns an error unless t is non-nil, has dims axes (any number
// when dims < 0) of positive size, and holds exactly as many values as its
// shape says.
func check(fn, arg string, t *convlstm.Tensor, dims int, layout string) error {
	return argcheck.Tensor("nbutil: "+fn, arg, t, dims, layout)
}

// checkSame returns an error unless a and b are valid and of one shape.
func checkSame(fn string, a, b *convlstm.Tensor) error {
	return checkPair(fn, a, b, -1, "", "", -1, "shapes")
}

// checkPair returns an error unless a and b are valid tensors of dims axes
// (any number when dims < 0; layouts la and lb) whose sizes agree on every
// axis but axis (none when axis < 0); agree names those axes.
func checkPair(fn string, a, b *convlstm.Tensor, dims int, la, lb string, axis int, agree string) error {
	if err := check(fn, "a", a, dims, la); err != nil {
		return err
	}
	if err := check(fn, "b", b, dims, lb); err != nil {
		return err
	}
	same := len(a.Shape) == len(b.Shape)
	for ax := 0; same && ax < len(a.Shape); ax++ {
		same = ax == axis || a.Shape[ax] == b.Shape[ax]
	}
	if !same {
		return fmt.Errorf("nbutil: %s: a has shape %v, b has shape %v, want equal %s", fn, a.Shape, b.Shape, agree)
	}
	return nil
}

// MovingSquare returns a batch-first video of shape (1, T, 1, H, W): a
// bright square (value 1) of side pixels on a dark frame (value 0). At
// t = 0 its top-left corner is at row y0, column x0; every step it moves by
// dy rows and dx columns. The parts of the square outside the frame are cut
// off, so it may enter or leave the picture.
func MovingSquare(T, H, W, side, y0, x0, dy, dx int) (*convlstm.Tensor, error) {
	if T <= 0 || H <= 0 || W <= 0 || side <= 0 {
		return nil, fmt.Errorf("nbutil: MovingSquare: T, H, W and side must be positive, got T=%d H=%d W=%d side=%d", T, H, W, side)
	}
	x, err := convlstm.NewTensor(1, T, 1, H, W) // (B, T, C, H, W)
	if err != nil {
		return nil, fmt.Errorf("nbutil: MovingSquare: %w", err)
	}
	for t := 0; t < T; t++ {
		top, left := y0+t*dy, x0+t*dx
		frame := x.Data[t*H*W : (t+1)*H*W]
		for y := max(top, 0); y < min(top+side, H); y++ {
			for c := max(left, 0); c < min(left+side, W); c++ {
				frame[y*W+c] = 1
			}
		}
	}
	return x, nil
}

// Cat1 mirrors torch.cat([a, b], dim=1) for a (B, Ca, H, W) and
// b (B, Cb, H, W): the result is (B, Ca+Cb, H, W) and, per batch item, the
// channels of a come first. This is the seed's
// combined = torch.cat([input_tensor, h_cur], dim=1).
func Cat1(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := checkPair("Cat1", a, b, 4, "(B, Ca, H, W)", "(B, Cb, H, W)", 1, "B, H and W"); err != nil {
		return nil, err
	}
	return convlstm.Cat1(a, b) // (B, Ca+Cb, H, W)
}

// Split1 mirrors torch.split(x, size, dim=1) for x (B, k*size, H, W): it
// returns k tensors (B, size, H, W) holding channels [0, size),
// [size, 2*size), ... This is the seed's
// cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, hidden_dim, dim=1).
// The channel count must be a multiple of size.
func Split1(x *convlstm.Tensor, size int) ([]*convlstm.Tensor, error) {
	const fn = "Split1"
	if err := check(fn, "x", x, 4, "(B, C, H, W)"); err != nil {
		return nil, err
	}
	if c := x.Shape[1]; size <= 0 || c%size != 0 {
		return nil, fmt.Errorf("nbutil: %s: size %d does not divide the %d channels of x %v", fn, size, c, x.Shape)
	}
	return convlstm.Split1(x, size) // (B, size, H, W) each
}

// Pad2d returns x (B, C, H, W) with ph rows of zeros above and below and pw
// columns of zeros left and right: (B, C, H+2*ph, W+2*pw). It is the
// padding nn.Conv2d(padding=(ph, pw)) applies before it slides the kernel.
func Pad2d(x *convlstm.Tensor, ph, pw int) (*convlstm.Tensor, error) {
	const fn = "Pad2d"
	if err := check(fn, "x", x, 4, "(B, C, H, W)"); err != nil {
		return nil, err
	}
	if ph < 0 || pw < 0 {
		return nil, fmt.Errorf("nbutil: %s: padding (%d, %d) must not be negative", fn, ph, pw)
	}
	n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	oh, ow := h+2*ph, w+2*pw
	out := convlstm.Zeros(n, c, oh, ow) // (B, C, H+2ph, W+2pw)
	for p := 0; p < n*c; p++ {
		for y := 0; y < h; y++ {
			copy(out.Data[(p*oh+y+ph)*ow+pw:], x.Data[(p*h+y)*w:(p*h+y+1)*w])
		}
	}
	return out, nil
}

// Frame mirrors x[:, t, :, :, :] for a batch-first sequence x of shape
// (B, T, C, H, W): the (B, C, H, W) frames at time t, copied.
func Frame(x *convlstm.Tensor, t int) (*convlstm.Tensor, error) {
	if err := check("Frame", "x", x, 5, "(B, T, C, H, W)"); err != nil {
		return nil, err
	}
	if t < 0 || t >= x.Shape[1] {
		return nil, fmt.Errorf("nbutil: Frame: t = %d is out of range for x %v with T = %d", t, x.Shape, x.Shape[1])
	}
	out, err := TimeRange(x, t, t+1)
	if err != nil {
		return nil, err
	}
	out.Shape = []int{x.Shape[0], x.Shape[2], x.Shape[3], x.Shape[4]}
	return out, nil
}

// TimeRange mirrors x[:, t0:t1] for a batch-first sequence x of shape
// (B, T, C, H, W): the result is (B, t1-t0, C, H, W), copied. It needs
// 0 <= t0 < t1 <= T.
func TimeRange(x *convlstm.Tensor, t0, t1 int) (*convlstm.Tensor, error) {
	if err := check("TimeRange", "x", x, 5, "(B, T, C, H, W)"); err != nil {
		return nil, err
	}
	b, T := x.Shape[0], x.Shape[1]
	if t0 < 0 || t1 > T || t0 >= t1 {
		return nil, fmt.Errorf("nbutil: TimeRange: [%d, %d) is not a non-empty range of the T = %d steps of x %v", t0, t1, T, x.Shape)
	}
	inner := x.Shape[2] * x.Shape[3] * x.Shape[4]
	n := t1 - t0
	out := convlstm.Zeros(b, n, x.Shape[2], x.Shape[3], x.Shape[4]) // (B, t1-t0, C, H, W)
	for i := 0; i < b; i++ {
		copy(out.Data[i*n*inner:(i+1)*n*inner], x.Data[(i*T+t0)*inner:(i*T+t1)*inner])
	}
	return out, nil
}

// CatTime mirrors torch.cat([a, b], dim=1) for two batch-first sequences
// a (B, T1, C, H, W) and b (B, T2, C, H, W): the result is
// (B, T1+T2, C, H, W), the steps of a followed by those of b.
func CatTime(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := checkPair("CatTime", a, b, 5, "(B, T1, C, H, W)", "(B, T2, C, H, W)", 1, "B, C, H and W"); err != nil {
		return nil, err
	}
	n, t1, t2 := a.Shape[0], a.Shape[1], b.Shape[1]
	inner := a.Shape[2] * a.Shape[3] * a.Shape[4]
	out := convlstm.Zeros(n, t1+t2, a.Shape[2], a.Shape[3], a.Shape[4]) // (B, T1+T2, C, H, W)
	for i := 0; i < n; i++ {
		dst := out.Data[i*(t1+t2)*inner:]
		copy(dst, a.Data[i*t1*inner:(i+1)*t1*inner])
		copy(dst[t1*inner:], b.Data[i*t2*inner:(i+1)*t2*inner])
	}
	return out, nil
}

// Permute10 mirrors x.permute(1, 0, 2, 3, 4) on a 5-D tensor, copied into
// contiguous memory: (T, B, C, H, W) becomes (B, T, C, H, W) and back.
func Permute10(x *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := check("Permute10", "x", x, 5, "(T, B, C, H, W)"); err != nil {
		return nil, err
	}
	return convlstm.Permute10(x)
}

// elementwise applies op to a and b of equal shapes, into a new tensor.
func elementwise(fn string, a, b *convlstm.Tensor, op func(x, y float32) float32) (*convlstm.Tensor, error) {
	if err := checkSame(fn, a, b); err != nil {
		return nil, err
	}
	out := convlstm.Zeros(a.Shape...)
	for k := range out.Data {
		out.Data[k] = op(a.Data[k], b.Data[k])
	}
	return out, nil
}

// Mul returns the elementwise (Hadamard) product a*b of two tensors of one
// shape, as a new tensor: the "f * c_cur" of the seed.
func Mul(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	return elementwise("Mul", a, b, func(x, y float32) float32 { return x * y })
}

// Add returns the elementwise sum a+b of two tensors of one shape, as a new
// tensor.
func Add(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	return elementwise("Add", a, b, func(x, y float32) float32 { return x + y })
}

// Diff returns the elementwise difference a-b of two tensors of one shape,
// as a new tensor (for plotting where two results disagree).
func Diff(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	return elementwise("Diff", a, b, func(x, y float32) float32 { return x - y })
}

// MaxAbsDiff returns max |a - b| over all elements of two tensors of one
// shape, computed in float64. Zero means bit-for-bit equal values.
func MaxAbsDiff(a, b *convlstm.Tensor) (float64, error) {
	if err := checkSame("MaxAbsDiff", a, b); err != nil {
		return 0, err
	}
	m := 0.0
	for k := range a.Data {
		m = math.Max(m, math.Abs(float64(a.Data[k])-float64(b.Data[k])))
	}
	return m, nil
}

// Scale multiplies every value of t by s, in place. A nil t is ignored, so
// that Scale(cell.Conv.Bias, s) works for a cell without bias.
func Scale(t *convlstm.Tensor, s float32) {
	if t == nil {
		return
	}
	for k := range t.Data {
		t.Data[k] *= s
	}
}

// Summary returns one line describing t: its name, shape, and the minimum,
// mean and maximum of its values, e.g.
//
//	i               [1 4 16 16]  min 0.1203  mean 0.5012  max 0.9311
func Summary(name string, t *convlstm.Tensor) string {
	if err := check("Summary", "t", t, -1, ""); err != nil {
		return fmt.Sprintf("%-15s %v", name, err)
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range t.Data {
		f := float64(v)
		lo, hi, sum = math.Min(lo, f), math.Max(hi, f), sum+f
	}
	return fmt.Sprintf("%-15s %-16v min %8.4f  mean %8.4f  max %8.4f", name, fmt.Sprint(t.Shape), lo, sum/float64(len(t.Data)), hi)
}

// Stack1 mirrors torch.stack(xs, dim=1) for T tensors (B, C, H, W) of one
// shape: the result is (B, T, C, H, W) with xs[t] at [:, t]. This is the
// seed's layer_output = torch.stack(output_inner, dim=1).
func Stack1(xs []*convlstm.Tensor) (*convlstm.Tensor, error) {
	const fn = "Stack1"
	if len(xs) == 0 {
		return nil, fmt.Errorf("nbutil: %s: xs is empty, want at least one (B, C, H, W) tensor", fn)
	}
	for t, x := range xs {
		if err := check(fn, fmt.Sprintf("xs[%d]", t), x, 4, "(B, C, H, W)"); err != nil {
			return nil, err
		}
		if !convlstm.SameShape(x.Shape, xs[0].Shape) {
			return nil, fmt.Errorf("nbutil: %s: xs[%d] has shape %v, want %v like xs[0]", fn, t, x.Shape, xs[0].Shape)
		}
	}
	return convlstm.Stack1(xs) // (B, T, C, H, W)
}

// Cat0 mirrors torch.cat([a, b], dim=0): two tensors whose shapes agree
// on every axis but the first are put one after the other, e.g. two
// batches (B1, ...) and (B2, ...) into one (B1+B2, ...).
func Cat0(a, b *convlstm.Tensor) (*convlstm.Tensor, error) {
	if err := checkPair("Cat0", a, b, -1, "", "", 0, "shapes after axis 0"); err != nil {
		return nil, err
	}
	shape := append([]int{a.Shape[0] + b.Shape[0]}, a.Shape[1:]...)
	data := make([]float32, 0, len(a.Data)+len(b.Data))
	data = append(append(data, a.Data...), b.Data...)
	return &convlstm.Tensor{Shape: shape, Data: data}, nil
}
