// Command progress prints the progress table of the course exercises: it
// runs `go test -json` on every exercises/NN-slug folder with
// CONVLSTM_STRICT=1 and reports each one as passed, failing (with the first
// failing check) or not started (every failing check is a stub that still
// returns ErrNotImplemented), or as breaking the rules (package rules, read
// from disk in this process before anything is compiled; such a folder is
// not tested). It then names the exercise to work on next:
// the first failing one in order, else the first one not started. It exits
// 0 whatever the students' code does; only a failure to run `go test` at
// all is an error.
//
//	go run ./exercises/internal/progress            # from the repository root
//	go run ./exercises/internal/progress 03 05      # only some exercises
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"example.com/convlstm/exercises/internal/rules"
)

const (
	modulePath = "example.com/convlstm"
	// notStartedMarker is check.NotStartedMarker (not imported, so that this
	// command builds even when an exercise does not).
	notStartedMarker = "NOT STARTED"
	width            = 78 // of the "first failing check" column
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	Test        string
	Output      string
	FailedBuild string // on a package's fail event: the ImportPath whose build failed
}

// result collects what happened to one exercise package.
type result struct {
	dir        string
	pkgAction  string // pass, fail or skip
	passed     int
	failed     []string // failing tests, in the order they failed
	output     map[string][]string
	pkgOutput  []string
	buildError []string
	rules      string // the first broken rule, if any
}

var exerciseDir = regexp.MustCompile(`^[0-9][0-9]-[a-z0-9-]+$`)

func main() {
	dirs, err := exercises(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "progress:", err)
		os.Exit(2)
	}
	broken := map[string]string{}
	var clean []string
	for _, d := range dirs {
		if err := rules.CheckDir(filepath.Join("exercises", d)); err != nil {
			first, _, _ := strings.Cut(err.Error(), "\n")
			broken[d] = first
			continue
		}
		clean = append(clean, d)
	}
	results := map[string]*result{}
	if len(clean) > 0 {
		if results, err = run(clean); err != nil {
			fmt.Fprintln(os.Stderr, "progress:", err)
			os.Exit(2)
		}
	}
	for d, msg := range broken {
		results[d] = &result{dir: d, rules: msg}
	}
	report(os.Stdout, dirs, results)
}

// exercises lists the exercise folders, or those whose number or name is
// given.
func exercises(filter []string) ([]string, error) {
	entries, err := os.ReadDir("exercises")
	if err != nil {
		return nil, fmt.Errorf("%v (run from the repository root)", err)
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() || !exerciseDir.MatchString(e.Name()) {
			continue
		}
		if len(filter) == 0 {
			dirs = append(dirs, e.Name())
			continue
		}
		for _, f := range filter {
			if f == e.Name() || fmt.Sprintf("%02s", f) == e.Name()[:2] {
				dirs = append(dirs, e.Name())
				break
			}
		}
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no exercise folders match %v", filter)
	}
	return dirs, nil
}

