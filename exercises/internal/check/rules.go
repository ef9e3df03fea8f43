package check

import (
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"example.com/convlstm/exercises/internal/rules"
)

var (
	rulesMu   sync.Mutex
	rulesDone = map[Exercise]error{}
)

// Dir is the exercise's folder, found from the path of this source file as
// the compiler recorded it (exercises/internal/check/rules.go): nothing the
// student's code does at run time changes it, unlike the working directory
// or an environment variable.
func (e Exercise) Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", string(e))
}

// FollowsRules fails the test when the exercise folder breaks the rules of
// package rules (what the folder may hold, what the student's file may
// import and use). The folder is read once per test binary.
func (e Exercise) FollowsRules(t testing.TB) {
	t.Helper()
	rulesMu.Lock()
	err, ok := rulesDone[e]
	if !ok {
		err = rules.CheckDir(e.Dir())
		rulesDone[e] = err
	}
	rulesMu.Unlock()
	if err != nil {
		t.Fatalf("%v\n    (the rules: exercises/README.md, \"Write it by hand\")", err)
	}
}
