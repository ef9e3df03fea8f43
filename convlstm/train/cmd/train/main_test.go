package main

import (
	"testing"

	"example.com/convlstm/convlstm/internal/runcmd/runcmdtest"
)

// TestBadFlags: every invalid flag is refused before any work starts
// (training, data, output folder), with a message naming the flag: the
// common flags of both commands (runcmdtest), and -frames (0 silently
// trained on 10 frames).
func TestBadFlags(t *testing.T) {
	runcmdtest.BadFlags(t, run, [][2]string{{"-frames", "0"}, {"-frames", "1"}})
}

// TestOutputsAsOneGroup: a failed run leaves the previous results as they
// were (it used to replace metrics.json and model.npz and then fail); a
// run that succeeds replaces all three (runcmdtest.OutputsAsOneGroup).
func TestOutputsAsOneGroup(t *testing.T) {
	runcmdtest.OutputsAsOneGroup(t, run, "-size", "8", "-frames", "3", "-hidden", "2", "-steps", "2", "-batch", "2", "-eval", "2", "-bound", "100")
}
