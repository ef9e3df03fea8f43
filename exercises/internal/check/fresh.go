package check

import (
	"fmt"
	"testing"
	"unsafe"

	"example.com/convlstm/convlstm"
)

// Named is a tensor with the name a failure message gives it.
type Named struct {
	Name string
	T    *convlstm.Tensor
}

// N names a tensor for Fresh.
func N(name string, t *convlstm.Tensor) Named { return Named{name, t} }

// span returns the address range [lo, hi) of the values of s, or ok false
// when it has none.
func span(s []float32) (lo, hi uintptr, ok bool) {
	if len(s) == 0 {
		return 0, 0, false
	}
	lo = uintptr(unsafe.Pointer(&s[0]))
	return lo, lo + uintptr(len(s))*unsafe.Sizeof(s[0]), true
}

// SharesFloats reports whether the values of a and b overlap in memory.
func SharesFloats(a, b []float32) bool {
	alo, ahi, ok1 := span(a)
	blo, bhi, ok2 := span(b)
	return ok1 && ok2 && alo < bhi && blo < ahi
}

// Shares reports whether the values of a and b overlap in memory (a view
// into the other, or the same slice twice).
func Shares(a, b *convlstm.Tensor) bool {
	return a != nil && b != nil && SharesFloats(a.Data, b.Data)
}

// Fresh fails the test when a result of fn shares memory with one of its
// arguments or with another result: where a README asks for new tensors,
// a view (a slice of the argument's Data, or the argument itself) would
// change when the caller later writes into the argument, or the other way
// round.
func (e Exercise) Fresh(t testing.TB, fn string, results, args []Named, hint int) {
	t.Helper()
	for i, r := range results {
		for _, a := range args {
			if Shares(r.T, a.T) {
				t.Fatalf("%s: the result %s shares memory with the argument %s (its Data is a slice of the argument's): "+
					"the README asks for new tensors; allocate one (convlstm.Zeros) and copy the values into it\n    hint: %s",
					fn, r.Name, a.Name, e.Hint(hint))
			}
		}
		for _, o := range results[i+1:] {
			if Shares(r.T, o.T) {
				t.Fatalf("%s: the results %s and %s share memory: the README asks for new tensors, one allocation each\n    hint: %s",
					fn, r.Name, o.Name, e.Hint(hint))
			}
		}
	}
}

// String is for messages.
func (n Named) String() string { return fmt.Sprintf("%s %v", n.Name, n.T.Shape) }
