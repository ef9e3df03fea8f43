package fast

import "example.com/convlstm/convlstm"

// Runner is the fast forward with memory of its own, for a loop that runs
// one model over and over (a training loop, a stream of batches): after
// its first call at a given size, a call allocates nothing. The price is
// ownership: the tensors it returns (the layer outputs, the last states
// and, with a trace, the trace's steps) are the Runner's, overwritten by
// its next call; copy what must outlive it. A Runner serves one goroutine
// at a time; its zero value is ready to use.
//
//	var r fast.Runner
//	for step := 0; step < n; step++ {
//	    outs, states, err := r.Forward(m, x, nil) // same numbers as fast.Forward
//	    ...
//	}
type Runner struct {
	ws fastWorkspace
}

// Forward is fast.Forward into the Runner's memory: the same arguments,
// validation, errors and numbers; when m.Trace is non-nil it records this
// call's steps.
func (r *Runner) Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) ([]*convlstm.Tensor, []convlstm.State, error) {
	return r.ForwardTrace(m, input, hiddenState, m.Trace)
}

// ForwardTrace is ForwardTrace into the Runner's memory: the steps it
// records into trace (none when trace is nil) are the Runner's too.
func (r *Runner) ForwardTrace(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) ([]*convlstm.Tensor, []convlstm.State, error) {
	return r.ws.forward(m, input, hiddenState, trace, true)
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

// ownedOutputs returns layer li's output (B, T, hid, H, W) and last state
// (B, hid, H, W) as the Runner's tensors over l's memory.
func (ws *fastWorkspace) ownedOutputs(li int, l *fastLayer, b, t, hid, h, w int) (*convlstm.Tensor, convlstm.State) {
	ts, sh := &ws.tensors[li], &ws.shapes[li]
	sh[0], sh[1], sh[2] = [5]int{b, t, hid, h, w}, [5]int{b, hid, h, w}, [5]int{b, hid, h, w}
	ws.lastH[li] = grow(ws.lastH[li], b*hid*h*w)
	ts[0] = convlstm.Tensor{Shape: sh[0][:5], Data: l.out}
	ts[1] = convlstm.Tensor{Shape: sh[1][:4], Data: lastFrame(ws.lastH[li], l.out, b, t, hid, h, w)}
	ts[2] = convlstm.Tensor{Shape: sh[2][:4], Data: l.c}
	return &ts[0], convlstm.State{H: &ts[1], C: &ts[2]}
}
