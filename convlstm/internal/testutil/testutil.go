// Package testutil holds the assertions the tests of convlstm,
// convlstm/npz, convlstm/fast and convlstm/bptt share: an error that names
// what it must, a call that must not panic (or must return an error and
// not panic), and random values in [-1, 1). It imports nothing of this
// module, so the core's own tests use it too.
package testutil

import (
	"math/rand"
	"strings"
	"testing"
)

// WantErr fails unless err is non-nil and its message contains every part.
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

// NoPanic runs f and fails the test, instead of crashing it, if f panics.
func NoPanic(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// ErrorNotPanic runs call and fails t if it panics, or if the error it
// returns is nil or does not contain want.
func ErrorNotPanic(t testing.TB, call func() error, want string) {
	t.Helper()
	var err error
	NoPanic(t, "the call", func() { err = call() })
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one that says %q", err, want)
	}
}

// Uniform fills x with values uniform in [-1, 1) from rng (2*Float32()-1)
// and returns it.
func Uniform(rng *rand.Rand, x []float32) []float32 {
	for i := range x {
		x[i] = 2*rng.Float32() - 1
	}
	return x
}
