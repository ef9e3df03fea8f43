// Package testutil holds the assertions the tests of convlstm and
// convlstm/npz share.
package testutil

import (
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
