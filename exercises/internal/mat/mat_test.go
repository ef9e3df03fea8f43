package mat

import "testing"

// The products exercise 07's TestMatMulBlocked tells apart.
func ijk(a, b, c *Matrix, _ int) {
	for i := 0; i < a.Rows(); i++ {
		for j := 0; j < b.Cols(); j++ {
			var s float32
			for p := 0; p < a.Cols(); p++ {
				s += a.At(i, p) * b.At(p, j)
			}
			c.Set(i, j, s)
		}
	}
}

func ikj(a, b, c *Matrix, _ int) {
	for i := 0; i < a.Rows(); i++ {
		for p := 0; p < a.Cols(); p++ {
			aip := a.At(i, p)
			for j := 0; j < b.Cols(); j++ {
				c.Set(i, j, c.At(i, j)+aip*b.At(p, j))
			}
		}
	}
}

func tiled(a, b, c *Matrix, bs int) {
	m, k, n := a.Rows(), a.Cols(), b.Cols()
	for i0 := 0; i0 < m; i0 += bs {
		for j0 := 0; j0 < n; j0 += bs {
			for p0 := 0; p0 < k; p0 += bs {
				for i := i0; i < min(i0+bs, m); i++ {
					for p := p0; p < min(p0+bs, k); p++ {
						aip := a.At(i, p)
						for j := j0; j < min(j0+bs, n); j++ {
							c.Set(i, j, c.At(i, j)+aip*b.At(p, j))
						}
					}
				}
			}
		}
	}
}

// TestRecordTellsBlocking replays the three loop orders through Record with
// the cache and the limit of exercise 07's TestMatMulBlocked: only the
// tiled one stays under it.
func TestRecordTellsBlocking(t *testing.T) {
	for _, s := range [][4]int{{64, 64, 64, 8}, {64, 64, 64, 16}, {40, 56, 48, 8}} {
		m, k, n, bs := s[0], s[1], s[2], s[3]
		limit := 2 * (2*m*n*k/(bs*Line) + m*n/Line)
		for _, c := range []struct {
			name   string
			f      func(a, b, c *Matrix, bs int)
			inside bool
		}{{"i-j-p", ijk, false}, {"i-p-j", ikj, false}, {"tiled", tiled, true}} {
			if c.name == "i-j-p" && s != [4]int{64, 64, 64, 8} {
				continue // far over the limit at 64x64x64, block 8; once is enough
			}
			a, b, out := New(m, k), New(k, n), New(m, n)
			st := Record(4*bs*bs, func() { c.f(a, b, out, bs) })
			t.Logf("%v %s: %d accesses, %d misses (limit %d)", s, c.name, st.Accesses, st.Misses, limit)
			if (st.Misses <= limit) != c.inside || st.Accesses < m*n*k {
				t.Errorf("%v %s: %d misses, limit %d, %d accesses", s, c.name, st.Misses, limit, st.Accesses)
			}
		}
	}
}
