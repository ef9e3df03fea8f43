package npz

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/testutil"
)

// mustModel is a two-layer model, with peepholes for frames (5, 6) if peep.
func mustModel(t *testing.T, peep bool) *convlstm.ConvLSTM {
	t.Helper()
	m, err := convlstm.New(convlstm.Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {1, 3}}, NumLayers: 2,
		BatchFirst: true, Bias: true, Peephole: peep, ImageSize: [2]int{5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	rng, sd := rand.New(rand.NewSource(1)), m.StateDict()
	for _, k := range slices.Sorted(maps.Keys(sd)) { // the peepholes start at zero: make them count
		for i, p := 0, sd[k]; i < len(p.Data); i++ {
			p.Data[i] = float32(rng.Float64()*2 - 1)
		}
	}
	return m
}

// wantErr and noPanic are the assertions the core's tests use too.
var wantErr, noPanic = testutil.WantErr, testutil.NoPanic

// sameWeights fails unless a and b hold the same state_dict, bit for bit.
func sameWeights(t *testing.T, a, b *convlstm.ConvLSTM) {
	t.Helper()
	sa, sb := a.StateDict(), b.StateDict()
	if len(sa) != len(sb) {
		t.Fatalf("%d keys, want %d", len(sb), len(sa))
	}
	for k, v := range sa {
		w := sb[k]
		if w == nil || !convlstm.SameShape(v.Shape, w.Shape) || len(v.Data) != len(w.Data) {
			t.Fatalf("%s differs", k)
		}
		for i := range v.Data {
			if math.Float32bits(v.Data[i]) != math.Float32bits(w.Data[i]) {
				t.Fatalf("%s[%d] = %g, want %g", k, i, w.Data[i], v.Data[i])
			}
		}
	}
}

// A state_dict round trip through an .npz file, with and without
// peepholes, reloads every weight exactly; a model with other parameters
// refuses the file, naming them.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	paths := map[bool]string{}
	for _, peep := range []bool{false, true} {
		m := mustModel(t, peep)
		paths[peep] = filepath.Join(dir, fmt.Sprint(peep, ".npz"))
		if err := Save(m, paths[peep]); err != nil {
			t.Fatal(err)
		}
		convlstm.ManualSeed(99)
		m2, err := convlstm.New(m.Config)
		if err != nil {
			t.Fatal(err)
		}
		if err := Load(m2, paths[peep]); err != nil {
			t.Fatal(err)
		}
		sameWeights(t, m, m2)
	}
	// A seed model refuses the peephole file, and a peephole model a seed file.
	wantErr(t, Load(mustModel(t, false), paths[true]), "W_ci")
	wantErr(t, Load(mustModel(t, true), paths[false]), "W_c")
	// The wrong image size is named.
	cfg := mustModel(t, true).Config
	cfg.ImageSize = [2]int{5, 7}
	m3, err := convlstm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, Load(m3, paths[true]), "W_c", "5 7", "5 6")
}

