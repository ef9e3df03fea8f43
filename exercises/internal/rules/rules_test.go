package rules

import (
	"strings"
	"testing"
)

// TestCheck runs the rules on exercise 06's folder with its stub replaced by
// small files, each breaking one rule (or none); the fixtures in
// exercises/*/testdata do the same on whole wrong solutions. The student's
// own layers.go plays no part.
func TestCheck(t *testing.T) {
	folder, err := ReadDir("../../06-layer-loop")
	if err != nil {
		t.Fatal(err)
	}
	if sol, ok := folder["layers_solution.go"]; ok {
		folder["layers.go"] = sol
		if err := Check("06-layer-loop", folder); err != nil {
			t.Fatalf("the reference solution, as the stub, breaks the rules: %v", err)
		}
	}
	const head = "package layerloop\n\nimport \"example.com/convlstm/convlstm\"\n\n"
	for _, c := range []struct{ src, want string }{
		{head + "func F(m *convlstm.ConvLSTM) bool { return m.BatchFirst && len(m.CellList) > 0 }\n", ""},
		{head + "func F(c *convlstm.Cell, x *convlstm.Tensor) { c.Forward(x, convlstm.State{}) }\n", ""},
		{head + "func F(m *convlstm.ConvLSTM, x *convlstm.Tensor) { m.Forward(x, nil) }\n", "uses convlstm.ConvLSTM.Forward"},
		{head + "type w struct{ *convlstm.ConvLSTM }\n\nfunc F(m *convlstm.ConvLSTM, x *convlstm.Tensor) { w{m}.Forward(x, nil) }\n", "uses convlstm.ConvLSTM.Forward"},
		{head + "var f = convlstm.Permute10\n", "uses convlstm.Permute10"},
		{head + "func F(m *convlstm.ConvLSTM) { _ = m.Forward }\n", "uses convlstm.ConvLSTM.Forward"},
		{head + "func init() {}\n", "an init function"},
		{head + "type I interface{ M() }\n", "an interface type"},
		{head + "func F[T any](x T) T { return x }\n", "type parameters"},
		{head + "//go:noinline\nfunc F() {}\n", "//go:noinline"},
		{"package layerloop\n\nimport \"os\"\n\nvar _ = os.Args\n", `imports "os"`},
		{head + "func F() { x := 1 }\n", "does not compile"},
	} {
		files := map[string][]byte{}
		for k, v := range folder {
			files[k] = v
		}
		files["layers.go"] = []byte(c.src)
		err := Check("06-layer-loop", files)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: want no broken rule, got %v", c.src, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: want a broken rule with %q, got %v", c.src, c.want, err)
		}
	}
	folder["helper.go"] = []byte("package layerloop\n")
	if err := Check("06-layer-loop", folder); err == nil || !strings.Contains(err.Error(), "helper.go: this folder may hold only") {
		t.Errorf("an extra file: got %v", err)
	}
}
