package im2col

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("07-im2col-gemm")

// im2col, the product and the conv on top of them are the exercise: no
// library conv, fast path or BLAS.
func init() {
	others := []string{"fast.*", "bptt.*", "gonum.*"}
	ex.Forbid("Im2col", 1, append([]string{"convlstm.Conv2d"}, others...)...)
	ex.Forbid("MatMul", 2, others...)
	ex.Forbid("Conv2d", 3, append([]string{"convlstm.Conv2d", "convlstm.ConvLayer.Forward", "convlstm.Cell.Forward", "convlstm.Cell.ForwardGates"}, others...)...)
}

// refIm2col is the definition of cols, element by element.
func refIm2col(x *convlstm.Tensor, kh, kw int) *convlstm.Tensor {
	b, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	ph, pw := kh/2, kw/2
	oh, ow := h+2*ph-kh+1, w+2*pw-kw+1
	want := convlstm.Zeros(b, c*kh*kw, oh*ow)
	for k := range want.Data {
		i := check.Unravel(k, want.Shape)
		n, r, p := i[0], i[1], i[2]
		ch, dy, dx := r/(kh*kw), (r/kw)%kh, r%kw
		iy, ix := p/ow+dy-ph, p%ow+dx-pw
		if iy >= 0 && iy < h && ix >= 0 && ix < w {
			want.Data[k] = x.At(n, ch, iy, ix)
		}
	}
	return want
}

// convHint blames a wrong Conv2d on the student's Im2col or MatMul when
// Conv2d uses them and they are wrong here (Hints 1 and 2), else on the
// assembly (Hint 3).
func convHint(x, w *convlstm.Tensor) check.Diagnose {
	return func([]int) (int, string) {
		kh, kw := w.Shape[2], w.Shape[3]
		cols := refIm2col(x, kh, kw)
		if check.Reaches("Conv2d", "Im2col") {
			if got, err := Im2col(x, kh, kw); err != nil || !check.Close(got, cols, check.Exact) {
				return 1, fmt.Sprintf("your Conv2d calls your Im2col, which unrolls this x %v wrong for a %dx%d kernel: fix Im2col first", x.Shape, kh, kw)
			}
		}
		if check.Reaches("Conv2d", "MatMul") {
			m, k, n := w.Shape[0], cols.Shape[1], cols.Shape[2]
			b := cols.Data[:k*n]
			for _, block := range []int{1, 7, 32} {
				got, err := MatMul(w.Data, b, m, k, n, block)
				if err != nil || !check.Close(&convlstm.Tensor{Shape: []int{m, n}, Data: got}, &convlstm.Tensor{Shape: []int{m, n}, Data: naiveMatMul(w.Data, b, m, k, n)}, check.Float32Sum) {
					return 2, fmt.Sprintf("your Conv2d calls your MatMul, which gets the %dx%d times %dx%d product of this case wrong (block %d): fix MatMul first", m, k, k, n, block)
				}
			}
		}
		return 3, ""
	}
}

// TestIm2colLayout checks every element of cols against its definition,
// with labelled input values (value = flat index + 1, so padding zeros stand
// out).
func TestIm2colLayout(t *testing.T) {
	for _, s := range []struct{ b, c, h, w, kh, kw int }{
		{1, 1, 3, 3, 3, 3}, {2, 3, 4, 5, 3, 5}, {1, 2, 6, 4, 5, 3}, {2, 2, 3, 7, 1, 1}, {1, 1, 1, 6, 3, 3}, {1, 2, 4, 4, 2, 2},
	} {
		x := convlstm.Zeros(s.b, s.c, s.h, s.w)
		for k := range x.Data {
			x.Data[k] = float32(k + 1)
		}
		got, err := Im2col(x, s.kh, s.kw)
		ex.NoError(t, "Im2col", err, 1)
		ex.NotNil(t, "Im2col", []*convlstm.Tensor{got}, 1)
		ex.Fresh(t, "Im2col", []check.Named{check.N("cols", got)}, []check.Named{check.N("x", x)}, 1)
		want := refIm2col(x, s.kh, s.kw)
		ex.Tensor(t, fmt.Sprintf("Im2col(x %v holding 1,2,3,..., kernel %dx%d); index is [b, (c*kh+dy)*kw+dx, y*OW+x]", x.Shape, s.kh, s.kw),
			got, want, check.Exact, 1)
	}
	_, err := Im2col(convlstm.Zeros(2, 3, 4), 3, 3)
	ex.Started(t, "Im2col", err)
	if err == nil {
		t.Fatalf("Im2col of a 3-D tensor: want an error, got nil\n    hint: %s", ex.Hint(1))
	}
}

