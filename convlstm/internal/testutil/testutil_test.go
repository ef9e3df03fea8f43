package testutil

import (
	"errors"
	"math/rand"
	"runtime"
	"testing"
)

// recorder is a testing.TB that records a failure instead of failing the
// test; Fatalf ends its goroutine, as testing's does.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

// fails reports whether check fails the recorder it is given.
func fails(t *testing.T, check func(tb testing.TB)) bool {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.failed
}

// TestChecksFail: WantErr, NoPanic and ErrorNotPanic pass what they should and
// fail the rest (no error, a panic, a message without a part).
func TestChecksFail(t *testing.T) {
	for _, c := range []struct {
		name  string
		check func(tb testing.TB)
		fail  bool
	}{
		{"WantErr, every part", func(tb testing.TB) { WantErr(tb, errors.New("x: got [2 3], want 4"), "x:", "[2 3]") }, false},
		{"WantErr, nil", func(tb testing.TB) { WantErr(tb, nil, "x") }, true},
		{"WantErr, a part missing", func(tb testing.TB) { WantErr(tb, errors.New("x: got [2 3]"), "x:", "want") }, true},
		{"NoPanic, no panic", func(tb testing.TB) { NoPanic(tb, "f", func() {}) }, false},
		{"NoPanic, a panic", func(tb testing.TB) { NoPanic(tb, "f", func() { panic("boom") }) }, true},
		{"ErrorNotPanic, the error", func(tb testing.TB) { ErrorNotPanic(tb, func() error { return errors.New("model is nil") }, "is nil") }, false},
		{"ErrorNotPanic, no error", func(tb testing.TB) { ErrorNotPanic(tb, func() error { return nil }, "is nil") }, true},
		{"ErrorNotPanic, another error", func(tb testing.TB) { ErrorNotPanic(tb, func() error { return errors.New("shape") }, "is nil") }, true},
		{"ErrorNotPanic, a panic", func(tb testing.TB) { ErrorNotPanic(tb, func() error { panic("boom") }, "is nil") }, true},
	} {
		if got := fails(t, c.check); got != c.fail {
			t.Errorf("%s: failed %v, want %v", c.name, got, c.fail)
		}
	}
}

// TestUniform: values in [-1, 1), the same for the same seed.
func TestUniform(t *testing.T) {
	a := Uniform(rand.New(rand.NewSource(3)), make([]float32, 1000))
	b := Uniform(rand.New(rand.NewSource(3)), make([]float32, 1000))
	lo, hi := float32(1), float32(-1)
	for i, v := range a {
		if v != b[i] {
			t.Fatalf("value %d: %v, then %v with the same seed", i, v, b[i])
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo < -1 || hi >= 1 || lo > -0.9 || hi < 0.9 {
		t.Errorf("values in [%v, %v], want them to fill [-1, 1)", lo, hi)
	}
}
