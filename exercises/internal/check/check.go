// Package check holds what every exercise test shares: the ErrNotImplemented
// sentinel the stubs return, the skip-or-fail rule for an exercise that is not
// started yet, elementwise comparisons that say which element differs, and a
// loader for the PyTorch golden data.
//
// A test calls the student's function, then hands the error to Started (or
// NoError). While the stub still returns ErrNotImplemented, the test is
// skipped in an ordinary `go test ./...`, so the repository stays green with
// the stubs in place; with CONVLSTM_STRICT=1 (what `make exercises` and
// `make exercise N=..` set) it fails instead, with a message that starts
// with NotStartedMarker so that the progress table can tell "not started"
// from "failing".
package check

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// ErrNotImplemented is what every stub returns until the student writes the
// function.
var ErrNotImplemented = errors.New("not implemented yet")

// NotStartedMarker starts the failure message of a check whose function
// still returns ErrNotImplemented in strict mode.
const NotStartedMarker = "NOT STARTED"

// StrictEnv is the environment variable that turns skips into failures.
const StrictEnv = "CONVLSTM_STRICT"

// Strict reports whether CONVLSTM_STRICT is set to a true value (1, true,
// yes).
func Strict() bool {
	switch strings.ToLower(os.Getenv(StrictEnv)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Exercise names one exercise folder, e.g. Exercise("03-gate-split"), and
// builds the hint pointers of its checks.
type Exercise string

// Started stops the test when err is ErrNotImplemented: it skips the test
// (pointing to `make exercises`), or fails it in strict mode. Any other
// error, nil included, is left to the caller, so a test can call Started and
// then check that invalid input gives an error.
//
// A started function's folder is then checked against the rules
// (FollowsRules): no check passes on code that calls the library instead of
// doing the work.
func (e Exercise) Started(t testing.TB, fn string, err error) {
	t.Helper()
	if !errors.Is(err, ErrNotImplemented) {
		e.FollowsRules(t)
		return
	}
	if Strict() {
		t.Fatalf("%s: %s still returns ErrNotImplemented: write it in exercises/%s/ (task and hints in its README.md)",
			NotStartedMarker, fn, string(e))
	}
	t.Skipf("exercise %s not started (%s returns ErrNotImplemented): run `make exercises` to see your progress, "+
		"`make exercise N=%s` to work on it; %s=1 makes this a failure", string(e), fn, string(e)[:2], StrictEnv)
}

// NoError is Started followed by a fatal failure on any other error.
func (e Exercise) NoError(t testing.TB, fn string, err error, hint int) {
	t.Helper()
	e.Started(t, fn, err)
	if err != nil {
		t.Fatalf("%s returned an unexpected error: %v\n    hint: %s", fn, err, e.Hint(hint))
	}
}

// Tol is an elementwise tolerance: |got - want| <= Abs + Rel*|want|.
type Tol struct{ Abs, Rel float64 }

func (tol Tol) String() string {
	return fmt.Sprintf("|got-want| <= %g + %g*|want|", tol.Abs, tol.Rel)
}

// Exact is the tolerance for values that are copied, not computed.
var Exact = Tol{}

// Shape fails the test when got and want differ.
func (e Exercise) Shape(t testing.TB, what string, got, want []int, hint int) {
	t.Helper()
	if !convlstm.SameShape(got, want) {
		t.Fatalf("%s has shape %v, want %v\n    hint: %s", what, got, want, e.Hint(hint))
	}
}

// Tensor fails the test when got is nil, has another shape than want, or
// any element is outside the tolerance. The message names the first element
// that differs by its index along every axis, with the expected and the
// computed value, and counts the elements that differ.
func (e Exercise) Tensor(t testing.TB, what string, got, want *convlstm.Tensor, tol Tol, hint int) {
	t.Helper()
	e.TensorDiag(t, what, got, want, tol, hint, nil)
}

// Diagnose looks at a mismatch and says which hint fits it: it gets the
// index of the first element that differs and returns the hint number and a
// sentence on what the mistake looks like ("" for none). A zero hint keeps
// the caller's.
type Diagnose func(first []int) (hint int, why string)

// TensorDiag is Tensor with a diagnosis of value mismatches (nil for none):
// nil results and wrong shapes point to hint, differing values to the hint
// diag names.
func (e Exercise) TensorDiag(t testing.TB, what string, got, want *convlstm.Tensor, tol Tol, hint int, diag Diagnose) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s is nil, want a tensor of shape %v\n    hint: %s", what, want.Shape, e.Hint(hint))
	}
	e.Shape(t, what, got.Shape, want.Shape, hint)
	if len(got.Data) != len(want.Data) {
		t.Fatalf("%s has shape %v but %d values, want %d\n    hint: %s", what, got.Shape, len(got.Data), len(want.Data), e.Hint(hint))
	}
	e.FloatsDiag(t, what, want.Shape, got.Data, want.Data, tol, hint, diag)
}

