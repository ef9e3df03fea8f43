// Package runcmdtest holds the tests both training commands
// (convlstm/train/cmd/train, convlstm/seq2seq/cmd/train-seq2seq) run on
// their run function, written once: the flags of runcmd.Common and the
// writing of the results as one group are the same code in both. It is
// imported by their tests only.
package runcmdtest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Run is a command's run function: it parses args, trains and writes the
// results, with progress on progress.
type Run func(args []string, progress io.Writer) error

// commonBadFlags are bad values of the flags of runcmd.Common, which both
// commands refuse in runcmd's Check and Prepare. -lr NaN, -clip NaN,
// -seconds inf, an -out that cannot be written and a -cpuprofile in a
// missing folder used to fail only after the whole training budget.
var commonBadFlags = [][2]string{
	{"-lr", "NaN"}, {"-lr", "0"}, {"-lr", "-1"}, {"-clip", "NaN"}, {"-clip", "0"}, {"-bound", "NaN"},
	{"-bound", "inf"}, {"-bound", "0"}, {"-seconds", "inf"}, {"-seconds", "NaN"}, {"-seconds", "0"},
	{"-size", "0"}, {"-size", "4"}, {"-size", "1000"}, {"-kernel", "2"}, {"-kernel", "0"}, {"-batch", "0"},
	{"-batch", "-3"}, {"-eval", "0"}, {"-hidden", "0"}, {"-hidden", "x"}, {"-hidden", "4,-1"}, {"-steps", "-1"},
	{"-out", ""}, {"-out", "/dev/null"}, {"-cpuprofile", "/nonexistent/cpu.prof"},
}

// BadFlags runs run once per bad flag (a name and a value: those of
// runcmd.Common, then the command's own), each after "-out <a fresh
// folder> -seconds 600" (for -out, the bad value is the folder), and
// fails t unless every run returns at once (within 5 s, so before any
// training) with an error naming the flag, and without creating the
// output folder.
func BadFlags(t *testing.T, run Run, own [][2]string) {
	t.Helper()
	for _, c := range append(append([][2]string(nil), commonBadFlags...), own...) {
		name, value := c[0], c[1]
		out := filepath.Join(t.TempDir(), "out")
		outFlag := out
		if name == "-out" {
			outFlag = value
		}
		start := time.Now()
		err := run([]string{"-out", outFlag, "-seconds", "600", name, value}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s %s: error %v, want one naming %s", name, value, err, name)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s %s: failed after %v, want at once", name, value, d)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s %s: the output folder was created", name, value)
		}
	}
}

// OutputsAsOneGroup checks that a run whose results cannot all be written
// (here predictions.png is taken by a folder) changes none of the previous
// run's files (it is refused before training; runcmd's
// TestWriteAllFailure covers a failure while writing), and that a run
// that succeeds replaces all three with non-empty files and leaves no
// staging files behind. tiny are the flags of a run of 2 steps, without
// -out.
func OutputsAsOneGroup(t *testing.T, run Run, tiny ...string) {
	t.Helper()
	out := t.TempDir()
	args := append([]string{"-out", out}, tiny...)
	old := map[string][]byte{"metrics.json": []byte("old metrics\n"), "model.npz": []byte("old model\n")}
	for name, b := range old {
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(out, "predictions.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := run(args, io.Discard); err == nil {
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
	if err := run(args, io.Discard); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if info, err := e.Info(); err != nil || info.Size() == 0 {
			t.Errorf("%s: empty or unreadable (%v)", e.Name(), err)
		}
	}
	if strings.Join(names, " ") != "metrics.json model.npz predictions.png" {
		t.Errorf("output folder holds %v, want the three results only", names)
	}
	js, _ := os.ReadFile(filepath.Join(out, "metrics.json"))
	if !strings.Contains(string(js), `"steps": 2`) {
		t.Errorf("metrics.json is not the new run's: %s", js)
	}
}
