package par

import (
	"strings"
	"sync/atomic"
	"testing"
)

// TestRun: every index of [0, n) is run exactly once, for n below, at and
// above the number of workers, and a panic in any part reaches the caller.
func TestRun(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 100} {
		counts := make([]atomic.Int32, n)
		Run(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				counts[i].Add(1)
			}
		})
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Errorf("n = %d: index %d ran %d times, want 1", n, i, c)
			}
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "boom") {
			t.Errorf("recover() = %v, want the part's panic", r)
		}
	}()
	Run(8, func(lo, hi int) {
		if hi == 8 {
			panic("boom")
		}
	})
}
