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

// ConvCase draws a test convolution from rng, in this order: x (b, cin,
// h, w), the weight (cout, cin, kh, kw) and, withBias, a bias (cout), else
// nil. It returns them with want, their convolution by the project's
// convlstm.Conv2d.
func ConvCase(t testing.TB, rng *rand.Rand, b, cin, h, w, cout, kh, kw int, withBias bool) (x, weight, bias, want *convlstm.Tensor) {
	t.Helper()
	x, weight = Rand(rng, b, cin, h, w), Rand(rng, cout, cin, kh, kw)
	if withBias {
		bias = Rand(rng, cout)
	}
	want, err := convlstm.Conv2d(x, weight, bias)
	fatalIf(t, err)
	return x, weight, bias, want
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
	fatalIf(t, err)
	names, err := golden.Names(root)
	fatalIf(t, err)
	return names
}

// LoadGolden reads config.json and tensors.npz of one case.
func LoadGolden(t testing.TB, name string) *Golden {
	t.Helper()
	return &Golden{golden.CasesFor(t, name)[0]}
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
	fatalIf(t, err)
	return m
}

// HiddenState returns the case's initial (h, c) per layer, or nil when the
// case starts from zeros.
func (g *Golden) HiddenState(t testing.TB) []convlstm.State {
	t.Helper()
	hs, err := g.Case.HiddenState()
	fatalIf(t, err)
	return hs
}

// fatalIf stops the test at a loader's error.
func fatalIf(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
