// Package rules checks that an exercise folder is written by hand: what a
// student's file may use is an allow-list, not a list of forbidden calls.
//
// An exercise folder may hold only its README.md, the stub (e.g. gates.go),
// the stub's test file (gates_test.go), the reference solution
// (gates_solution.go), testdata/ and dot-files (which the go tool never
// reads). Any other file, a new .go or _test.go file, a cgo or assembly
// file, is an error that names it.
//
// The stub and the solution file are then read from disk and must:
//   - import only the exercise's allowed packages (Table),
//   - use from those packages only the allowed names (go/types resolves
//     every identifier, so aliases, dot imports, embedded fields and method
//     values are seen for what they are),
//   - type-check (a file that does not is an error, not a weaker check),
//   - declare no init function, no interface type and no type parameter
//     (an interface or a generic constraint would call a library method
//     under a name of the student's own),
//   - hold no //go: directive other than //go:build (no go:linkname).
//
// Nothing the student writes runs before this check: `make exercise`,
// `make exercises` and the fixture runner run it in their own process
// before go test compiles the folder, and the tests run it again on the
// folder found from the source path compiled into the check package, which
// a file that may import only fmt, math and errors cannot change.
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
	Stub  string              // the stub's base name without .go, e.g. "gates"
	Allow map[string][]string // import path -> names it may use ("*": all); Type.Method for methods
}

// tensor is what every exercise with tensors may use of convlstm: the type,
// its fields, constructors and small accessors.
var tensor = []string{"Tensor", "Tensor.Dim", "Tensor.Numel", "Tensor.Size", "Tensor.At", "Tensor.Set",
	"Tensor.Clone", "Zeros", "NewTensor", "FromSlice", "SameShape"}

func allow(lib ...string) map[string][]string {
	m := map[string][]string{"fmt": {"*"}, "math": {"*"}, "errors": {"*"}, checkPath: {"ErrNotImplemented"}}
	if len(lib) > 0 {
		m[libPath] = append([]string{}, tensor...)
		for _, n := range lib {
			if n != "Tensor" { // in tensor already
				m[libPath] = append(m[libPath], n)
			}
		}
	}
	return m
}

// Table lists the exercises by folder name.
var Table = map[string]Exercise{
	"01-padding":      {"padding", allow()},
	"02-naive-conv":   {"conv", allow("Tensor")},
	"03-gate-split":   {"gates", allow("Tensor")},
	"04-cell-step":    {"cell", allow("Conv2d", "Sigmoid", "Tanh")},
	"05-hidden-state": {"state", allow("State", "Cell", "Cell.Forward")},
	"06-layer-loop":   {"layers", allow("State", "Cell", "Cell.Forward", "Cell.InitHidden", "ConvLSTM")},
	"07-im2col-gemm": {"im2col", func() map[string][]string {
		m := allow("Tensor")
		m[matPath] = []string{"Matrix", "New", "Wrap", "Matrix.Rows", "Matrix.Cols", "Matrix.At", "Matrix.Set"}
		return m
	}()},
}

// CheckDir checks the exercise folder dir as it is on disk.
func CheckDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			files[e.Name()+"/"] = nil
			continue
		}
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return Check(filepath.Base(dir), files)
}

// Check checks the files of the exercise folder name (base name -> content;
// a directory is "name/"). Its error lists every broken rule, one a line,
// each starting with Marker and naming the file.
func Check(name string, files map[string][]byte) error {
	ex, ok := Table[name]
	if !ok {
		return fmt.Errorf("rules: no exercise %q in the table of exercises/internal/rules", name)
	}
	var probs []string
	var names []string
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		switch f {
		case "README.md", "testdata/", ex.Stub + ".go", ex.Stub + "_test.go", ex.Stub + "_solution.go":
			continue
		}
		if strings.HasPrefix(f, ".") {
			continue
		}
		probs = append(probs, fmt.Sprintf("%s: %s: this folder may hold only README.md, %s.go (your file), %s_test.go, %s_solution.go and testdata/; "+
			"move or delete this one (the checks do not run extra files)", Marker, f, ex.Stub, ex.Stub, ex.Stub))
	}
	for _, f := range []string{ex.Stub + ".go", ex.Stub + "_solution.go"} {
		if src, ok := files[f]; ok {
			probs = append(probs, checkFile(f, src, ex.Allow)...)
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "\n"))
	}
	return nil
}

