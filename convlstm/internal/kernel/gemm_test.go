package kernel

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// naiveGemm is the triple loop Sgemm must match: C = alpha*op(A)*op(B) + beta*C.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			cv := float64(beta) * float64(c[i*ldc+j])
			if beta == 0 {
				cv = 0
			}
			c[i*ldc+j] = float32(float64(alpha)*s + cv)
		}
	}
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// withKernel runs f once with the micro-kernel of each kernel Level the
// CPU and build support.
func withKernel(t *testing.T, f func(t *testing.T)) { forEachLevel(t, f) }

func TestSgemm(t *testing.T) {
	withKernel(t, func(t *testing.T) {
		r := rand.New(rand.NewSource(1))
		sizes := [][3]int{{1, 1, 1}, {3, 5, 7}, {8, 48, 1}, {9, 49, 300}, {17, 100, 33}, {64, 96, 257}, {130, 20, 70}, {200, 500, 40}, {5, 1000, 260}}
		for _, s := range sizes {
			m, n, k := s[0], s[1], s[2]
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}, {0, 2}} {
						name := fmt.Sprintf("%dx%dx%d/tA=%v/tB=%v/alpha=%g/beta=%g", m, n, k, tA, tB, ab[0], ab[1])
						lda, ldb, ldc := k+3, n+1, n+2
						if tA {
							lda = m + 1
						}
						if tB {
							ldb = k + 2
						}
						rowsA, rowsB := m, k
						if tA {
							rowsA = k
						}
						if tB {
							rowsB = n
						}
						a := randSlice(r, rowsA*lda)
						b := randSlice(r, rowsB*ldb)
						c := randSlice(r, m*ldc)
						if ab[1] == 0 {
							for i := range c {
								c[i] = float32(math.NaN()) // beta == 0 must not read C
							}
						}
						want := append([]float32(nil), c...)
						naiveGemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], want, ldc)
						Sgemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], c, ldc)
						for i := 0; i < m; i++ {
							for j := 0; j < ldc; j++ {
								g, w := c[i*ldc+j], want[i*ldc+j]
								if j >= n {
									if !(math.IsNaN(float64(g)) && math.IsNaN(float64(w))) && g != w {
										t.Fatalf("%s: wrote outside C at (%d, %d)", name, i, j)
									}
									continue
								}
								if d := math.Abs(float64(g - w)); d > 1e-5*float64(k+1) || math.IsNaN(float64(g)) {
									t.Fatalf("%s: C[%d,%d] = %g, want %g", name, i, j, g, w)
								}
							}
						}
					}
				}
			}
		}
	})
}

// BenchmarkSgemm/<level>/<m>x<n>x<k> is Sgemm at each kernel level.
func BenchmarkSgemm(b *testing.B) {
	for _, l := range Levels() {
		b.Run(l.String(), func(b *testing.B) {
			defer Use(l)()
			for _, s := range [][3]int{{256, 1024, 1600}, {64, 4096, 576}, {512, 512, 512}} {
				m, n, k := s[0], s[1], s[2]
				r := rand.New(rand.NewSource(1))
				a, bb, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
				b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
					for b.Loop() {
						Sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
					}
					b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		})
	}
}
