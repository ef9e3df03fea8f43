package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadFlags: every invalid flag is refused before any work starts
// (training, data, output folder), with a message naming the flag. -lr
// NaN, -clip NaN, -seconds inf, an -out that cannot be written or a
// -cpuprofile in a missing folder used to fail only after the whole
// training budget; -frames 0 silently trained on 10 frames.
func TestBadFlags(t *testing.T) {
	for _, c := range []struct{ flag, value string }{
		{"-lr", "NaN"}, {"-lr", "0"}, {"-lr", "-1"}, {"-clip", "NaN"}, {"-clip", "0"}, {"-bound", "NaN"},
		{"-bound", "inf"}, {"-seconds", "inf"}, {"-seconds", "NaN"}, {"-seconds", "0"}, {"-frames", "0"},
		{"-frames", "1"}, {"-size", "0"}, {"-size", "1000"}, {"-kernel", "2"}, {"-batch", "0"}, {"-eval", "0"},
		{"-hidden", "0"}, {"-hidden", "x"}, {"-steps", "-1"}, {"-out", ""}, {"-out", "/dev/null"},
		{"-cpuprofile", "/nonexistent/cpu.prof"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		outFlag := out
		if c.flag == "-out" {
			outFlag = c.value
		}
		start := time.Now()
		err := run([]string{"-out", outFlag, "-seconds", "600", c.flag, c.value}, io.Discard)
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

// TestOutputsAsOneGroup: a run whose results cannot all be written (here
// predictions.png is taken by a folder) changes none of the previous
// run's files (it is refused before training; TestWriteAllFailure covers
// a failure while writing); it used to replace metrics.json and model.npz
// and then fail. A run that succeeds replaces all three and leaves no
// staging files behind.
func TestOutputsAsOneGroup(t *testing.T) {
	out := t.TempDir()
	tiny := []string{"-out", out, "-size", "8", "-frames", "3", "-hidden", "2", "-steps", "2", "-batch", "2", "-eval", "2", "-bound", "100"}
	old := map[string][]byte{"metrics.json": []byte("old metrics\n"), "model.npz": []byte("old model\n")}
	for name, b := range old {
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(out, "predictions.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := run(tiny, io.Discard); err == nil {
		t.Fatal("a run that cannot write predictions.png: no error")
	}
	for name, b := range old {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s after the failed run: %q, %v; want the previous %q", name, got, err, b)
		}
	}
	if err := os.Remove(filepath.Join(out, "predictions.png")); err != nil {
		t.Fatal(err)
	}
	if err := run(tiny, io.Discard); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "metrics.json model.npz predictions.png" {
		t.Errorf("output folder holds %v, want the three results only", names)
	}
	js, _ := os.ReadFile(filepath.Join(out, "metrics.json"))
	if !strings.Contains(string(js), `"steps": 2`) {
		t.Errorf("metrics.json is not the new run's: %s", js)
	}
}