// naiveMatMul is the triple loop, accumulated in float64.
func naiveMatMul(a, b []float32, m, k, n int) []float32 {
	c := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var acc float64
			for p := 0; p < k; p++ {
				acc += float64(a[i*k+p]) * float64(b[p*n+j])
			}
			c[i*n+j] = float32(acc)
		}
	}
	return c
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(2*rng.Float64() - 1)
	}
	return s
}

// TestMatMul uses sizes that blocks do and do not divide, and blocks of 1,
// smaller than, equal to and larger than the matrices.
func TestMatMul(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for _, s := range [][3]int{{1, 1, 1}, {2, 3, 4}, {5, 7, 3}, {16, 16, 16}, {33, 17, 65}, {8, 100, 9}, {64, 64, 64}} {
		m, k, n := s[0], s[1], s[2]
		a, b := randSlice(rng, m*k), randSlice(rng, k*n)
		want := naiveMatMul(a, b, m, k, n)
		for _, block := range []int{1, 3, 4, 16, 100} {
			if block == 1 && m*k*n > 20000 {
				continue
			}
			got, err := MatMul(a, b, m, k, n, block)
			ex.NoError(t, "MatMul", err, 2)
			if check.SharesFloats(got, a) || check.SharesFloats(got, b) {
				t.Fatalf("MatMul(m=%d, k=%d, n=%d, block=%d): the result shares memory with a or b: return a new slice (make([]float32, m*n))\n    hint: %s",
					m, k, n, block, ex.Hint(2))
			}
			ex.Floats(t, fmt.Sprintf("MatMul(m=%d, k=%d, n=%d, block=%d), index [i j]", m, k, n, block), []int{m, n}, got, want, check.Float32Sum, 2)
		}
	}
}

func TestMatMulRejectsBadArguments(t *testing.T) {
	a, b := make([]float32, 6), make([]float32, 12)
	cases := []struct {
		name          string
		a, b          []float32
		m, k, n, blck int
	}{
		{"len(a) != m*k", a, b, 3, 3, 4, 4},
		{"len(b) != k*n", a, b, 2, 3, 5, 4},
		{"block 0", a, b, 2, 3, 4, 0},
		{"m 0", nil, b, 0, 3, 4, 4},
	}
	for _, c := range cases {
		_, err := MatMul(c.a, c.b, c.m, c.k, c.n, c.blck)
		ex.Started(t, "MatMul", err)
		if err == nil {
			t.Fatalf("MatMul with %s: want an error, got nil\n    hint: %s", c.name, ex.Hint(2))
		}
	}
}

// TestConv2dMatchesNaive compares with the project's naive convolution on
// random data.
func TestConv2dMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for _, s := range []struct {
		b, cin, h, w, cout, kh, kw int
		bias                       bool
	}{
		{2, 3, 6, 5, 16, 3, 3, true},
		{1, 7, 5, 8, 12, 3, 5, true},
		{2, 6, 7, 5, 12, 5, 3, false},
		{2, 9, 5, 7, 20, 1, 1, true},
		{1, 4, 1, 9, 8, 3, 3, true},
		{1, 24, 16, 12, 32, 5, 5, true},
	} {
		x := check.Rand(rng, s.b, s.cin, s.h, s.w)
		w := check.Rand(rng, s.cout, s.cin, s.kh, s.kw)
		var bias *convlstm.Tensor
		if s.bias {
			bias = check.Rand(rng, s.cout)
		}
		want, err := convlstm.Conv2d(x, w, bias)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Conv2d(x, w, bias)
		ex.NoError(t, "Conv2d", err, 3)
		ex.Builds(t, "Conv2d", 3, "Im2col", "MatMul")
		ex.TensorDiag(t, fmt.Sprintf("Conv2d(x %v, weight %v, bias %v) vs convlstm.Conv2d", x.Shape, w.Shape, s.bias), got, want, check.Float32Sum, 3, convHint(x, w))
	}
}

// BenchmarkMatMul shows what the block size does:
// go test -tags solution -bench MatMul ./exercises/07-im2col-gemm
func BenchmarkMatMul(b *testing.B) {
	const size = 256
	rng := rand.New(rand.NewSource(1))
	x, y := randSlice(rng, size*size), randSlice(rng, size*size)
	for _, block := range []int{size, 128, 64, 32, 16} {
		b.Run(fmt.Sprintf("n=%d/block=%d", size, block), func(b *testing.B) {
			for b.Loop() {
				if _, err := MatMul(x, y, size, size, size, block); errors.Is(err, check.ErrNotImplemented) {
					b.Skip("MatMul not started")
				}
			}
			b.ReportMetric(2*size*size*size*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
