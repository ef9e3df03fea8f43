package check

import (
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/golden"
)

// Rand returns a tensor of the given shape with values drawn uniformly
// from [-1, 1).
func Rand(rng *rand.Rand, shape ...int) *convlstm.Tensor {
	x := convlstm.Zeros(shape...)
	for i := range x.Data {
		x.Data[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

// Golden is one case of testdata/golden (package convlstm/golden, the
// project's one golden loader), with accessors that fail the test instead
// of returning errors.
type Golden struct {
	*golden.Case
}

// GoldenNames lists the golden cases.
func GoldenNames(t testing.TB) []string {
	t.Helper()
	root, err := golden.Dir()
	if err != nil {
		t.Fatal(err)
	}
	names, err := golden.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// LoadGolden reads config.json and tensors.npz of one case.
func LoadGolden(t testing.TB, name string) *Golden {
	t.Helper()
	root, err := golden.Dir()
	if err != nil {
		t.Fatal(err)
	}
	gc, err := golden.Load(root, name)
	if err != nil {
		t.Fatal(err)
	}
	return &Golden{gc}
}

// T returns the tensor stored under key, failing the test if it is absent.
func (g *Golden) T(t testing.TB, key string) *convlstm.Tensor {
	t.Helper()
	x, ok := g.Tensors[key]
	if !ok {
		t.Fatalf("golden case %s has no tensor %q", g.Name, key)
	}
	return x
}

// Model builds the case's ConvLSTM with the project's constructor and loads
// PyTorch's weights into it. Its Forward is the readable port the exercises
// rebuild.
func (g *Golden) Model(t testing.TB) *convlstm.ConvLSTM {
	t.Helper()
	m, err := g.Case.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// HiddenState returns the case's initial (h, c) per layer, or nil when the
// case starts from zeros.
func (g *Golden) HiddenState(t testing.TB) []convlstm.State {
	t.Helper()
	hs, err := g.Case.HiddenState()
	if err != nil {
		t.Fatal(err)
	}
	return hs
}
