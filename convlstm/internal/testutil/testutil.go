// Package testutil holds the checks the tests of convlstm/fast and
// convlstm/bptt share: an error that names what it must, a call that must
// return an error and not panic, and the small model of the error tests.
// It imports the core (imports point toward it), so the core's own tests
// keep theirs.
package testutil

import (
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// WantErr fails t unless err is non-nil and its message contains every
// part.
func WantErr(t testing.TB, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one mentioning %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

// ErrorNotPanic runs call and fails t if it panics, or if the error it
// returns is nil or does not contain want.
func ErrorNotPanic(t testing.TB, call func() error, want string) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		err = call()
	}()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one that says %q", err, want)
	}
}

// TwoLayers builds the small model of the error tests: input_dim 2, two
// layers of hidden sizes 3 and 4 with kernels 3x3 and 1x3, bias on.
func TwoLayers(t testing.TB, batchFirst bool) *convlstm.ConvLSTM {
	t.Helper()
	m, err := convlstm.New(convlstm.Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {1, 3}}, NumLayers: 2, BatchFirst: batchFirst, Bias: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
