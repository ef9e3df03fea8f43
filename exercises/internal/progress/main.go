// Command progress prints the progress table of the course exercises: it
// runs `go test -json` on every exercises/NN-slug folder with
// CONVLSTM_STRICT=1 and reports each one as passed, failing (with the first
// failing check) or not started (every failing check is a stub that still
// returns ErrNotImplemented). It exits 0 whatever the students' code does;
// only a failure to run `go test` at all is an error.
//
//	go run ./exercises/internal/progress            # from the repository root
//	go run ./exercises/internal/progress 03 05      # only some exercises
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
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
	Action     string
	Package    string
	ImportPath string // build-output and build-fail events
	Test       string
	Output     string
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
}

var exerciseDir = regexp.MustCompile(`^[0-9][0-9]-[a-z0-9-]+$`)

func main() {
	dirs, err := exercises(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "progress:", err)
		os.Exit(2)
	}
	results, err := run(dirs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "progress:", err)
		os.Exit(2)
	}
	report(dirs, results)
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
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev event
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		pkg := ev.Package
		if pkg == "" {
			pkg = strings.Fields(ev.ImportPath + " ")[0] // "pkg [pkg.test]" -> pkg
		}
		r := byPkg[pkg]
		if r == nil {
			continue
		}
		switch {
		case ev.Action == "build-output":
			r.buildError = append(r.buildError, strings.TrimRight(ev.Output, "\n"))
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
	werr := cmd.Wait()
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

// status classifies a result and returns its first failing check.
func (r *result) status() (string, string) {
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

func report(dirs []string, results map[string]*result) {
	fmt.Printf("%-18s  %-11s  %s\n", "exercise", "status", "first failing check")
	fmt.Printf("%-18s  %-11s  %s\n", strings.Repeat("-", 18), strings.Repeat("-", 11), strings.Repeat("-", 19))
	counts := map[string]int{}
	next := ""
	for _, d := range dirs {
		st, first := results[d].status()
		counts[st]++
		if st != "passed" && next == "" {
			next = d
		}
		fmt.Printf("%-18s  %-11s  %s\n", d, st, clip(first, width))
	}
	fmt.Printf("\n%d passed, %d failing, %d not started (of %d).\n", counts["passed"], counts["failing"], counts["not started"], len(dirs))
	if next == "" {
		fmt.Println("All exercises pass. Well done.")
		return
	}
	st, first := results[next].status()
	fmt.Printf("Next: exercises/%s/README.md, then `make exercise N=%s`.\n", next, next[:2])
	if st == "failing" {
		fmt.Printf("  %s\n", first)
		if h := results[next].hint(); h != "" {
			fmt.Printf("  hint: %s\n", h)
		}
	}
}
