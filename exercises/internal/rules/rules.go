// Package rules checks that an exercise is done by hand: what a student's
// file may import and use is an allow-list (Table), not a list of forbidden
// calls, and the folder may hold no other file. It reads the files on disk
// (or given in memory), so nothing the student wrote runs before it; the
// rules themselves are in exercises/README.md, "Write it by hand".
package rules

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Marker starts every message about a broken rule.
const Marker = "WRITE IT BY HAND"

const (
	libPath   = "example.com/convlstm/convlstm"
	checkPath = "example.com/convlstm/exercises/internal/check"
	matPath   = "example.com/convlstm/exercises/internal/mat"
)

// Exercise is what one exercise folder may hold and use.
type Exercise struct {
	Stub  string              // the stub's name without .go, e.g. "gates"
	Allow map[string][]string // import path -> the names it may use ("*": all; "Type.Method" for a method)
}

// allow is the standard library part, ErrNotImplemented and, when lib is
// not nil, the tensor helpers of convlstm and lib.
func allow(lib []string, more ...string) map[string][]string {
	m := map[string][]string{"fmt": {"*"}, "math": {"*"}, "errors": {"*"}, checkPath: {"ErrNotImplemented"}}
	if lib != nil {
		m[libPath] = append([]string{"Tensor", "Tensor.Dim", "Tensor.Numel", "Tensor.Size", "Tensor.At", "Tensor.Set",
			"Tensor.Clone", "Zeros", "NewTensor", "FromSlice", "SameShape"}, lib...)
	}
	if len(more) > 0 {
		m[more[0]] = more[1:]
	}
	return m
}

// Table lists the exercises by folder name.
var Table = map[string]Exercise{
	"01-padding":      {"padding", allow(nil)},
	"02-naive-conv":   {"conv", allow([]string{})},
	"03-gate-split":   {"gates", allow([]string{})},
	"04-cell-step":    {"cell", allow([]string{"Conv2d", "Sigmoid", "Tanh"})},
	"05-hidden-state": {"state", allow([]string{"State", "Cell", "Cell.Forward"})},
	"06-layer-loop":   {"layers", allow([]string{"State", "Cell", "Cell.Forward", "Cell.InitHidden", "ConvLSTM"})},
	"07-im2col-gemm": {"im2col", allow([]string{},
		matPath, "Matrix", "New", "Wrap", "Matrix.Rows", "Matrix.Cols", "Matrix.At", "Matrix.Set")},
}

// ReadDir reads a folder as Check wants it: base name -> content, and
// "name/" for a directory.
func ReadDir(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			files[e.Name()+"/"] = nil
		} else if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// CheckDir checks the exercise folder dir as it is on disk.
func CheckDir(dir string) error {
	files, err := ReadDir(dir)
	if err != nil {
		return err
	}
	return Check(filepath.Base(dir), files)
}

// Check checks the files of the exercise folder name. Its error lists every
// broken rule, one a line, each starting with Marker and naming the file.
func Check(name string, files map[string][]byte) error {
	ex, ok := Table[name]
	if !ok {
		return fmt.Errorf("rules: no exercise %q in rules.Table", name)
	}
	var probs []string
	for f := range files {
		switch f {
		case "README.md", "testdata/", ex.Stub + ".go", ex.Stub + "_test.go", ex.Stub + "_solution.go":
		default:
			if !strings.HasPrefix(f, ".") { // the go tool never reads dot-files
				probs = append(probs, fmt.Sprintf("%s: %s: this folder may hold only README.md, %s.go (your file), %s_test.go, "+
					"%s_solution.go and testdata/; move or delete this one", Marker, f, ex.Stub, ex.Stub, ex.Stub))
			}
		}
	}
	sort.Strings(probs)
	for _, f := range []string{ex.Stub + ".go", ex.Stub + "_solution.go"} {
		if src, ok := files[f]; ok {
			probs = append(probs, checkFile(f, src, ex)...)
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "\n"))
	}
	return nil
}

