package convlstm

import (
	"errors"
	"testing"

	"example.com/convlstm/convlstm/internal/testutil"
)

// mustModel builds a small two-layer model for the error tests.
func mustModel(t *testing.T, batchFirst bool) *ConvLSTM {
	t.Helper()
	m, err := New(Config{InputDim: 2, HiddenDim: []int{3, 4}, KernelSize: [][2]int{{3, 3}, {1, 3}}, NumLayers: 2, BatchFirst: batchFirst, Bias: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantErr fails unless err is non-nil and its message contains every part.
var wantErr = testutil.WantErr

func TestConstructorErrors(t *testing.T) {
	cases := []struct {
		name  string
		build func() (*ConvLSTM, error)
		parts []string
	}{
		{"zero input_dim", func() (*ConvLSTM, error) { return NewConvLSTM(0, 4, [2]int{3, 3}, 1, true, true, false) }, []string{"input_dim", "0"}},
		{"negative hidden", func() (*ConvLSTM, error) { return NewConvLSTM(1, -4, [2]int{3, 3}, 1, true, true, false) }, []string{"hidden_dim[0]", "-4"}},
		{"zero layers", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4, [2]int{3, 3}, 0, true, true, false) }, []string{"num_layers", "0"}},
		{"bare int kernel", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4, 3, 1, true, true, false) }, []string{"`kernel_size` must be tuple or list of tuples", "int 3"}},
		{"list of ints kernel", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4, []int{3, 3}, 1, true, true, false) }, []string{"`kernel_size` must be tuple or list of tuples"}},
		{"even kernel", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4, [2]int{4, 3}, 1, true, true, false) }, []string{"kernel_size[0] must be odd", "(4, 3)", "size mismatch"}},
		{"zero kernel", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4, [2]int{0, 3}, 1, true, true, false) }, []string{"kernel_size[0] must be positive"}},
		{"kernel list too short", func() (*ConvLSTM, error) {
			return NewConvLSTM(1, 4, [][2]int{{3, 3}}, 2, true, true, false)
		}, []string{"Inconsistent list length.", "kernel_size has 1", "num_layers is 2"}},
		{"hidden list too long", func() (*ConvLSTM, error) {
			return NewConvLSTM(1, []int{4, 4, 4}, [2]int{3, 3}, 2, true, true, false)
		}, []string{"Inconsistent list length.", "hidden_dim 3"}},
		{"hidden wrong type", func() (*ConvLSTM, error) { return NewConvLSTM(1, 4.0, [2]int{3, 3}, 1, true, true, false) }, []string{"hidden_dim must be an int or a list"}},
		{"config lengths", func() (*ConvLSTM, error) {
			return New(Config{InputDim: 1, HiddenDim: []int{2}, KernelSize: [][2]int{{3, 3}, {3, 3}}, NumLayers: 2})
		}, []string{"Inconsistent list length."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := c.build()
			if m != nil {
				t.Errorf("got a model despite the error")
			}
			wantErr(t, err, c.parts...)
		})
	}
	_, err := NewConvLSTM(1, 4, [][2]int{{3, 3}}, 2, true, true, false)
	if !errors.Is(err, ErrInconsistentListLength) {
		t.Errorf("error %v is not ErrInconsistentListLength", err)
	}
}

