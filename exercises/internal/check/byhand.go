package check

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
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
	"testing"
)

// The checks compare values, and a student who calls the library's own
// implementation of what an exercise asks for gets the right values without
// writing anything. ByHand reads the student's source (go/parser, go/types)
// and fails the check when the function under test, or any function of the
// exercise it calls, uses one of the forbidden library functions.
//
// A forbidden name is written with the short name of a project package:
//
//	convlstm.Split1          a package-level function (or type, or variable)
//	convlstm.Cell.Forward    a method, by its receiver's type name
//	fast.*                   everything the package exports
//
// The short names are those of forbiddenPkgs.

// SourceEnv names a Go file to read instead of the exercise's own files. The
// fixture runner (exercises/internal/fixtures) builds a fixture in place of
// the stub with `go test -overlay` and sets it, so that ByHand reads the
// code that was compiled.
const SourceEnv = "CONVLSTM_EXERCISE_SOURCE"

// ByHandMarker starts the failure message of a check whose function calls a
// forbidden library function.
const ByHandMarker = "WRITE IT BY HAND"

// forbiddenPkgs maps the short names usable in a forbidden name to import
// paths.
var forbiddenPkgs = map[string]string{
	"convlstm": "example.com/convlstm/convlstm",
	"fast":     "example.com/convlstm/convlstm/fast",
	"bptt":     "example.com/convlstm/convlstm/bptt",
	"train":    "example.com/convlstm/convlstm/train",
	"golden":   "example.com/convlstm/convlstm/golden",
	"gonum":    "gonum.org/v1/gonum/...", // a path ending in /... stands for every package below it
}

// inPkg reports whether the import path p is the forbidden package path
// (or below it, for a path ending in /...).
func inPkg(p, path string) bool {
	if prefix, ok := strings.CutSuffix(path, "/..."); ok {
		return p == prefix || strings.HasPrefix(p, prefix+"/")
	}
	return p == path
}

// Use is one reference from the student's code to a function (or other
// object) of another package.
type Use struct {
	In   string // the student's function that holds the reference
	Name string // e.g. convlstm.Split1 or convlstm.Cell.Forward
	Path string // import path of the package that declares it
	Pos  token.Position
}

// Source is the parsed and (when possible) type-checked code of one
// exercise package, without its tests.
type Source struct {
	Files   []string
	fset    *token.FileSet
	decls   map[string]ast.Node // top-level function (Name or Recv.Name) or package variable -> declaration
	calls   map[string][]string // declaration name -> top-level names it refers to
	uses    map[string][]Use    // declaration name -> references to other packages
	TypeErr error               // why methods could not be resolved (nil when they could)
	byObj   map[types.Object]string
}

var (
	srcOnce sync.Once
	srcVal  *Source
	srcErr  error
)

// StudentSource parses the exercise's code that this test binary compiled:
// the file named by $CONVLSTM_EXERCISE_SOURCE if set, else the non-test Go
// files of the current directory that the build tags select (the stub, or
// the student's version of it, or with -tags solution the reference
// solution). The result is cached.
func StudentSource() (*Source, error) {
	srcOnce.Do(func() {
		files, err := studentFiles()
		if err != nil {
			srcErr = err
			return
		}
		srcVal, srcErr = LoadSource(files...)
	})
	return srcVal, srcErr
}

func studentFiles() ([]string, error) {
	if f := os.Getenv(SourceEnv); f != "" {
		return []string{f}, nil
	}
	ctx := build.Default
	if SolutionBuild {
		ctx.BuildTags = append(ctx.BuildTags, "solution")
	}
	pkg, err := ctx.ImportDir(".", 0)
	if err != nil {
		return nil, fmt.Errorf("reading the exercise's Go files: %v", err)
	}
	if len(pkg.GoFiles) == 0 {
		return nil, fmt.Errorf("no Go files in the exercise folder")
	}
	files := make([]string, len(pkg.GoFiles))
	for i, f := range pkg.GoFiles {
		files[i] = filepath.Join(pkg.Dir, f)
	}
	return files, nil
}

// LoadSource parses the given files as one package and records, for every
// top-level function and package variable, which other top-level names and
// which objects of other packages it refers to.
func LoadSource(files ...string) (*Source, error) {
	s := &Source{
		Files: files, fset: token.NewFileSet(),
		decls: map[string]ast.Node{}, calls: map[string][]string{}, uses: map[string][]Use{},
		byObj: map[types.Object]string{},
	}
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(s.fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				s.decls[funcName(d)] = d
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for _, n := range vs.Names {
							s.decls[n.Name] = vs
						}
					}
				}
			}
		}
	}
	info, err := typeCheck(s.fset, parsed)
	if err != nil {
		s.TypeErr = err
		s.syntactic(parsed)
		return s, nil
	}
	s.typed(parsed, info)
	return s, nil
}