// checkFile checks one Go file of the exercise.
func checkFile(name string, src []byte, ex Exercise) []string {
	var probs []string
	fset := token.NewFileSet()
	bad := func(pos token.Pos, format string, args ...any) {
		where := name
		if pos.IsValid() {
			where = fmt.Sprintf("%s:%d", name, fset.Position(pos).Line)
		}
		probs = append(probs, fmt.Sprintf("%s: %s: %s", Marker, where, fmt.Sprintf(format, args...)))
	}
	readme := fmt.Sprintf("which is not on this exercise's list (its README: \"What %s.go may use\")", ex.Stub)
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		bad(token.NoPos, "does not parse: %v", err)
		return probs
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:") && !strings.HasPrefix(c.Text, "//go:build ") {
				bad(c.Pos(), "the directive %s is not allowed (only //go:build)", strings.Fields(c.Text)[0])
			}
		}
	}
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); ex.Allow[p] == nil {
			bad(im.Pos(), "imports %q, %s", p, readme)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv == nil && n.Name.Name == "init" {
				bad(n.Pos(), "an init function is not allowed: set things up inside your functions")
			}
			if n.Type.TypeParams != nil {
				bad(n.Pos(), "%s has type parameters: generics are not allowed here", n.Name.Name)
			}
		case *ast.TypeSpec:
			if n.TypeParams != nil {
				bad(n.Pos(), "type %s has type parameters: generics are not allowed here", n.Name.Name)
			}
		case *ast.InterfaceType:
			bad(n.Pos(), "an interface type is not allowed: call concrete functions only")
		}
		return true
	})
	if len(probs) > 0 {
		return probs // its imports may not even type-check
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: exportImporter(fset)}
	if _, err := conf.Check("exercise", fset, []*ast.File{f}, info); err != nil {
		bad(token.NoPos, "does not compile (go/types: %v); the rules are checked on a file that compiles", err)
		return probs
	}
	ids := make([]*ast.Ident, 0, len(info.Uses))
	for id := range info.Uses {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	seen := map[types.Object]bool{}
	for _, id := range ids {
		obj := info.Uses[id]
		if _, isPkg := obj.(*types.PkgName); isPkg || obj.Pkg() == nil || obj.Pkg().Path() == "exercise" || seen[obj] {
			continue // an import's name, predeclared, or the student's own
		}
		seen[obj] = true
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			if _, isFunc := v.Type().Underlying().(*types.Signature); isFunc {
				bad(id.Pos(), "uses the field %s, which holds a function", v.Name())
			}
			continue // fields are data
		}
		qual := qualName(obj)
		if !allowed(ex.Allow[obj.Pkg().Path()], qual) {
			bad(id.Pos(), "uses %s.%s, %s", obj.Pkg().Name(), qual, readme)
		}
	}
	return probs
}

// qualName is Name, or Type.Method for a method.
func qualName(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok || fn.Signature().Recv() == nil {
		return obj.Name()
	}
	t := fn.Signature().Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return "(interface)." + fn.Name()
}

func allowed(list []string, qual string) bool {
	for _, a := range list {
		if a == "*" || a == qual {
			return true
		}
	}
	return false
}

var (
	exportsOnce sync.Once
	exports     map[string]string // import path -> export data file
	exportsErr  error
)

// exportImporter imports packages from the export data that one
// `go list -export` of every package of Table (and their dependencies)
// writes into the build cache. It runs at the repository root, found from
// this file's compiled-in path, whatever the working directory is.
func exportImporter(fset *token.FileSet) types.Importer {
	exportsOnce.Do(func() {
		args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
		paths := map[string]bool{}
		for _, ex := range Table {
			for p := range ex.Allow {
				paths[p] = true
			}
		}
		for p := range paths {
			args = append(args, p)
		}
		_, file, _, _ := runtime.Caller(0)
		goCmd := os.Getenv("GO")
		if goCmd == "" {
			goCmd = "go"
		}
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = filepath.Join(filepath.Dir(file), "..", "..", "..")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			exportsErr = fmt.Errorf("go list -export: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		exports = map[string]string{}
		for _, line := range strings.Split(string(out), "\n") {
			if p, f, ok := strings.Cut(line, "\t"); ok && f != "" {
				exports[p] = f
			}
		}
	})
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if f, ok := exports[path]; ok {
			return os.Open(f)
		}
		if exportsErr != nil {
			return nil, exportsErr
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
}