// Floats compares two row-major arrays of the given shape elementwise (see
// Tensor).
func (e Exercise) Floats(t testing.TB, what string, shape []int, got, want []float32, tol Tol, hint int) {
	t.Helper()
	e.FloatsDiag(t, what, shape, got, want, tol, hint, nil)
}

// FloatsDiag is Floats with a diagnosis (see TensorDiag).
func (e Exercise) FloatsDiag(t testing.TB, what string, shape []int, got, want []float32, tol Tol, hint int, diag Diagnose) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s has %d values, want %d\n    hint: %s", what, len(got), len(want), e.Hint(hint))
	}
	bad, first, maxDiff := Compare(got, want, tol)
	if bad == 0 {
		return
	}
	why := ""
	if diag != nil {
		h, w := diag(Unravel(first, shape))
		if h != 0 {
			hint = h
		}
		if w != "" {
			why = "\n    " + w
		}
	}
	t.Fatalf("%s: %d of %d elements differ (tolerance %v); first at index %v: want %.7g, got %.7g (largest |diff| %.3g)%s\n    hint: %s",
		what, bad, len(want), tol, Unravel(first, shape), want[first], got[first], maxDiff, why, e.Hint(hint))
}

// Compare counts the elements of got outside the tolerance around want and
// returns the first one's offset (-1 for none) and the largest difference.
// As in convlstm/golden, a NaN in both places or the same infinity counts as
// equal (PyTorch propagates them, and so must the student's code); a NaN or
// an infinity in one place only is outside any tolerance.
func Compare(got, want []float32, tol Tol) (bad, first int, maxDiff float64) {
	first = -1
	if len(got) != len(want) {
		return max(len(got), len(want)), 0, math.Inf(1)
	}
	for k := range want {
		g, w := float64(got[k]), float64(want[k])
		if (math.IsNaN(g) && math.IsNaN(w)) || (math.IsInf(w, 0) && g == w) {
			continue
		}
		d := math.Abs(g - w)
		if math.IsInf(w, 0) || math.IsInf(g, 0) {
			d = math.Inf(1) // unequal infinities, or one on one side only
		}
		if !(d <= tol.Abs+tol.Rel*math.Abs(w)) || math.IsInf(d, 0) { // also catches NaN
			if first < 0 {
				first = k
			}
			bad++
			if d > maxDiff || math.IsNaN(d) {
				maxDiff = d
			}
		}
	}
	return bad, first, maxDiff
}

// Close reports whether got has want's shape and every element within the
// tolerance: for diagnoses that try what a typical mistake would give.
func Close(got, want *convlstm.Tensor, tol Tol) bool {
	if got == nil || want == nil || !convlstm.SameShape(got.Shape, want.Shape) {
		return false
	}
	bad, _, _ := Compare(got.Data, want.Data, tol)
	return bad == 0
}

// Int fails the test when got != want.
func (e Exercise) Int(t testing.TB, what string, got, want, hint int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: want %d, got %d\n    hint: %s", what, want, got, e.Hint(hint))
	}
}

// Unravel turns a flat row-major offset into one index per axis.
func Unravel(k int, shape []int) []int {
	idx := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] > 0 {
			idx[i] = k % shape[i]
			k /= shape[i]
		}
	}
	return idx
}

// GoldenForward is the forward tolerance of testdata/README.md, used against
// PyTorch's numbers.
var GoldenForward = Tol{Abs: 1e-5, Rel: 1e-4}

// Float32Sum is the tolerance for comparing two float32 computations of the
// same sums done in a different order (a conv against the project's conv).
var Float32Sum = Tol{Abs: 1e-4, Rel: 1e-4}

// NotNil fails the test when any of the tensors is nil; call it before
// reading the data of a student's result directly.
func (e Exercise) NotNil(t testing.TB, what string, ts []*convlstm.Tensor, hint int) {
	t.Helper()
	for k, x := range ts {
		if x == nil {
			t.Fatalf("%s: result %d is nil\n    hint: %s", what, k, e.Hint(hint))
		}
	}
}
