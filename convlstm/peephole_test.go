package convlstm

import (
	"encoding/json"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// peepModel builds a two-layer peephole model for frames of 5x6 with
// random peephole weights.
func peepModel(t *testing.T, batchFirst bool) *ConvLSTM {
	t.Helper()
	ManualSeed(7)
	m, err := New(Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {1, 3}}, NumLayers: 2,
		BatchFirst: batchFirst, Bias: true, Peephole: true, ImageSize: [2]int{5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for _, c := range m.CellList {
		for _, p := range []*Tensor{c.WCi, c.WCf, c.WCo} {
			for i := range p.Data {
				p.Data[i] = float32(rng.Float64()*2 - 1)
			}
		}
	}
	return m
}

func randInput(seed int64, shape ...int) *Tensor {
	rng := rand.New(rand.NewSource(seed))
	x := Zeros(shape...)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestPeepholeZeroIsSeed: a fresh peephole model (zero W_c*) computes what
// the seed's model with the same conv weights computes, bit for bit.
func TestPeepholeZeroIsSeed(t *testing.T) {
	cfg := Config{InputDim: 2, HiddenDim: []int{3}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true}
	ManualSeed(3)
	seed, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Peephole, cfg.ImageSize = true, [2]int{4, 5}
	ManualSeed(3)
	peep, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(1, 2, 3, 2, 4, 5)
	a, _, err := seed.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := peep.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	var maxd float64
	for i := range a[0].Data {
		maxd = math.Max(maxd, math.Abs(float64(a[0].Data[i]-b[0].Data[i])))
	}
	t.Logf("max |seed - peephole with zero W_c*| = %g", maxd)
	if maxd != 0 {
		t.Fatal("a zero-peephole model differs from the seed's model")
	}
}

// TestPeepholeStep replays one peephole step by hand from the paper's
// equations in float64 and compares (tolerance 1e-6 absolute).
func TestPeepholeStep(t *testing.T) {
	m := peepModel(t, true)
	c := m.CellList[0]
	x := randInput(2, 2, 2, 5, 6)
	st := State{H: randInput(3, 2, 3, 5, 6), C: randInput(4, 2, 3, 5, 6)}
	s, err := c.ForwardGates(x, st)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := c.Conv.Forward(cat1(x, st.H))
	if err != nil {
		t.Fatal(err)
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	hw, hid := 30, 3
	var maxd float64
	for b := 0; b < 2; b++ {
		for j := 0; j < hid; j++ {
			for p := 0; p < hw; p++ {
				g := func(k int) float64 { return float64(cc.Data[(b*4*hid+k*hid+j)*hw+p]) }
				w := func(t *Tensor) float64 { return float64(t.Data[j*hw+p]) }
				k := (b*hid+j)*hw + p
				cp := float64(st.C.Data[k])
				i := sig(g(0) + w(c.WCi)*cp)
				f := sig(g(1) + w(c.WCf)*cp)
				cn := f*cp + i*math.Tanh(g(3))
				o := sig(g(2) + w(c.WCo)*cn)
				h := o * math.Tanh(cn)
				for _, d := range []float64{cn - float64(s.C.Data[k]), h - float64(s.H.Data[k]), o - float64(s.O.Data[k])} {
					maxd = math.Max(maxd, math.Abs(d))
				}
			}
		}
	}
	t.Logf("max |Go - float64 replay of the paper's equations| = %.3g (tolerance 1e-6)", maxd)
	if !(maxd <= 1e-6) {
		t.Fatal("peephole step differs from the paper's equations")
	}
}

func TestPeepholeStateDict(t *testing.T) {
	m := peepModel(t, true)
	var keys []string
	for k := range m.StateDict() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "cell_list.0.W_cf cell_list.0.W_ci cell_list.0.W_co cell_list.0.conv.bias cell_list.0.conv.weight " +
		"cell_list.1.W_cf cell_list.1.W_ci cell_list.1.W_co cell_list.1.conv.bias cell_list.1.conv.weight"
	if got := strings.Join(keys, " "); got != want {
		t.Fatalf("state_dict keys %s, want %s", got, want)
	}
	if s := m.StateDict()["cell_list.1.W_co"].Shape; !SameShape(s, []int{4, 5, 6}) {
		t.Fatalf("W_co shape %v, want [4 5 6]", s)
	}
}

func equalData(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

func TestPeepholeConfigJSON(t *testing.T) {
	var cfg Config
	if err := json.Unmarshal([]byte(`{"input_dim": 1, "hidden_dim": [2], "kernel_size": [[3, 3]], "num_layers": 1, "peephole": true, "image_size": [4, 6]}`), &cfg); err != nil {
		t.Fatal(err)
	}
	if !cfg.Peephole || cfg.ImageSize != [2]int{4, 6} {
		t.Fatalf("decoded %+v", cfg)
	}
	seed, _ := json.Marshal(Config{InputDim: 1, HiddenDim: []int{2}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1})
	if strings.Contains(string(seed), "peephole") || strings.Contains(string(seed), "image_size") {
		t.Fatalf("a seed config marshals the peephole keys: %s", seed)
	}
}

func TestPeepholeErrors(t *testing.T) {
	_, err := New(Config{InputDim: 1, HiddenDim: []int{2}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, Peephole: true})
	wantErr(t, err, "image_size must be positive", "peephole", "[0 0]")
	_, err = NewPeepholeCell(1, 2, [2]int{3, 3}, true, [2]int{0, 4})
	wantErr(t, err, "NewPeepholeCell", "size 0")

	for _, bf := range []bool{true, false} {
		m := peepModel(t, bf)
		shape := []int{3, 2, 2, 5, 7}
		if bf {
			shape = []int{2, 3, 2, 5, 7}
		}
		_, _, err = m.Forward(Zeros(shape...), nil)
		wantErr(t, err, "input_tensor", "(5, 7)", "peephole", "image_size [5 6]")
	}
	m := peepModel(t, true)
	_, err = m.CellList[0].Forward(Zeros(1, 2, 6, 6), State{H: Zeros(1, 3, 6, 6), C: Zeros(1, 3, 6, 6)})
	wantErr(t, err, "input_tensor", "(6, 6)", "peephole cell", "image_size [5 6]", "[3 5 6]")

	x := Zeros(1, 2, 2, 5, 6)
	bad := []struct {
		name  string
		spoil func(m *ConvLSTM)
		parts []string
	}{
		{"W_cf nil", func(m *ConvLSTM) { m.CellList[0].WCf = nil }, []string{"cell_list.0", "W_cf", "[]", "needs W_ci, W_cf and W_co"}},
		{"W_ci nil", func(m *ConvLSTM) { m.CellList[1].WCi = nil }, []string{"cell_list.1", "W_ci"}},
		{"W_co wrong shape", func(m *ConvLSTM) { m.CellList[0].WCo = Zeros(3, 5, 7) }, []string{"W_co", "[3 5 7]"}},
		{"W_ci short data", func(m *ConvLSTM) { m.CellList[0].WCi.Data = m.CellList[0].WCi.Data[1:] }, []string{"W_ci"}},
		{"peepholes removed", func(m *ConvLSTM) {
			c := m.CellList[1]
			c.WCi, c.WCf, c.WCo = nil, nil, nil
		}, []string{"cell_list.1", "peephole true", "[0 0]"}},
		{"config flag off", func(m *ConvLSTM) { m.Peephole = false }, []string{"cell_list.0", "peephole false"}},
		{"image size changed", func(m *ConvLSTM) { m.ImageSize = [2]int{5, 5} }, []string{"image_size [5 5]", "[5 6]"}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			m := peepModel(t, true)
			b.spoil(m)
			_, _, err := m.Forward(x, nil)
			wantErr(t, err, b.parts...)
		})
	}
}
