package convlstm

import (
	"fmt"
	"strings"
	"testing"

	"example.com/convlstm/convlstm/internal/testutil"
)

// noPanic fails the test, instead of crashing it, if f panics.
var noPanic = testutil.NoPanic

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
	good := mustModel(t, true)
	for _, c := range models {
		t.Run(c.name, func(t *testing.T) {
			m := c.build(t)
			var err error
			noPanic(t, "StateDict", func() { _ = m.StateDict() })
			noPanic(t, "String", func() { _ = m.String() })
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

// TestNilTraceNoPanic: a nil trace is an error or a no-op.
func TestNilTraceNoPanic(t *testing.T) {
	var err error
	var tr *Trace
	noPanic(t, "nil Trace.Begin", func() { err = tr.Begin() })
	wantErr(t, err, "the Trace is nil")
	noPanic(t, "nil Trace.End", func() { tr.End() })
}