// checkFile checks one Go file of the exercise.
func checkFile(name string, src []byte, allowed map[string][]string) []string {
	var probs []string
	bad := func(pos token.Pos, fset *token.FileSet, format string, args ...any) {
		where := name
		if pos.IsValid() {
			where = fmt.Sprintf("%s:%d", name, fset.Position(pos).Line)
		}
		probs = append(probs, fmt.Sprintf("%s: %s: %s", Marker, where, fmt.Sprintf(format, args...)))
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		bad(token.NoPos, fset, "does not parse: %v", err)
		return probs
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:") && !strings.HasPrefix(c.Text, "//go:build ") {
				bad(c.Pos(), fset, "the directive %q is not allowed in an exercise (only //go:build)", strings.Fields(c.Text)[0])
			}
		}
	}
	var paths []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if _, ok := allowed[p]; !ok {
			bad(im.Pos(), fset, "imports %q; this exercise may import only %s", p, importList(allowed))
			continue
		}
		paths = append(paths, p)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv == nil && n.Name.Name == "init" {
				bad(n.Pos(), fset, "an init function is not allowed in an exercise: set things up inside your functions")
			}
			if n.Type.TypeParams != nil {
				bad(n.Pos(), fset, "%s has type parameters: generics are not needed here and are not allowed", n.Name.Name)
			}
		case *ast.TypeSpec:
			if n.TypeParams != nil {
				bad(n.Pos(), fset, "type %s has type parameters: generics are not needed here and are not allowed", n.Name.Name)
			}
		case *ast.InterfaceType:
			bad(n.Pos(), fset, "an interface type is not allowed in an exercise: call concrete functions only")
		}
		return true
	})
	if len(probs) > 0 {
		return probs // the imports may not even type-check
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: exportImporter(fset, paths)}
	if _, err := conf.Check("exercise", fset, []*ast.File{f}, info); err != nil {
		bad(token.NoPos, fset, "does not compile (go/types: %v); the rules are checked on a file that compiles", err)
		return probs
	}
	seen := map[string]bool{}
	ids := make([]*ast.Ident, 0, len(info.Uses))
	for id := range info.Uses {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	for _, id := range ids {
		obj := info.Uses[id]
		if obj.Pkg() == nil || obj.Pkg().Path() == "exercise" {
			continue // predeclared, or the student's own
		}
		if _, ok := obj.(*types.PkgName); ok {
			continue
		}
		qual := qualName(obj)
		if ok, why := allowedUse(allowed[obj.Pkg().Path()], obj, qual); !ok && !seen[qual] {
			seen[qual] = true
			bad(id.Pos(), fset, "uses %s.%s%s: this exercise may use only %s", obj.Pkg().Name(), qual, why, nameList(allowed))
		}
	}
	return probs
}

// qualName is Name, or Type.Method for a method.
func qualName(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok {
		return obj.Name()
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return obj.Name()
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return "(interface)." + fn.Name()
}

// allowedUse reports whether obj (named qual) is in the list. Fields of the
// allowed packages' types are data and allowed, unless they hold a function.
func allowedUse(list []string, obj types.Object, qual string) (bool, string) {
	if v, ok := obj.(*types.Var); ok && v.IsField() {
		if _, isFunc := v.Type().Underlying().(*types.Signature); isFunc {
			return false, " (a field that holds a function)"
		}
		return len(list) > 0, ""
	}
	for _, a := range list {
		if a == "*" || a == qual {
			return true, ""
		}
	}
	return false, ""
}

func importList(allowed map[string][]string) string {
	var ps []string
	for p := range allowed {
		ps = append(ps, strconv.Quote(p))
	}
	sort.Strings(ps)
	return strings.Join(ps, ", ")
}

func nameList(allowed map[string][]string) string {
	var out []string
	for p, names := range allowed {
		short := p[strings.LastIndex(p, "/")+1:]
		if len(names) == 1 && names[0] == "*" {
			out = append(out, short+".*")
			continue
		}
		for _, n := range names {
			out = append(out, short+"."+n)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

var (
	exportMu sync.Mutex
	exports  = map[string]string{} // import path -> export data file
)

// exportImporter imports the given packages from the export data that
// `go list -export` writes into the build cache.
func exportImporter(fset *token.FileSet, paths []string) types.Importer {
	exportMu.Lock()
	defer exportMu.Unlock()
	var missing []string
	for _, p := range paths {
		if _, ok := exports[p]; !ok {
			missing = append(missing, p)
		}
	}
	var listErr error
	if len(missing) > 0 {
		cmd := exec.Command(goTool(), append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, missing...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Dir = moduleRoot()
		out, err := cmd.Output()
		if err != nil {
			listErr = fmt.Errorf("go list -export: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		for _, line := range strings.Split(string(out), "\n") {
			if p, file, ok := strings.Cut(line, "\t"); ok && file != "" {
				exports[p] = file
			}
		}
	}
	files := map[string]string{}
	for p, f := range exports {
		files[p] = f
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if f, ok := files[path]; ok {
			return os.Open(f)
		}
		if listErr != nil {
			return nil, listErr
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
}

// moduleRoot is the repository root, from the path of this source file as
// the compiler recorded it: `go list` runs there whatever the working
// directory is.
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// goTool is $GO if set, else go.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
