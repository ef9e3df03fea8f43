package bptt

import (
	"fmt"

	"example.com/convlstm/convlstm/internal/par"
)

// The fast backward's work is shared out among the cores by the workers
// of internal/par: a job over [0, n) is cut into one contiguous part per
// core. The time loop hands out jobs that are pointers (a par.Call and a
// par.Job), so it allocates nothing per step.

// call is one caller's share of the workers (par.Call).
type call = par.Call

// parallel runs f over [0, n), one part per core, for the work done once
// per layer or per call (a closure allocates; the time loop uses a call).
func parallel(n int, f func(lo, hi int)) { par.Run(n, f) }

// internalError turns a panic of the fast path (a bug: the arguments were
// checked) into an error, for the exported functions' deferred recover.
func internalError(where string, r any) error {
	return fmt.Errorf("bptt: %s: internal error: %v", where, r)
}
