package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadFlags: every invalid flag is refused before any work starts,
// with a message naming the flag. -patch 0 used to panic (a division by
// zero), -in 0 to fail only after the whole training budget, -bound NaN
// and -seconds inf only after training.
func TestBadFlags(t *testing.T) {
	for _, c := range []struct{ flag, value string }{
		{"-patch", "0"}, {"-patch", "-2"}, {"-patch", "3"}, {"-in", "0"}, {"-out-frames", "0"}, {"-bound", "NaN"},
		{"-bound", "0"}, {"-seconds", "inf"}, {"-lr", "NaN"}, {"-clip", "NaN"}, {"-size", "4"}, {"-hidden", "4,-1"},
		{"-kernel", "0"}, {"-batch", "-3"}, {"-eval", "0"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		start := time.Now()
		err := run([]string{"-out", out, "-seconds", "600", c.flag, c.value}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.flag) {
			t.Errorf("%s %s: error %v, want one naming %s", c.flag, c.value, err, c.flag)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s %s: failed after %v, want at once", c.flag, c.value, d)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s %s: the output folder was created", c.flag, c.value)
		}
	}
}

// TestTinyRun: a short run writes the three results.
func TestTinyRun(t *testing.T) {
	out := t.TempDir()
	err := run([]string{"-out", out, "-size", "8", "-patch", "2", "-in", "2", "-out-frames", "2", "-hidden", "2", "-steps", "2",
		"-batch", "2", "-eval", "2", "-bound", "100"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"metrics.json", "model.npz", "predictions.png"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
