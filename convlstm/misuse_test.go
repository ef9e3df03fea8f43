package convlstm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noPanic runs f and fails the test, instead of crashing it, if f panics.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// TestBrokenModelNoPanic: a model, cell or conv that is nil, zero or has a
// nil part gives errors (String a placeholder), never a panic.
func TestBrokenModelNoPanic(t *testing.T) {
	nilCell := func(t *testing.T) *ConvLSTM { m := mustModel(t, true); m.CellList[1] = nil; return m }
	nilConv := func(t *testing.T) *ConvLSTM { m := mustModel(t, true); m.CellList[0].Conv = nil; return m }
	nilWeight := func(t *testing.T) *ConvLSTM { m := mustModel(t, true); m.CellList[0].Conv.Weight = nil; return m }
	models := []struct {
		name  string
		build func(t *testing.T) *ConvLSTM
		parts []string
	}{
		{"nil cell", nilCell, []string{"cell_list.1 is nil"}},
		{"nil conv", nilConv, []string{"cell_list.0", "conv is nil"}},
		{"nil weight", nilWeight, []string{"cell_list.0", "conv.weight is nil"}},
		{"zero value", func(*testing.T) *ConvLSTM { return &ConvLSTM{} }, []string{"input_dim must be positive"}},
		{"nil model", func(*testing.T) *ConvLSTM { return nil }, []string{"the model is nil"}},
	}
	dir := t.TempDir()
	good := mustModel(t, true)
	for _, c := range models {
		t.Run(c.name, func(t *testing.T) {
			m := c.build(t)
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".npz")
			if err := good.SaveNPZ(p); err != nil {
				t.Fatal(err)
			}
			var err error
			noPanic(t, "StateDict", func() { _ = m.StateDict() })
			noPanic(t, "String", func() { _ = m.String() })
			noPanic(t, "SaveNPZ", func() { err = m.SaveNPZ(p) })
			wantErr(t, err, c.parts...)
			noPanic(t, "LoadNPZ", func() { err = m.LoadNPZ(p) })
			wantErr(t, err, c.parts...)
			noPanic(t, "LoadStateDict", func() { err = m.LoadStateDict(good.StateDict()) })
			wantErr(t, err, c.parts...)
			noPanic(t, "InitHidden", func() { _, err = m.InitHidden(1, 4, 4) })
			wantErr(t, err, c.parts...)
			noPanic(t, "Forward", func() { _, _, err = m.Forward(Zeros(1, 2, 2, 4, 4), nil) })
			wantErr(t, err, c.parts...)
		})
	}
	var cell *Cell
	var conv *ConvLayer
	var err error
	noPanic(t, "nil Cell.String", func() { _ = cell.String() })
	noPanic(t, "nil Cell.InitHidden", func() { _, err = cell.InitHidden(1, 2, 2) })
	wantErr(t, err, "the cell is nil")
	noPanic(t, "nil Cell.Forward", func() { _, err = cell.Forward(Zeros(1, 1, 2, 2), State{}) })
	wantErr(t, err, "the cell is nil")
	noPanic(t, "Cell{}.String", func() { _ = (&Cell{}).String() })
	noPanic(t, "nil ConvLayer.String", func() { _ = conv.String() })
	noPanic(t, "nil ConvLayer.Forward", func() { _, err = conv.Forward(Zeros(1, 1, 2, 2)) })
	wantErr(t, err, "conv is nil")
	noPanic(t, "ConvLayer{}.Forward", func() { _, err = (&ConvLayer{}).Forward(Zeros(1, 1, 2, 2)) })
	wantErr(t, err, "conv.weight is nil")
	var tr *Trace
	noPanic(t, "nil Trace.Reset", func() { tr.Reset() })
	var sb strings.Builder
	noPanic(t, "Fprint of a broken model", func() { fmt.Fprint(&sb, nilConv(t), nilCell(t), &Cell{}) })
}

// TestOpsMaxElements: an op whose result would pass MaxElements returns an
// error naming the limit (Zeros would give a tensor with no data).
func TestOpsMaxElements(t *testing.T) {
	defer func(v int64) { MaxElements = v }(MaxElements)
	MaxElements = 1000
	a := Zeros(1, 6, 10, 10) // 600 values
	_, err := Cat1(a, a)
	wantErr(t, err, "Cat1", "MaxElements = 1000", "[1 12 10 10]")
	_, err = Stack1([]*Tensor{a, a})
	wantErr(t, err, "Stack1", "MaxElements = 1000", "[1 2 6 10 10]")
	_, err = Conv2d(a, Zeros(12, 6, 1, 1), nil)
	wantErr(t, err, "Conv2d", "MaxElements = 1000", "[1 12 10 10]")
	c, err := NewCell(6, 3, [2]int{3, 3}, true)
	if err != nil {
		t.Fatal(err)
	}
	st := State{H: Zeros(1, 3, 10, 10), C: Zeros(1, 3, 10, 10)}
	_, err = c.Forward(a, st) // the conv's output (1, 12, 10, 10) is too big
	wantErr(t, err, "MaxElements = 1000")
	_, err = c.Conv.Forward(Zeros(1, 9, 10, 10))
	wantErr(t, err, "MaxElements = 1000", "[1 12 10 10]")
}

