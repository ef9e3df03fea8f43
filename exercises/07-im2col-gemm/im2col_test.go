package im2col

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
	"example.com/convlstm/exercises/internal/mat"
)

const ex = check.Exercise("07-im2col-gemm")

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
// they are wrong here (Hints 1 and 2; Conv2d must use them, see
// TestConv2dUsesMatMul), else on the assembly (Hint 3).
func convHint(x, w *convlstm.Tensor) check.Diagnose {
	return func([]int) (int, string) {
		kh, kw := w.Shape[2], w.Shape[3]
		cols := refIm2col(x, kh, kw)
		if got, err := Im2col(x, kh, kw); err == nil && !check.Close(got, cols, check.Exact) {
			return 1, fmt.Sprintf("your Im2col unrolls this x %v wrong for a %dx%d kernel: fix Im2col first", x.Shape, kh, kw)
		}
		m, k, n := w.Shape[0], cols.Shape[1], cols.Shape[2]
		b := cols.Data[:k*n]
		for _, block := range []int{1, 7, 32} {
			got, err := MatMul(mat.Wrap(m, k, w.Data), mat.Wrap(k, n, b), block)
			if err == nil && (got == nil || !check.Close(&convlstm.Tensor{Shape: []int{m, n}, Data: got.Data()}, &convlstm.Tensor{Shape: []int{m, n}, Data: naiveMatMul(w.Data, b, m, k, n)}, check.Float32Sum)) {
				return 2, fmt.Sprintf("your MatMul gets the %dx%d times %dx%d product of this case wrong (block %d): fix MatMul first", m, k, k, n, block)
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
			got, err := MatMul(mat.Wrap(m, k, a), mat.Wrap(k, n, b), block)
			ex.NoError(t, "MatMul", err, 2)
			if got == nil {
				t.Fatalf("MatMul(m=%d, k=%d, n=%d, block=%d) returned nil\n    hint: %s", m, k, n, block, ex.Hint(2))
			}
			if check.SharesFloats(got.Data(), a) || check.SharesFloats(got.Data(), b) {
				t.Fatalf("MatMul(m=%d, k=%d, n=%d, block=%d): the result shares memory with a or b: return a new matrix (mat.New(m, n))\n    hint: %s",
					m, k, n, block, ex.Hint(2))
			}
			ex.Int(t, fmt.Sprintf("MatMul(m=%d, k=%d, n=%d, block=%d): rows of the result", m, k, n, block), got.Rows(), m, 2)
			ex.Int(t, fmt.Sprintf("MatMul(m=%d, k=%d, n=%d, block=%d): columns of the result", m, k, n, block), got.Cols(), n, 2)
			ex.Floats(t, fmt.Sprintf("MatMul(m=%d, k=%d, n=%d, block=%d), index [i j]", m, k, n, block), []int{m, n}, got.Data(), want, check.Float32Sum, 2)
		}
	}
}

func TestMatMulRejectsBadArguments(t *testing.T) {
	a, b := mat.New(2, 3), mat.New(3, 4)
	cases := []struct {
		name string
		a, b *mat.Matrix
		blck int
	}{
		{"a 2x3 and b 2x3 (a.Cols() != b.Rows())", a, a, 4},
		{"block 0", a, b, 0},
		{"a nil", nil, b, 4},
		{"an empty a", mat.New(0, 3), b, 4},
	}
	for _, c := range cases {
		_, err := MatMul(c.a, c.b, c.blck)
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
		x, w, bias, want := check.ConvCase(t, rng, s.b, s.cin, s.h, s.w, s.cout, s.kh, s.kw, s.bias)
		got, err := Conv2d(x, w, bias)
		ex.NoError(t, "Conv2d", err, 3)
		ex.TensorDiag(t, fmt.Sprintf("Conv2d(x %v, weight %v, bias %v) vs convlstm.Conv2d", x.Shape, w.Shape, s.bias), got, want, check.Float32Sum, 3, convHint(x, w))
	}
}

// TestMatMulBlocked checks the blocking by what MatMul does: it replays
// MatMul's reads and writes of A, B and C through a simulated cache (fully
// associative, least recently used, lines of mat.Line values) that holds
// four block×block tiles. A tiled product loads each tile of A and B about
// once per tile product, about 2*m*n*k/(block*Line) misses in all; a
// product that walks whole rows or columns of B (i-j-p or i-p-j loops)
// misses on nearly every line of B for every row of A, m*k*n/Line or more.
// The check allows twice the tiled count (plus C once). It also wants at
// least one read per multiply-add, so that A and B are not copied out
// first and multiplied out of sight.
func TestMatMulBlocked(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for _, s := range [][4]int{{64, 64, 64, 8}, {64, 64, 64, 16}, {40, 56, 48, 8}} {
		m, k, n, block := s[0], s[1], s[2], s[3]
		a, b := mat.Wrap(m, k, randSlice(rng, m*k)), mat.Wrap(k, n, randSlice(rng, k*n))
		var err error
		st := mat.Record(4*block*block, func() { _, err = MatMul(a, b, block) })
		ex.NoError(t, "MatMul", err, 2)
		what := fmt.Sprintf("MatMul(m=%d, k=%d, n=%d, block=%d)", m, k, n, block)
		if st.Accesses < m*n*k {
			t.Fatalf("%s read A, B and C %d times through At and Set, fewer than its %d multiply-adds: read a and b with At inside the tile loops, without copying them out first\n    hint: %s",
				what, st.Accesses, m*n*k, ex.Hint(2))
		}
		limit := 2 * (2*m*n*k/(block*mat.Line) + m*n/mat.Line)
		if st.Misses > limit {
			t.Fatalf("%s is not blocked: in a cache that holds four %dx%d tiles its reads and writes missed %d times, want at most %d (a tiled product misses about %d times; a loop over whole rows or columns about %d or more): loop over tiles of block (i0, j0, p0), then inside one tile\n    hint: %s",
				what, block, block, st.Misses, limit, 2*m*n*k/(block*mat.Line), m*n*k/mat.Line, ex.Hint(2))
		}
	}
}

// TestConv2dUsesMatMul counts the matrix reads and writes during Conv2d: a
// Conv2d built on MatMul makes at least one per multiply-add of the
// product, a Conv2d written as direct loops (or one that only mentions
// MatMul) makes none.
func TestConv2dUsesMatMul(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	x, w, bias := check.Rand(rng, 2, 3, 6, 5), check.Rand(rng, 16, 3, 3, 3), check.Rand(rng, 16)
	var err error
	st := mat.Record(1<<20, func() { _, err = Conv2d(x, w, bias) })
	ex.NoError(t, "Conv2d", err, 3)
	madds := 2 * 16 * 27 * 30
	if st.Accesses == 0 {
		t.Fatalf("Conv2d(x %v, weight %v) never reads a matrix: build it on your Im2col and MatMul (mat.Wrap views weight and cols as matrices), not on loops of its own\n    hint: %s",
			x.Shape, w.Shape, ex.Hint(3))
	}
	if st.Accesses < madds {
		t.Fatalf("Conv2d(x %v, weight %v) read or wrote matrices %d times, fewer than the %d multiply-adds of its products: your MatMul must read a and b with At inside its loops (TestMatMulBlocked)\n    hint: %s",
			x.Shape, w.Shape, st.Accesses, madds, ex.Hint(2))
	}
}

// BenchmarkMatMul shows what the block size does:
// go test -tags solution -bench MatMul ./exercises/07-im2col-gemm
func BenchmarkMatMul(b *testing.B) {
	const size = 256
	rng := rand.New(rand.NewSource(1))
	x, y := mat.Wrap(size, size, randSlice(rng, size*size)), mat.Wrap(size, size, randSlice(rng, size*size))
	for _, block := range []int{size, 128, 64, 32, 16} {
		b.Run(fmt.Sprintf("n=%d/block=%d", size, block), func(b *testing.B) {
			for b.Loop() {
				if _, err := MatMul(x, y, block); errors.Is(err, check.ErrNotImplemented) {
					b.Skip("MatMul not started")
				}
			}
			b.ReportMetric(2*size*size*size*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
