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

// Hint returns a pointer to hint n of the exercise's README, for failure
// messages.
func (e Exercise) Hint(n int) string {
	return fmt.Sprintf("see Hint %d in exercises/%s/README.md", n, string(e))
}

// Started stops the test when err is ErrNotImplemented: it skips the test
// (pointing to `make exercises`), or fails it in strict mode. Any other
// error, nil included, is left to the caller, so a test can call Started and
// then check that invalid input gives an error.
func (e Exercise) Started(t testing.TB, fn string, err error) {
	t.Helper()
	if !errors.Is(err, ErrNotImplemented) {
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
	if got == nil {
		t.Fatalf("%s is nil, want a tensor of shape %v\n    hint: %s", what, want.Shape, e.Hint(hint))
	}
	e.Shape(t, what, got.Shape, want.Shape, hint)
	if len(got.Data) != len(want.Data) {
		t.Fatalf("%s has shape %v but %d values, want %d\n    hint: %s", what, got.Shape, len(got.Data), len(want.Data), e.Hint(hint))
	}
	e.Floats(t, what, want.Shape, got.Data, want.Data, tol, hint)
}

// Floats compares two row-major arrays of the given shape elementwise (see
// Tensor).
func (e Exercise) Floats(t testing.TB, what string, shape []int, got, want []float32, tol Tol, hint int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s has %d values, want %d\n    hint: %s", what, len(got), len(want), e.Hint(hint))
	}
	bad, first := 0, -1
	var maxDiff float64
	for k := range want {
		g, w := float64(got[k]), float64(want[k])
		d := math.Abs(g - w)
		if !(d <= tol.Abs+tol.Rel*math.Abs(w)) { // also catches NaN
			if first < 0 {
				first = k
			}
			bad++
			if d > maxDiff || math.IsNaN(d) {
				maxDiff = d
			}
		}
	}
	if bad == 0 {
		return
	}
	t.Fatalf("%s: %d of %d elements differ (tolerance %v); first at index %v: want %.7g, got %.7g (largest |diff| %.3g)\n    hint: %s",
		what, bad, len(want), tol, Unravel(first, shape), want[first], got[first], maxDiff, e.Hint(hint))
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
