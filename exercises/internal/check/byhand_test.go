package check

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

func loadSample(t *testing.T, file string) *Source {
	t.Helper()
	s, err := LoadSource(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if s.TypeErr != nil {
		t.Fatalf("type check of %s: %v", file, s.TypeErr)
	}
	return s
}

func names(us []Use) string {
	var out []string
	for _, u := range us {
		out = append(out, fmt.Sprintf("%s@%d in %s", u.Name, u.Pos.Line, u.In))
	}
	return strings.Join(out, ", ")
}

func TestForbidden(t *testing.T) {
	s := loadSample(t, "byhand.go.txt")
	cases := []struct {
		fn        string
		forbidden []string
		want      string // the forbidden uses found, as names()
	}{
		{"Direct", []string{"convlstm.Split1"}, "convlstm.Split1@14 in Direct"},
		{"Aliased", []string{"convlstm.Split1"}, "convlstm.Split1@17 in Aliased"},
		{"ViaHelper", []string{"convlstm.Split1"}, "convlstm.Split1@22 in helper"},
		{"ViaVar", []string{"convlstm.Split1"}, "convlstm.Split1@11 in split"},
		{"ViaMethod", []string{"convlstm.Split1"}, "convlstm.Split1@57 in T.Split"},
		{"Allowed", []string{"convlstm.Split1", "convlstm.Cat1", "fast.*"}, ""},
		{"Model", []string{"convlstm.ConvLSTM.Forward"}, "convlstm.ConvLSTM.Forward@37 in Model"},
		{"Model", []string{"convlstm.Cell.Forward"}, ""},
		{"Cells", []string{"convlstm.ConvLSTM.Forward"}, ""},
		{"Cells", []string{"convlstm.Cell.Forward"}, "convlstm.Cell.Forward@42 in Cells"},
		{"MethodValue", []string{"convlstm.ConvLSTM.Forward"}, "convlstm.ConvLSTM.Forward@46 in MethodValue"},
		{"Fast", []string{"fast.*"}, "fast.Forward@50 in Fast"},
		{"Fast", []string{"fast.CellForward"}, ""},
		{"Direct", []string{"convlstm.*"}, "convlstm.Tensor@14 in Direct, convlstm.Tensor@14 in Direct, convlstm.Split1@14 in Direct"},
	}
	for _, c := range cases {
		if got := names(s.Forbidden(c.fn, c.forbidden...)); got != c.want {
			t.Errorf("Forbidden(%s, %v) = %q, want %q", c.fn, c.forbidden, got, c.want)
		}
	}
}

func TestForbiddenDotImport(t *testing.T) {
	s := loadSample(t, "dotimport.go.txt")
	if got, want := names(s.Forbidden("Dot", "convlstm.Split1")), "convlstm.Split1@7 in Dot"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestForbiddenSyntactic: without type information the qualified function
// names are still found (methods are not).
func TestForbiddenSyntactic(t *testing.T) {
	s := loadSample(t, "byhand.go.txt")
	s2 := &Source{fset: s.fset, decls: s.decls, calls: map[string][]string{}, uses: map[string][]Use{}}
	f, err := parseAgain(s2, filepath.Join("testdata", "byhand.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s2.syntactic(f)
	for fn, want := range map[string]string{
		"Direct":    "convlstm.Split1@14 in Direct",
		"Aliased":   "convlstm.Split1@17 in Aliased",
		"ViaHelper": "convlstm.Split1@22 in helper",
		"Fast":      "fast.Forward@50 in Fast",
	} {
		if got := names(s2.Forbidden(fn, "convlstm.Split1", "fast.*")); got != want {
			t.Errorf("syntactic Forbidden(%s) = %q, want %q", fn, got, want)
		}
	}
}

func TestMatchForbidden(t *testing.T) {
	u := Use{Name: "convlstm.Cell.Forward", Path: forbiddenPkgs["convlstm"]}
	for f, want := range map[string]bool{
		"convlstm.Cell.Forward": true, "convlstm.*": true, "convlstm.Forward": false,
		"convlstm.ConvLSTM.Forward": false, "fast.*": false, "nosuch.*": false, "convlstm": false,
	} {
		if got := matchForbidden(f, u); got != want {
			t.Errorf("matchForbidden(%q, %v) = %v, want %v", f, u.Name, got, want)
		}
	}
	g := Use{Name: "mat.Dense.Mul", Path: "gonum.org/v1/gonum/mat"}
	if !matchForbidden("gonum.*", g) || matchForbidden("gonum.*", Use{Name: "x.Y", Path: "gonum.org/v1/gonumx"}) {
		t.Error("gonum.* must match the packages below gonum.org/v1/gonum and nothing else")
	}
}

// TestStudentFiles: the tests of this package run in its folder, where the
// build selects the tag file of the current build.
func TestStudentFiles(t *testing.T) {
	files, err := studentFiles()
	if err != nil {
		t.Fatal(err)
	}
	want := "tags_default.go"
	if SolutionBuild {
		want = "tags_solution.go"
	}
	var base []string
	for _, f := range files {
		base = append(base, filepath.Base(f))
	}
	joined := strings.Join(base, " ")
	if !strings.Contains(joined, want) || strings.Contains(joined, "_test.go") {
		t.Errorf("studentFiles() = %v, want %s and no test files", base, want)
	}
	t.Setenv(SourceEnv, "x/y.go")
	if files, _ := studentFiles(); len(files) != 1 || files[0] != "x/y.go" {
		t.Errorf("with %s set, studentFiles() = %v", SourceEnv, files)
	}
}

func TestShares(t *testing.T) {
	x := convlstm.Zeros(2, 4, 3, 3)
	view := &convlstm.Tensor{Shape: []int{1, 2, 3, 3}, Data: x.Data[18:36]}
	other := &convlstm.Tensor{Shape: []int{1, 2, 3, 3}, Data: x.Data[36:54]}
	for _, c := range []struct {
		a, b *convlstm.Tensor
		want bool
	}{
		{x, x, true}, {x, view, true}, {view, x, true}, {view, other, false},
		{x, x.Clone(), false}, {x, nil, false}, {x, &convlstm.Tensor{}, false},
	} {
		if got := Shares(c.a, c.b); got != c.want {
			t.Errorf("Shares: got %v, want %v", got, c.want)
		}
	}
}

func TestHintTitles(t *testing.T) {
	got, err := HintTitles(filepath.Join("testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: "the first one", 2: "spaces around", 3: ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("HintTitles = %v, want %v", got, want)
	}
}

// TestExerciseHints: every exercise README has Hint 1, 2 and 3, each with a
// title.
func TestExerciseHints(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "[0-9][0-9]-*"))
	if len(dirs) == 0 {
		t.Fatal("no exercise folders found")
	}
	for _, d := range dirs {
		titles, err := HintTitles(filepath.Join(d, "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= 3; n++ {
			if titles[n] == "" {
				t.Errorf("%s/README.md: no title for Hint %d (want a heading \"### Hint %d: <title>\")", d, n, n)
			}
		}
		if len(titles) != 3 {
			t.Errorf("%s/README.md: %d hints, want 3", d, len(titles))
		}
		if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	cases := []struct {
		got, want []float32
		bad       int
	}{
		{[]float32{nan, inf, -inf, 1}, []float32{nan, inf, -inf, 1}, 0},
		{[]float32{nan, 1}, []float32{1, nan}, 2},
		{[]float32{inf, -inf}, []float32{-inf, 1}, 2},
		{[]float32{1, 2.00001}, []float32{1, 2}, 0},
	}
	for i, c := range cases {
		if bad, _, _ := Compare(c.got, c.want, Float32Sum); bad != c.bad {
			t.Errorf("case %d: %d bad, want %d", i, bad, c.bad)
		}
	}
}