func TestCellErrors(t *testing.T) {
	if _, err := NewCell(1, 2, [2]int{2, 2}, true); err == nil {
		t.Fatal("even kernel accepted")
	}
	c, err := NewCell(2, 3, [2]int{3, 3}, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.InitHidden(2, 5, 4)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Forward(Zeros(2, 2, 5), st)
	wantErr(t, err, "input_tensor must be 4-D", "[2 2 5]")
	_, err = c.Forward(Zeros(2, 3, 5, 4), st)
	wantErr(t, err, "input_tensor", "[2 3 5 4]", "want (2, 2, 5, 4)")
	_, err = c.Forward(Zeros(2, 2, 5, 4), State{H: st.H, C: Zeros(2, 3, 4, 4)})
	wantErr(t, err, "cur_state c", "[2 3 4 4]", "[2 3 5 4]")
	_, err = c.Forward(Zeros(2, 2, 5, 4), State{C: st.C})
	wantErr(t, err, "cur_state h is nil")
	_, err = c.InitHidden(0, 5, 4)
	wantErr(t, err, "batch_size")
	_, err = c.Forward(&Tensor{Shape: []int{2, 2, 5, 4}, Data: make([]float32, 3)}, st)
	wantErr(t, err, "input_tensor has 3 values")
}

func TestForwardErrors(t *testing.T) {
	m := mustModel(t, true)
	_, _, err := m.Forward(nil, nil)
	wantErr(t, err, "input_tensor must be 5-D", "(B, T, C, H, W)")
	_, _, err = m.Forward(Zeros(2, 3, 2, 5), nil)
	wantErr(t, err, "input_tensor must be 5-D", "[2 3 2 5]")
	_, _, err = m.Forward(Zeros(2, 3, 1, 5, 5), nil)
	wantErr(t, err, "1 channels, input_dim is 2", "want [2 3 2 5 5]")
	_, _, err = m.Forward(&Tensor{Shape: []int{2, 0, 2, 5, 5}}, nil)
	wantErr(t, err, "T = 0")
	_, _, err = m.Forward(&Tensor{Shape: []int{2, 3, 2, -5, 5}}, nil)
	wantErr(t, err, "must be positive")

	tm := mustModel(t, false)
	_, _, err = tm.Forward(&Tensor{Shape: []int{0, 2, 2, 5, 5}}, nil)
	wantErr(t, err, "T = 0", "(T, B, C, H, W)")

	x := Zeros(2, 3, 2, 5, 4)
	hs, err := m.InitHidden(2, 5, 4)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = m.Forward(x, hs[:1])
	wantErr(t, err, "hidden_state has 1 (h, c) pairs", "2")
	bad := []State{hs[0], {H: hs[1].H, C: Zeros(2, 3, 5, 4)}}
	_, _, err = m.Forward(x, bad)
	wantErr(t, err, "hidden_state[1].c", "[2 3 5 4]", "[2 4 5 4]")
	bad = []State{{H: Zeros(1, 3, 5, 4), C: hs[0].C}, hs[1]}
	_, _, err = m.Forward(x, bad)
	wantErr(t, err, "hidden_state[0].h", "[1 3 5 4]", "[2 3 5 4]")
}

func TestConv2dErrors(t *testing.T) {
	_, err := Conv2d(Zeros(1, 2, 3, 3), Zeros(4, 3, 3, 3), nil)
	wantErr(t, err, "weight has shape [4 3 3 3]", "2 input channels")
	_, err = Conv2d(Zeros(1, 2, 3, 3), Zeros(4, 2, 3, 3), Zeros(3))
	wantErr(t, err, "bias has shape [3], want [4]")
	_, err = Conv2d(Zeros(1, 2, 3), Zeros(4, 2, 3, 3), nil)
	wantErr(t, err, "x must be 4-D")
}

func TestStateDictErrors(t *testing.T) {
	m := mustModel(t, true)
	sd := m.StateDict()
	full := func() map[string]*Tensor {
		c := map[string]*Tensor{}
		for k, v := range sd {
			c[k] = v.Clone()
		}
		return c
	}
	missing := full()
	delete(missing, "cell_list.1.conv.bias")
	wantErr(t, m.LoadStateDict(missing), `missing key "cell_list.1.conv.bias"`, "[16]")
	extra := full()
	extra["cell_list.2.conv.weight"] = Zeros(1)
	wantErr(t, m.LoadStateDict(extra), `unexpected key "cell_list.2.conv.weight"`)
	shaped := full()
	shaped["cell_list.0.conv.weight"] = Zeros(12, 5, 3, 1)
	wantErr(t, m.LoadStateDict(shaped), `"cell_list.0.conv.weight" has shape [12 5 3 1], want [12 5 3 3]`)

}

// Zeros with a bad size does not panic: the tensor it returns is rejected
// with an error that names the size.
func TestZerosBadSize(t *testing.T) {
	x := Zeros(2, 0, 1, 3, 3)
	m := mustModel(t, true)
	_, _, err := m.Forward(x, nil)
	wantErr(t, err, "T = 0")
	_, err = Conv2d(Zeros(1, 2, -3, 3), Zeros(4, 2, 3, 3), nil)
	wantErr(t, err, "size -3 at axis 2 must be positive")
	if _, err := NewTensor(2, -1); err == nil {
		t.Error("NewTensor accepted a negative size")
	}
}