// Load names the key and shapes of a wrong file, a file that is no .npz,
// and a missing file; a damaged .npy header inside a valid zip is an error.
func TestLoadErrors(t *testing.T) {
	m := mustModel(t, false)
	shaped := m.StateDict()
	shaped["cell_list.0.conv.weight"] = convlstm.Zeros(12, 5, 3, 1)
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.npz")
	if err := Write(p, shaped); err != nil {
		t.Fatal(err)
	}
	wantErr(t, Load(m, p), "cell_list.0.conv.weight", "[12 5 3 1]", "bad.npz")
	if err := os.WriteFile(p, []byte("not a zip file"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantErr(t, Load(m, p), "corrupt npz")
	wantErr(t, Load(m, filepath.Join(dir, "absent.npz")), "absent.npz")

	var buf bytes.Buffer
	if err := Encode(&buf, map[string]*convlstm.Tensor{"a": convlstm.Zeros(2)}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	b[bytes.Index(b, []byte("NUMPY"))] = 'X'
	if _, err := Decode(bytes.NewReader(b), int64(len(b))); err == nil {
		t.Error("a damaged .npy header was accepted")
	}
}

// A model, cell or conv that is nil or has a nil part is an error for Save
// and Load (the one of convlstm.ConvLSTM.Check), never a panic; so are nil
// readers and writers.
func TestBrokenModelNoPanic(t *testing.T) {
	models := []struct {
		name  string
		spoil func(m *convlstm.ConvLSTM) *convlstm.ConvLSTM
		parts []string
	}{
		{"nil cell", func(m *convlstm.ConvLSTM) *convlstm.ConvLSTM { m.CellList[1] = nil; return m }, []string{"cell_list.1 is nil"}},
		{"nil conv", func(m *convlstm.ConvLSTM) *convlstm.ConvLSTM { m.CellList[0].Conv = nil; return m }, []string{"cell_list.0", "conv is nil"}},
		{"nil weight", func(m *convlstm.ConvLSTM) *convlstm.ConvLSTM { m.CellList[0].Conv.Weight = nil; return m }, []string{"cell_list.0", "conv.weight is nil"}},
		{"zero value", func(*convlstm.ConvLSTM) *convlstm.ConvLSTM { return &convlstm.ConvLSTM{} }, []string{"input_dim must be positive"}},
		{"nil model", func(*convlstm.ConvLSTM) *convlstm.ConvLSTM { return nil }, []string{"the model is nil"}},
	}
	p := filepath.Join(t.TempDir(), "good.npz")
	if err := Save(mustModel(t, false), p); err != nil {
		t.Fatal(err)
	}
	for _, c := range models {
		t.Run(c.name, func(t *testing.T) {
			m := c.spoil(mustModel(t, false))
			var err error
			noPanic(t, "Save", func() { err = Save(m, p) })
			wantErr(t, err, c.parts...)
			noPanic(t, "Load", func() { err = Load(m, p) })
			wantErr(t, err, c.parts...)
		})
	}
	var err error
	noPanic(t, "Decode(nil)", func() { _, err = Decode(nil, 100) })
	wantErr(t, err, "Decode: r is nil")
	noPanic(t, "Encode(nil)", func() { err = Encode(nil, map[string]*convlstm.Tensor{"a": convlstm.Zeros(1)}) })
	wantErr(t, err, "Encode: w is nil")
	wantErr(t, LoadParams(map[string]*convlstm.Tensor{"a": nil}, p), "a is nil")
}

// A save that fails leaves the file that was there byte for byte, and no
// temporary file beside it.
func TestSaveKeepsOldFile(t *testing.T) {
	m := mustModel(t, false)
	dir := t.TempDir()
	p := filepath.Join(dir, "model.npz")
	if err := Save(m, p); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	broken := mustModel(t, false)
	broken.CellList[0] = nil
	fails := []struct {
		name string
		save func() error
	}{
		{"invalid tensor", func() error {
			return Write(p, map[string]*convlstm.Tensor{"a": {Shape: []int{2}, Data: []float32{1}}})
		}},
		// A key too long for a zip entry's name: the archive writer fails
		// after the first entries are written.
		{"writer error", func() error {
			return Write(p, map[string]*convlstm.Tensor{"a": convlstm.Zeros(1 << 16), strings.Repeat("k", 70000): convlstm.Zeros(1)})
		}},
		{"broken model", func() error { return Save(broken, p) }},
	}
	for _, f := range fails {
		var err error
		noPanic(t, f.name, func() { err = f.save() })
		if err == nil {
			t.Errorf("%s: no error", f.name)
		}
		got, rerr := os.ReadFile(p)
		if rerr != nil || !bytes.Equal(got, old) {
			t.Errorf("%s: the old file was changed (%d bytes, was %d; %v)", f.name, len(got), len(old), rerr)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("%d files in the directory, want only model.npz", len(es))
	}
	convlstm.ManualSeed(5)
	m2, err := convlstm.New(m.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := Load(m2, p); err != nil {
		t.Fatal(err)
	}
	sameWeights(t, m, m2)
}

// FuzzDecode feeds arbitrary bytes to the .npz decoder and, when it
// decodes, to LoadStateDict: errors are fine, panics are not, and memory is
// bounded: with MaxBytes at 256 KiB, the bytes allocated while decoding
// an input of n bytes (every allocation, freed or not, so a bound on the
// peak too; counted by runtime/metrics' /gc/heap/allocs:bytes, see
// decodeAlloc) must be at most the decoded values' own size + 64n + 1 MiB.
// An input over the bound is decoded twice more and the least count kept:
// the decoder is deterministic, while other goroutines' allocations, which
// a GC may flush into the count mid-call, are not. No entry is read into a
// []byte, no array is allocated before the whole archive is checked, and
// overlapping entries are never decoded.
func FuzzDecode(f *testing.F) {
	m, err := convlstm.NewConvLSTM(1, 2, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		f.Fatal(err)
	}
	var good bytes.Buffer
	if err := Encode(&good, m.StateDict()); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	b := append([]byte(nil), good.Bytes()...)
	b[len(b)/2] ^= 0xff
	f.Add(b)
	f.Add(good.Bytes()[:len(good.Bytes())/3])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	bomb := deflated("a.npy", npyBytes(f, 1<<10))
	f.Add(buildZip(bomb, zipEntry{name: "b.npy", usize: bomb.usize, sameAs: 1}))
	for _, name := range []string{"savez_compressed.npz", "npy_v2_v3.npz"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	withLimit(f, 1<<18)
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err, alloc := decodeAlloc(data)
		values := 0
		for _, x := range sd {
			values += 4 * len(x.Data)
		}
		bound := uint64(values) + 64*uint64(len(data)) + 1<<20
		for try := 0; try < 2 && alloc > bound; try++ {
			_, _, again := decodeAlloc(data)
			alloc = min(alloc, again)
		}
		if alloc > bound {
			t.Fatalf("decoding %d bytes (%d of values) allocated %d bytes, more than %d", len(data), values, alloc, bound)
		}
		if err != nil {
			return
		}
		_ = m.LoadStateDict(sd)
	})
}
