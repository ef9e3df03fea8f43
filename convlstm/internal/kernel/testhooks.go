package kernel

// Test hooks. The kernel level and the Winograd policy are package state,
// read without synchronisation by every product the fast paths run. Tests
// and benchmarks (of this package, convlstm/fast, convlstm/bptt and
// convlstm/seq2seq) force them with Use and SetWinoPolicy; no non-test code
// calls either, and neither may run while a product is running in another
// goroutine.

// Use sets level l (installing its kernels) and returns the function that
// puts the previous level back, for tests: t.Cleanup(kernel.Use(l)). It
// panics if the CPU cannot run l, which a test must not ask for (see
// Levels).
func Use(l Level) (restore func()) {
	set, old := setLevel(l)
	if set != l {
		setLevel(old)
		panic("kernel: Use(" + l.String() + "): this CPU and build run at most " + best.String())
	}
	return func() { setLevel(old) }
}

// SetWinoPolicy sets the Winograd policy and returns the function that
// puts the previous one back, for tests and benchmarks:
// t.Cleanup(kernel.SetWinoPolicy(p)).
func SetWinoPolicy(p WinoPolicy) (restore func()) {
	old := winoPolicy
	winoPolicy = p
	return func() { winoPolicy = old }
}
