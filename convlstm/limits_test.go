package convlstm

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// allocatedBy returns the bytes f allocated on the heap.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestSizeLimits: sizes past MaxElements or MaxCallBytes are errors that
// name the size, returned before the big allocation is made.
func TestSizeLimits(t *testing.T) {
	var err error
	n := allocatedBy(func() { _, err = NewConvLSTM(1, 30000, [2]int{3, 3}, 1, true, true, false) })
	wantErr(t, err, "MaxElements", "[120000 30001 3 3]")
	if n > 1<<20 {
		t.Errorf("NewConvLSTM allocated %d bytes before failing", n)
	}
	cell, err := NewCell(1, 4, [2]int{3, 3}, true)
	if err != nil {
		t.Fatal(err)
	}
	n = allocatedBy(func() { _, err = cell.InitHidden(1<<20, 1<<20, 1<<20) })
	wantErr(t, err, "InitHidden", "MaxElements")
	if n > 1<<20 {
		t.Errorf("InitHidden allocated %d bytes before failing", n)
	}
	m, err := NewConvLSTM(1, 1024, [2]int{1, 1}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.InitHidden(1<<20, 1<<20, 1<<20)
	wantErr(t, err, "InitHidden", "MaxElements")
	x := Zeros(1, 64, 1, 256, 256) // the output would be (1, 64, 1024, 256, 256): 4.3e9 values
	n = allocatedBy(func() { _, _, err = m.Forward(x, nil) })
	wantErr(t, err, "Forward", "[1 64 1024 256 256]", "MaxElements")
	if n > 1<<20 {
		t.Errorf("Forward allocated %d bytes before failing", n)
	}
	// Under the per-tensor cap but over the per-call one.
	defer func(v int64) { MaxCallBytes = v }(MaxCallBytes)
	MaxCallBytes = 1 << 20
	small, err := NewConvLSTM(1, 8, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = small.Forward(Zeros(2, 8, 1, 32, 32), nil)
	wantErr(t, err, "Forward", "MaxCallBytes = 1048576")
	if _, err := NewTensor(1<<16, 1<<16); err == nil {
		t.Error("NewTensor past MaxElements accepted")
	}
}

// TestTraceRecordsOneCall: each Forward empties the trace first, and a
// trace another Forward is recording into is an error.
func TestTraceRecordsOneCall(t *testing.T) {
	m, err := NewConvLSTM(1, []int{2, 3}, [2]int{3, 3}, 2, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	m.Trace = &Trace{}
	x := Zeros(1, 4, 1, 5, 5)
	for i := 0; i < 2; i++ {
		if _, _, err := m.Forward(x, nil); err != nil {
			t.Fatal(err)
		}
		if len(m.Trace.Layers) != 2 || len(m.Trace.Layers[1]) != 4 {
			t.Fatalf("call %d: trace has %d layers, want 2 of 4 steps", i+1, len(m.Trace.Layers))
		}
	}
	if err := m.Trace.Begin(); err != nil { // as a concurrent Forward would
		t.Fatal(err)
	}
	_, _, err = m.Forward(x, nil)
	wantErr(t, err, "Trace is in use by another Forward")
	m.Trace.End()
	if _, _, err := m.Forward(x, nil); err != nil {
		t.Errorf("after End: %v", err)
	}
}

// TestMessages: the wording of errors users met.
func TestMessages(t *testing.T) {
	_, err := NewConvLSTM(1, []int{4, 4}, [2]int{3, 3}, 3, true, true, false)
	if !errors.Is(err, ErrInconsistentListLength) || strings.Contains(err.Error(), ".:") {
		t.Errorf("error %q: want ErrInconsistentListLength without a stray '.:'", err)
	}
	m, err := NewConvLSTM(1, []int{2, 3}, [2]int{3, 3}, 2, true, true, false)
	if err != nil {
		t.Fatal(err)
	}
	x := Zeros(1, 2, 1, 4, 4)
	_, last, err := m.Forward(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = m.Forward(x, last)
	wantErr(t, err, "hidden_state has 1 (h, c) pairs", "return_all_layers=True")
	m.CellList[1] = nil
	_, _, err = m.Forward(x, nil)
	wantErr(t, err, "cell_list.1 is nil")
	var nilT *Tensor
	if nilT.Dim() != 0 || nilT.Numel() != 0 || nilT.Clone() != nil || Sigmoid(nil) != nil || Tanh(nil) != nil {
		t.Error("nil tensor methods and ops must not panic and return zero values")
	}
}

// TestChecksAllocateNothing: the checks every forward runs (CheckForward,
// with Check, Config.Validate and the size limits inside) allocate nothing
// when they pass, for the seed's cell and the peephole cell, with a hidden
// state and with a trace, so that a training loop's steps can be free of
// garbage (convlstm/bptt's Trainer); a check that fails may allocate its
// message.
func TestChecksAllocateNothing(t *testing.T) {
	for _, peep := range []bool{false, true} {
		m, err := New(Config{InputDim: 2, HiddenDim: []int{8, 4}, KernelSize: [][2]int{{3, 3}, {5, 5}}, NumLayers: 2,
			BatchFirst: true, Bias: true, ReturnAllLayers: true, Peephole: peep, ImageSize: [2]int{6, 7}})
		if err != nil {
			t.Fatal(err)
		}
		x := Zeros(2, 3, 2, 6, 7)
		hs, err := m.InitHidden(2, 6, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, trace := range []*Trace{nil, {}} {
			m.Trace = trace
			for _, states := range [][]State{nil, hs} {
				if n := testing.AllocsPerRun(10, func() {
					if err := m.CheckForward(x, states); err != nil {
						t.Fatal(err)
					}
				}); n != 0 {
					t.Errorf("peephole %v, trace %v, hidden state %v: CheckForward allocated %v times, want 0", peep, trace != nil, states != nil, n)
				}
			}
		}
	}
}