func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// typeCheck type-checks the files with the export data of their imports,
// which `go list -export` provides (from the build cache, so it is quick).
func typeCheck(fset *token.FileSet, files []*ast.File) (*types.Info, error) {
	var paths []string
	seen := map[string]bool{}
	for _, f := range files {
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if p != "" && p != "unsafe" && p != "C" && !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	exports := map[string]string{}
	if len(paths) > 0 {
		args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, paths...)
		cmd := exec.Command(goTool(), args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go list -export: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		for _, line := range strings.Split(string(out), "\n") {
			if p, file, ok := strings.Cut(line, "\t"); ok && file != "" {
				exports[p] = file
			}
		}
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup)}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	if _, err := conf.Check("student", fset, files, info); err != nil {
		return nil, err
	}
	return info, nil
}

// goTool returns the go command: the one on PATH, else the one of the
// toolchain that built this binary.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		if p, err := exec.LookPath(g); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// typed records references with full type information: methods are known
// by their receiver type, aliases and dot imports are resolved.
func (s *Source) typed(files []*ast.File, info *types.Info) {
	for id, obj := range info.Defs {
		if obj == nil || obj.Parent() != obj.Pkg().Scope() && !isMethod(obj) {
			continue
		}
		name := id.Name
		if fn, ok := obj.(*types.Func); ok && isMethod(fn) {
			name = recvName(fn) + "." + fn.Name()
		}
		if _, ok := s.decls[name]; ok {
			s.byObj[obj] = name
		}
	}
	for name, node := range s.decls {
		ast.Inspect(node, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := info.Uses[id]
			if obj == nil || obj.Pkg() == nil {
				return true
			}
			if own, ok := s.byObj[obj]; ok {
				s.calls[name] = append(s.calls[name], own)
				return true
			}
			if obj.Pkg().Path() == "student" {
				return true
			}
			qual := obj.Pkg().Name() + "." + obj.Name()
			if fn, ok := obj.(*types.Func); ok && isMethod(fn) {
				qual = obj.Pkg().Name() + "." + recvName(fn) + "." + fn.Name()
			}
			s.uses[name] = append(s.uses[name], Use{In: name, Name: qual, Path: obj.Pkg().Path(), Pos: s.fset.Position(id.Pos())})
			return true
		})
	}
}

func isMethod(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	return ok && fn.Type().(*types.Signature).Recv() != nil
}

func recvName(fn *types.Func) string {
	t := fn.Type().(*types.Signature).Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return t.String()
}

// syntactic is the fallback when the files cannot be type-checked: it finds
// qualified identifiers pkg.Name through the files' imports (methods are
// then not resolved).
func (s *Source) syntactic(files []*ast.File) {
	for _, f := range files {
		imports := map[string]string{} // local name -> path
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			local := p[strings.LastIndex(p, "/")+1:]
			if im.Name != nil {
				local = im.Name.Name
			}
			imports[local] = p
		}
		for name, node := range s.decls {
			if s.fset.File(node.Pos()).Name() != s.fset.File(f.Pos()).Name() {
				continue
			}
			ast.Inspect(node, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok {
						if p, ok := imports[x.Name]; ok {
							s.uses[name] = append(s.uses[name], Use{In: name, Name: p[strings.LastIndex(p, "/")+1:] + "." + n.Sel.Name, Path: p, Pos: s.fset.Position(n.Sel.Pos())})
						}
					}
				case *ast.Ident:
					if _, ok := s.decls[n.Name]; ok && n.Name != name {
						s.calls[name] = append(s.calls[name], n.Name)
					}
				}
				return true
			})
		}
	}
}

// Reachable returns the references to other packages made by fn and by
// every function or package variable of the exercise that fn reaches.
func (s *Source) Reachable(fn string) []Use {
	seen := map[string]bool{}
	var out []Use
	var visit func(string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		out = append(out, s.uses[name]...)
		for _, c := range s.calls[name] {
			visit(c)
		}
	}
	visit(fn)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos.Filename != out[j].Pos.Filename {
			return out[i].Pos.Filename < out[j].Pos.Filename
		}
		return out[i].Pos.Offset < out[j].Pos.Offset
	})
	return out
}

// Has reports whether the exercise declares fn.
func (s *Source) Has(fn string) bool {
	_, ok := s.decls[fn]
	return ok
}

// Forbidden returns the references of fn (and what it reaches) that match
// one of the forbidden names.
func (s *Source) Forbidden(fn string, forbidden ...string) []Use {
	var bad []Use
	for _, u := range s.Reachable(fn) {
		for _, f := range forbidden {
			if matchForbidden(f, u) {
				bad = append(bad, u)
				break
			}
		}
	}
	return bad
}

// matchForbidden reports whether the use u matches the forbidden name f.
func matchForbidden(f string, u Use) bool {
	short, rest, ok := strings.Cut(f, ".")
	if !ok {
		return false
	}
	path, ok := forbiddenPkgs[short]
	if !ok || !inPkg(u.Path, path) {
		return false
	}
	if rest == "*" {
		return true
	}
	_, name, _ := strings.Cut(u.Name, ".") // drop the package's own name
	return name == rest
}

