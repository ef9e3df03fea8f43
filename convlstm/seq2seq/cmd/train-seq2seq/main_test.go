package main

import (
	"testing"

	"example.com/convlstm/convlstm/internal/runcmd/runcmdtest"
)

// TestBadFlags: every invalid flag is refused before any work starts,
// with a message naming the flag: the common flags of both commands
// (runcmdtest; -bound NaN and -seconds inf used to fail only after
// training), and this command's own: -patch 0 used to panic (a division
// by zero), -in 0 to fail only after the whole training budget.
func TestBadFlags(t *testing.T) {
	runcmdtest.BadFlags(t, run, [][2]string{{"-patch", "0"}, {"-patch", "-2"}, {"-patch", "3"}, {"-in", "0"}, {"-out-frames", "0"}})
}

// TestTinyRun: a short run writes the three results as one group, and a
// run that cannot write them all leaves the previous ones as they were
// (runcmdtest.OutputsAsOneGroup).
func TestTinyRun(t *testing.T) {
	runcmdtest.OutputsAsOneGroup(t, run, "-size", "8", "-patch", "2", "-in", "2", "-out-frames", "2", "-hidden", "2", "-steps", "2",
		"-batch", "2", "-eval", "2", "-bound", "100")
}