// run tests every folder in one `go test -json` and sorts the events by
// package.
func run(dirs []string) (map[string]*result, error) {
	args := []string{"test", "-json", "-count=1"}
	byPkg := map[string]*result{}
	for _, d := range dirs {
		args = append(args, "./"+filepath.ToSlash(filepath.Join("exercises", d)))
		byPkg[modulePath+"/exercises/"+d] = &result{dir: d, output: map[string][]string{}}
	}
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Env = append(os.Environ(), "CONVLSTM_STRICT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	readErr := collect(out, byPkg)
	werr := cmd.Wait()
	if readErr != nil {
		return nil, readErr
	}
	if _, ok := werr.(*exec.ExitError); werr != nil && !ok {
		return nil, werr
	}
	// If go test could not even start (a broken go.mod, say), no package
	// reported anything: show its stderr in every row.
	for _, r := range byPkg {
		if r.pkgAction == "" && len(r.buildError) == 0 {
			r.buildError = strings.Split(strings.TrimSpace(stderr.String()), "\n")
		}
	}
	res := map[string]*result{}
	for _, r := range byPkg {
		res[r.dir] = r
	}
	return res, nil
}

// collect reads the events of `go test -json` into the results of their
// packages. Lines may be of any length (a test that prints a large tensor
// must not cut the stream short). Build output is keyed by the import path
// that failed to build, which need not be the exercise's own (an import of a
// package that does not exist reports under that package's path); a
// package's fail event names it in FailedBuild, and the output goes to that
// package.
func collect(out io.Reader, byPkg map[string]*result) error {
	buildOut := map[string][]string{} // ImportPath -> build output
	failedBuild := map[*result]string{}
	br := bufio.NewReader(out)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			handle(line, byPkg, buildOut, failedBuild)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	for r, ip := range failedBuild {
		if len(r.buildError) == 0 {
			r.buildError = append(r.buildError, buildOut[ip]...)
		}
		if len(r.buildError) == 0 {
			r.buildError = []string{"build of " + ip + " failed"}
		}
	}
	return nil
}

func handle(line []byte, byPkg map[string]*result, buildOut map[string][]string, failedBuild map[*result]string) {
	var ev event
	if json.Unmarshal(line, &ev) != nil {
		return
	}
	if ev.Action == "build-output" || ev.Action == "build-fail" {
		if ev.Action == "build-output" {
			buildOut[ev.ImportPath] = append(buildOut[ev.ImportPath], strings.TrimRight(ev.Output, "\n"))
		}
		return
	}
	r := byPkg[ev.Package]
	if r == nil {
		return
	}
	{
		switch {
		case ev.Test == "" && ev.Action == "fail" && ev.FailedBuild != "":
			r.pkgAction = ev.Action
			failedBuild[r] = ev.FailedBuild
		case ev.Test == "" && ev.Action == "output":
			r.pkgOutput = append(r.pkgOutput, strings.TrimRight(ev.Output, "\n"))
		case ev.Test == "" && (ev.Action == "pass" || ev.Action == "fail" || ev.Action == "skip"):
			r.pkgAction = ev.Action
		case strings.Contains(ev.Test, "/"):
			// subtests count through their parent test
			if ev.Action == "output" {
				top := ev.Test[:strings.Index(ev.Test, "/")]
				r.output[top] = append(r.output[top], strings.TrimRight(ev.Output, "\n"))
			}
		case ev.Action == "output":
			r.output[ev.Test] = append(r.output[ev.Test], strings.TrimRight(ev.Output, "\n"))
		case ev.Action == "pass":
			r.passed++
		case ev.Action == "fail":
			r.failed = append(r.failed, ev.Test)
		}
	}
}

// status classifies a result and returns its first failing check.
func (r *result) status() (string, string) {
	if r.rules != "" {
		return "failing", r.rules
	}
	if r.pkgAction == "pass" {
		return "passed", ""
	}
	if len(r.buildError) > 0 || (len(r.failed) == 0 && r.pkgAction != "skip") {
		return "failing", "does not build: " + firstLine(append(r.buildError, r.pkgOutput...), true)
	}
	if len(r.failed) == 0 {
		return "failing", "no tests ran"
	}
	notStarted := r.passed == 0
	for _, tname := range r.failed {
		if !strings.Contains(strings.Join(r.output[tname], "\n"), notStartedMarker) {
			notStarted = false
		}
	}
	if notStarted {
		return "not started", ""
	}
	for _, tname := range r.failed {
		msg := firstLine(r.output[tname], false)
		if strings.Contains(msg, notStartedMarker) && len(r.failed) > 1 {
			continue // prefer a real failure over a function not written yet
		}
		return "failing", tname + ": " + msg
	}
	tname := r.failed[0]
	return "failing", tname + ": " + firstLine(r.output[tname], false)
}

// hint returns the hint pointer printed with the first failure, if any.
func (r *result) hint() string {
	if r.rules != "" {
		return "the rules are in exercises/README.md (Write it by hand) and in the exercise's README"
	}
	_, first := r.status()
	tname, _, _ := strings.Cut(first, ":")
	for _, l := range r.output[tname] {
		if s := strings.TrimSpace(l); strings.HasPrefix(s, "hint:") {
			return strings.TrimSpace(strings.TrimPrefix(s, "hint:"))
		}
	}
	return ""
}

var fileLine = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// firstLine returns the first line that carries a message: not go test's
// own === / --- / FAIL / ok lines.
func firstLine(lines []string, build bool) string {
	for _, l := range lines {
		s := strings.TrimSpace(l)
		switch {
		case s == "", strings.HasPrefix(s, "==="), strings.HasPrefix(s, "---"), s == "FAIL", s == "PASS",
			strings.HasPrefix(s, "FAIL\t"), strings.HasPrefix(s, "ok "), strings.HasPrefix(s, "# "):
			continue
		}
		if !build {
			s = fileLine.ReplaceAllString(l, "")
		}
		return strings.TrimSpace(s)
	}
	return "(no message)"
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// nextExercise picks the exercise to work on: the first one, in order,
// that is failing (started, not passing), so that a student who started
// with 03 is sent back to 03 and not to an untouched 01; when none is
// failing, the first one not started. "" when everything passes.
func nextExercise(dirs []string, results map[string]*result) string {
	for _, want := range []string{"failing", "not started"} {
		for _, d := range dirs {
			if st, _ := results[d].status(); st == want {
				return d
			}
		}
	}
	return ""
}

func report(w io.Writer, dirs []string, results map[string]*result) {
	fmt.Fprintf(w, "%-18s  %-11s  %s\n", "exercise", "status", "first failing check")
	fmt.Fprintf(w, "%-18s  %-11s  %s\n", strings.Repeat("-", 18), strings.Repeat("-", 11), strings.Repeat("-", 19))
	counts := map[string]int{}
	var notStarted []string
	for _, d := range dirs {
		st, first := results[d].status()
		counts[st]++
		if st == "not started" {
			notStarted = append(notStarted, d[:2])
		}
		fmt.Fprintf(w, "%-18s  %-11s  %s\n", d, st, clip(first, width))
	}
	fmt.Fprintf(w, "\n%d passed, %d failing, %d not started (of %d).\n", counts["passed"], counts["failing"], counts["not started"], len(dirs))
	next := nextExercise(dirs, results)
	if next == "" {
		fmt.Fprintln(w, "All exercises pass. Well done.")
		return
	}
	st, first := results[next].status()
	fmt.Fprintf(w, "Next: exercises/%s/README.md, then `make exercise N=%s`.\n", next, next[:2])
	if st == "failing" {
		fmt.Fprintf(w, "  %s\n", first)
		if h := results[next].hint(); h != "" {
			fmt.Fprintf(w, "  hint: %s\n", h)
		}
		if len(notStarted) > 0 {
			fmt.Fprintf(w, "Not started yet: %s.\n", strings.Join(notStarted, ", "))
		}
	}
}
