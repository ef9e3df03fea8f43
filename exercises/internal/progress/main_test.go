package main

import (
	"bytes"
	"strings"
	"testing"
)

const pfx = modulePath + "/exercises/"

// events builds a `go test -json` stream from short lines:
// "pkg action [test] [output]" with "|" between fields.
func stream(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func results(t *testing.T, dirs []string, input string) map[string]*result {
	t.Helper()
	byPkg := map[string]*result{}
	for _, d := range dirs {
		byPkg[pfx+d] = &result{dir: d, output: map[string][]string{}}
	}
	if err := collect(strings.NewReader(input), byPkg); err != nil {
		t.Fatal(err)
	}
	res := map[string]*result{}
	for _, r := range byPkg {
		res[r.dir] = r
	}
	return res
}

var dirs = []string{"01-padding", "02-naive-conv", "03-gate-split"}

// A not-started 01, a passing 02 and a failing 03: the table says so and
// Next is 03, the one being worked on.
func TestNextIsTheFailingOne(t *testing.T) {
	in := stream(
		`{"Action":"run","Package":"`+pfx+`01-padding","Test":"TestA"}`,
		`{"Action":"output","Package":"`+pfx+`01-padding","Test":"TestA","Output":"    padding_test.go:10: NOT STARTED: SamePadding still returns ErrNotImplemented\n"}`,
		`{"Action":"fail","Package":"`+pfx+`01-padding","Test":"TestA"}`,
		`{"Action":"fail","Package":"`+pfx+`01-padding"}`,
		`{"Action":"pass","Package":"`+pfx+`02-naive-conv","Test":"TestB"}`,
		`{"Action":"pass","Package":"`+pfx+`02-naive-conv"}`,
		`{"Action":"pass","Package":"`+pfx+`03-gate-split","Test":"TestRejects"}`,
		`{"Action":"output","Package":"`+pfx+`03-gate-split","Test":"TestLabels","Output":"    gates_test.go:40: cc_o of combined_conv: 6 of 6 elements differ\n"}`,
		`{"Action":"output","Package":"`+pfx+`03-gate-split","Test":"TestLabels","Output":"        hint: see Hint 3 (the order i, f, o, g) in exercises/03-gate-split/README.md\n"}`,
		`{"Action":"fail","Package":"`+pfx+`03-gate-split","Test":"TestLabels"}`,
		`{"Action":"fail","Package":"`+pfx+`03-gate-split"}`,
	)
	res := results(t, dirs, in)
	for d, want := range map[string]string{"01-padding": "not started", "02-naive-conv": "passed", "03-gate-split": "failing"} {
		if st, _ := res[d].status(); st != want {
			t.Errorf("%s: status %q, want %q", d, st, want)
		}
	}
	if n := nextExercise(dirs, res); n != "03-gate-split" {
		t.Errorf("next = %q, want 03-gate-split", n)
	}
	var out bytes.Buffer
	report(&out, dirs, res)
	for _, want := range []string{"Next: exercises/03-gate-split/README.md", "hint: see Hint 3 (the order i, f, o, g)", "Not started yet: 01."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// With nothing failing, Next is the first exercise not started; with
// everything passing there is no Next.
func TestNextNotStarted(t *testing.T) {
	res := map[string]*result{
		"01-padding":    {pkgAction: "pass"},
		"02-naive-conv": {pkgAction: "fail", failed: []string{"T"}, output: map[string][]string{"T": {"NOT STARTED: x"}}},
		"03-gate-split": {pkgAction: "fail", failed: []string{"T"}, output: map[string][]string{"T": {"NOT STARTED: y"}}},
	}
	if n := nextExercise(dirs, res); n != "02-naive-conv" {
		t.Errorf("next = %q, want 02-naive-conv", n)
	}
	for _, d := range dirs {
		res[d] = &result{pkgAction: "pass"}
	}
	if n := nextExercise(dirs, res); n != "" {
		t.Errorf("next = %q with everything passing", n)
	}
}

// A build failure reported under another import path (an import of a
// package that does not exist) still shows the compiler's message in the
// exercise's row, and a very long output line does not cut the stream.
func TestBuildFailureAndLongLines(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	in := stream(
		`{"ImportPath":"example.com/convlstm/nothere","Action":"build-output","Output":"# `+pfx+`03-gate-split\n"}`,
		`{"ImportPath":"example.com/convlstm/nothere","Action":"build-output","Output":"exercises/03-gate-split/gates.go:10:2: no required module provides package example.com/convlstm/nothere\n"}`,
		`{"ImportPath":"example.com/convlstm/nothere","Action":"build-fail"}`,
		`{"Action":"output","Package":"`+pfx+`03-gate-split","Output":"FAIL\t`+pfx+`03-gate-split [setup failed]\n"}`,
		`{"Action":"fail","Package":"`+pfx+`03-gate-split","FailedBuild":"example.com/convlstm/nothere"}`,
		`{"Action":"output","Package":"`+pfx+`02-naive-conv","Test":"TestB","Output":"`+long+`\n"}`,
		`{"Action":"pass","Package":"`+pfx+`02-naive-conv","Test":"TestB"}`,
		`{"Action":"pass","Package":"`+pfx+`02-naive-conv"}`,
		`{"Action":"pass","Package":"`+pfx+`01-padding"}`,
	)
	res := results(t, dirs, in)
	st, first := res["03-gate-split"].status()
	if st != "failing" || !strings.Contains(first, "no required module provides package") {
		t.Errorf("03: %q %q, want failing with the compiler's message", st, first)
	}
	for _, d := range dirs[:2] {
		if st, first := res[d].status(); st != "passed" {
			t.Errorf("%s: %q %q, want passed", d, st, first)
		}
	}
	if n := nextExercise(dirs, res); n != "03-gate-split" {
		t.Errorf("next = %q, want 03-gate-split", n)
	}
}
