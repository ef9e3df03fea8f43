package fast

import (
	"errors"
	"sync/atomic"

	"example.com/convlstm/convlstm"
)

// Runner is the fast forward with memory of its own, for a loop that runs
// one model over and over (a training loop, a stream of batches): after
// its first call at a given size, a call allocates nothing. The price is
// ownership: the tensors it returns (the layer outputs, the last states
// and, with a trace, the trace's steps) are the Runner's, overwritten by
// its next call; copy what must outlive it. Those tensors may be given
// back to the next call (the output as its input, the last states as its
// hidden state): the Runner then copies them before it overwrites them.
// A Runner serves one call at a time: a call made while another runs
// returns an error. Its zero value is ready to use.
//
//	var r fast.Runner
//	for step := 0; step < n; step++ {
//	    outs, states, err := r.Forward(m, x, nil) // same numbers as fast.Forward
//	    ...
//	}
type Runner struct {
	// Direct turns Winograd's algorithm off: every conv is computed
	// directly, for comparisons (the appendix notebook, benchmarks).
	Direct bool

	busy atomic.Bool // a call is running
	ws   fastWorkspace
}

// Forward is fast.Forward into the Runner's memory: the same arguments,
// validation, errors and numbers; when m.Trace is non-nil it records this
// call's steps.
func (r *Runner) Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error) {
	return r.ForwardTrace(m, input, hiddenState, modelTrace(m))
}

// ForwardTrace is ForwardTrace into the Runner's memory: the steps it
// records into trace (none when trace is nil) are the Runner's too.
func (r *Runner) ForwardTrace(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) ([]*convlstm.Tensor, []convlstm.State, error) {
	if r == nil {
		return nil, nil, errors.New("fast: Runner.Forward: the Runner is nil; declare one (var r fast.Runner)")
	}
	if !r.busy.CompareAndSwap(false, true) {
		return nil, nil, errors.New("fast: Runner.Forward: the Runner is in use by another call; give each goroutine its own Runner")
	}
	defer r.busy.Store(false)
	r.ws.direct = r.Direct
	return r.ws.forward(m, input, hiddenState, trace)
}

// own sizes a Runner's result lists for n layers.
func (ws *fastWorkspace) own(n int) {
	if len(ws.tensors) < n {
		ws.tensors = make([][3]convlstm.Tensor, n)
		ws.shapes = make([][3][5]int, n)
		ws.lastH = make([][]float32, n)
		ws.outs = make([]*convlstm.Tensor, 0, n)
		ws.states = make([]convlstm.State, 0, n)
	}
}

// outputs returns layer li's output (B, T, hid, H, W) and last state
// (B, hid, H, W) as the Runner's tensors over l's memory.
func (ws *fastWorkspace) outputs(li int, l *fastLayer, b, t, hid, h, w int) (*convlstm.Tensor, convlstm.State) {
	ts, sh := &ws.tensors[li], &ws.shapes[li]
	sh[0], sh[1], sh[2] = [5]int{b, t, hid, h, w}, [5]int{b, hid, h, w}, [5]int{b, hid, h, w}
	ws.lastH[li] = grow(ws.lastH[li], b*hid*h*w)
	ts[0] = convlstm.Tensor{Shape: sh[0][:5], Data: l.out}
	ts[1] = convlstm.Tensor{Shape: sh[1][:4], Data: lastFrame(ws.lastH[li], l.out, b, t, hid, h, w)}
	ts[2] = convlstm.Tensor{Shape: sh[2][:4], Data: l.c}
	return &ts[0], convlstm.State{H: &ts[1], C: &ts[2]}
}

// unalias returns the input data x, and sets ws.h0 and ws.c0 to the data
// of each layer's initial h and c (nil without a hidden state); each one
// that shares memory with what the call will write (the outputs, states
// and trace the Runner returned last) is first copied into memory of the
// Runner's that the call does not write.
func (ws *fastWorkspace) unalias(x []float32, hs []convlstm.State) []float32 {
	n := max(len(hs), len(ws.h0))
	if cap(ws.h0) < n {
		ws.h0, ws.c0, ws.h0Copy, ws.c0Copy = make([][]float32, n), make([][]float32, n), make([][]float32, n), make([][]float32, n)
	}
	ws.h0, ws.c0 = ws.h0[:len(hs)], ws.c0[:len(hs)]
	for i, s := range hs {
		ws.h0[i] = ws.private(s.H.Data, &ws.h0Copy[i])
		ws.c0[i] = ws.private(s.C.Data, &ws.c0Copy[i])
	}
	return ws.private(x, &ws.xCopy)
}

// private returns s, or a copy of it in *buf when s shares memory with
// the Runner's results.
func (ws *fastWorkspace) private(s []float32, buf *[]float32) []float32 {
	if !ws.writes(s) {
		return s
	}
	*buf = grow(*buf, len(s))
	copy(*buf, s)
	return *buf
}

// writes reports whether s shares memory with a result of the Runner (the
// memory its next call writes).
func (ws *fastWorkspace) writes(s []float32) bool {
	for i := range ws.layers {
		l := &ws.layers[i]
		if overlaps(s, l.out[:cap(l.out)]) || overlaps(s, l.c[:cap(l.c)]) {
			return true
		}
	}
	for _, h := range ws.lastH {
		if overlaps(s, h[:cap(h)]) {
			return true
		}
	}
	for _, steps := range ws.traceLayers {
		for _, st := range steps {
			for _, t := range [...]*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
				if t != nil && overlaps(s, t.Data[:cap(t.Data)]) {
					return true
				}
			}
		}
	}
	return false
}