// ByHand fails the test when fn (a function of the exercise, or Type.Method)
// or anything of the exercise it calls refers to one of the forbidden
// library functions (see the top of this file for the notation). Call it
// after Started, so that an unfinished stub still shows as not started.
func (e Exercise) ByHand(t testing.TB, fn string, hint int, forbidden ...string) {
	t.Helper()
	for _, f := range forbidden {
		short, rest, ok := strings.Cut(f, ".")
		if _, known := forbiddenPkgs[short]; !ok || !known || rest == "" {
			t.Fatalf("check.ByHand: bad forbidden name %q (want pkg.Name, pkg.Type.Method or pkg.*)", f)
		}
	}
	s, err := StudentSource()
	if err != nil {
		t.Fatalf("check.ByHand: cannot read the exercise's code to see what %s calls: %v", fn, err)
	}
	if !s.Has(fn) {
		t.Fatalf("check.ByHand: no function %s in %s", fn, strings.Join(s.Files, ", "))
	}
	if s.TypeErr != nil {
		t.Logf("note: %s was checked without type information (%v): calls of library methods are not recognised", fn, s.TypeErr)
	}
	bad := s.Forbidden(fn, forbidden...)
	if len(bad) == 0 {
		return
	}
	var where []string
	for _, u := range bad {
		in := ""
		if u.In != fn {
			in = " in " + u.In
		}
		where = append(where, fmt.Sprintf("%s at %s:%d%s", u.Name, filepath.Base(u.Pos.Filename), u.Pos.Line, in))
	}
	t.Fatalf("%s: %s calls the library's own implementation of what this exercise asks you to write: %s. "+
		"Write it by hand; the library's version is what the checks compare with (not allowed here: %s)\n    hint: %s",
		ByHandMarker, fn, strings.Join(where, "; "), strings.Join(forbidden, ", "), e.Hint(hint))
}

// parseAgain parses a file into s's file set (for the tests of the
// syntactic fallback).
func parseAgain(s *Source, name string) ([]*ast.File, error) {
	f, err := parser.ParseFile(s.fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return []*ast.File{f}, nil
}

// Reaches reports whether fn calls (directly or through other functions of
// the exercise) the exercise's function other.
func (s *Source) Reaches(fn, other string) bool {
	seen := map[string]bool{}
	var visit func(string) bool
	visit = func(name string) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		for _, c := range s.calls[name] {
			if c == other || visit(c) {
				return true
			}
		}
		return false
	}
	return visit(fn)
}

// Reaches reports whether the student's fn calls the student's other (see
// Source.Reaches); false when the source cannot be read. Diagnoses use it to
// blame a wrong helper only when the function under test really uses it.
func Reaches(fn, other string) bool {
	s, err := StudentSource()
	return err == nil && s.Reaches(fn, other)
}

// Builds fails the test when fn does not call each of the exercise's own
// functions in own: where a README asks to build one function on others
// (Conv2d on Im2col and MatMul), a rewrite that bypasses them misses the
// point of the exercise even when its values are right.
func (e Exercise) Builds(t testing.TB, fn string, hint int, own ...string) {
	t.Helper()
	s, err := StudentSource()
	if err != nil {
		t.Fatalf("check.Builds: cannot read the exercise's code to see what %s calls: %v", fn, err)
	}
	var missing []string
	for _, o := range own {
		if !s.Reaches(fn, o) {
			missing = append(missing, o)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%s does not call your %s: the exercise is to build it on them (the README's table says so)\n    hint: %s",
			fn, strings.Join(missing, " and "), e.Hint(hint))
	}
}

type forbidRule struct {
	hint      int
	forbidden []string
}

var (
	rulesMu sync.Mutex
	rules   = map[string]forbidRule{} // exercise + "\x00" + function
)

// Forbid registers the library functions fn may not reach (see ByHand) and
// the hint a violation points to. Started and NoError then check them for
// every call of fn a test makes, so no check can be passed by calling the
// library. Call it from the test file's init.
func (e Exercise) Forbid(fn string, hint int, forbidden ...string) {
	rulesMu.Lock()
	defer rulesMu.Unlock()
	rules[string(e)+"\x00"+fn] = forbidRule{hint, forbidden}
}

// checkForbidden runs ByHand for the function a Started description names
// ("SamePadding([3 3])" names SamePadding).
func (e Exercise) checkForbidden(t testing.TB, desc string) {
	t.Helper()
	fn, _, _ := strings.Cut(desc, "(")
	fn = strings.TrimSpace(fn)
	rulesMu.Lock()
	r, ok := rules[string(e)+"\x00"+fn]
	rulesMu.Unlock()
	if ok {
		e.ByHand(t, fn, r.hint, r.forbidden...)
	}
}