// TestStepMaxCallBytes: Cell.Forward, ForwardGates, Conv2d and
// ConvLayer.Forward check MaxCallBytes before they allocate, as
// ConvLSTM.Forward does.
func TestStepMaxCallBytes(t *testing.T) {
	defer func(v int64) { MaxCallBytes = v }(MaxCallBytes)
	c, err := NewCell(2, 8, [2]int{3, 3}, true)
	if err != nil {
		t.Fatal(err)
	}
	x := Zeros(2, 2, 64, 64)                                    // 32 KiB
	st := State{H: Zeros(2, 8, 64, 64), C: Zeros(2, 8, 64, 64)} // 256 KiB each
	MaxCallBytes = 1 << 20                                      // the step makes (2, 32, 64, 64) and more: 4 MiB and more
	var n uint64
	n = allocatedBy(func() { _, err = c.Forward(x, st) })
	wantErr(t, err, "Cell.Forward", "MaxCallBytes = 1048576")
	if n > 64<<10 {
		t.Errorf("Cell.Forward allocated %d bytes before failing", n)
	}
	_, err = c.ForwardGates(x, st)
	wantErr(t, err, "MaxCallBytes = 1048576")
	big := Zeros(3, 10, 64, 64) // the conv's output (3, 32, 64, 64) is 1.5 MiB
	n = allocatedBy(func() { _, err = Conv2d(big, c.Conv.Weight, c.Conv.Bias) })
	wantErr(t, err, "Conv2d", "MaxCallBytes = 1048576")
	if n > 64<<10 {
		t.Errorf("Conv2d allocated %d bytes before failing", n)
	}
	_, err = c.Conv.Forward(big)
	wantErr(t, err, "MaxCallBytes = 1048576")
	huge := Zeros(2, 40, 64, 64) // 1.25 MiB
	_, err = Split1(huge, 10)
	wantErr(t, err, "Split1", "MaxCallBytes = 1048576")
	_, err = Permute10(Zeros(2, 20, 2, 64, 64))
	wantErr(t, err, "Permute10", "MaxCallBytes = 1048576")
	_, err = NewCell(2, 256, [2]int{3, 3}, true) // (1024, 258, 3, 3): 9.1 MiB
	wantErr(t, err, "NewCell", "MaxCallBytes = 1048576")
	MaxCallBytes = 8 << 30
	if _, err := c.Forward(x, st); err != nil {
		t.Errorf("under the limit: %v", err)
	}
}

// TestSaveKeepsOldFile: a save that fails leaves the file that was there
// byte for byte, and no temporary file beside it.
func TestSaveKeepsOldFile(t *testing.T) {
	m := mustModel(t, true)
	dir := t.TempDir()
	p := filepath.Join(dir, "model.npz")
	if err := m.SaveNPZ(p); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	broken := mustModel(t, true)
	broken.CellList[0] = nil
	fails := []struct {
		name string
		save func() error
	}{
		{"invalid tensor", func() error { return WriteNPZ(p, map[string]*Tensor{"a": {Shape: []int{2}, Data: []float32{1}}}) }},
		// A key too long for a zip entry's name: the archive writer fails
		// after the first entries are written.
		{"writer error", func() error {
			return WriteNPZ(p, map[string]*Tensor{"a": Zeros(1 << 16), strings.Repeat("k", 70000): Zeros(1)})
		}},
		{"broken model", func() error { return broken.SaveNPZ(p) }},
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
	m2 := mustModel(t, true)
	if err := m2.LoadNPZ(p); err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(m2.CellList[1].Conv.Weight, m.CellList[1].Conv.Weight); d != 0 {
		t.Errorf("the kept file loads weights off by %g", d)
	}
}

// TestLoadParamsNil: nil tensors on either side of LoadParams are errors.
func TestLoadParamsNil(t *testing.T) {
	scalar := func() map[string]*Tensor { return map[string]*Tensor{"a": {Shape: []int{}, Data: []float32{1}}} }
	var err error
	noPanic(t, "nil in sd", func() { err = LoadParams(scalar(), map[string]*Tensor{"a": nil}) })
	wantErr(t, err, `"a"`)
	noPanic(t, "nil in params", func() { err = LoadParams(map[string]*Tensor{"a": nil}, scalar()) })
	wantErr(t, err, "a is nil")
	if err := LoadParams(scalar(), scalar()); err != nil {
		t.Errorf("a scalar: %v", err)
	}
}

// TestNilArgsNoPanic: nil readers, writers and traces are errors or no-ops.
func TestNilArgsNoPanic(t *testing.T) {
	var err error
	noPanic(t, "DecodeNPZ(nil)", func() { _, err = DecodeNPZ(nil, 100) })
	wantErr(t, err, "DecodeNPZ: r is nil")
	noPanic(t, "EncodeNPZ(nil)", func() { err = EncodeNPZ(nil, map[string]*Tensor{"a": Zeros(1)}) })
	wantErr(t, err, "EncodeNPZ: w is nil")
	var tr *Trace
	noPanic(t, "nil Trace.Begin", func() { err = tr.Begin() })
	wantErr(t, err, "the Trace is nil")
	noPanic(t, "nil Trace.End", func() { tr.End() })
}
