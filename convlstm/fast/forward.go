package fast

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/par"
)

// Forward is the fast path's ConvLSTM.Forward: the same arguments, the same
// validation and errors, the same results (to float32 rounding; every
// golden case is checked against PyTorch on both), computed with the
// blocked kernels on all cores. It has the signature of the method
// expression (*convlstm.ConvLSTM).Forward, so either can be passed where
// the other is expected:
//
//	outs, states, err := m.Forward(x, nil)    // the readable port
//	outs, states, err := fast.Forward(m, x, nil) // the same numbers, fast
//
// It reads the model's weights at every call: a LoadNPZ or an optimiser
// step between two calls is seen by the second. When m.Trace is non-nil,
// it records this call's steps, as the readable Forward does.
func Forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	return ForwardTrace(m, input, hiddenState, modelTrace(m))
}

// modelTrace is m.Trace, nil for a nil model (whose error the check gives).
func modelTrace(m *convlstm.ConvLSTM) *convlstm.Trace {
	if m == nil {
		return nil
	}
	return m.Trace
}

// ForwardTrace is Forward that records the steps of every layer into trace
// (none when trace is nil) instead of m.Trace. The training tape of
// convlstm/bptt is recorded this way, by the same code that Forward runs.
func ForwardTrace(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	ws := acquire()
	defer release(ws)
	return ws.forward(m, input, hiddenState, trace, false)
}

// forward runs the fast forward in the workspace ws; owned is a Runner's
// call (the results are ws's memory), else every result is new.
func (ws *fastWorkspace) forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace, owned bool) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	if err := checkForward(m, input, hiddenState, trace); err != nil {
		return nil, nil, err
	}
	if trace != nil {
		if err := trace.Begin(); err != nil {
			return nil, nil, err
		}
		defer trace.End()
		if owned {
			trace.Layers = ws.traceLayers[:0]
		}
	}
	// A (T, B, C, H, W) input is read in place by the first layer (no
	// permuted copy); every layer's output is (B, T, hid, H, W).
	x := input
	b, t, h, w := x.Shape[0], x.Shape[1], x.Shape[3], x.Shape[4]
	if !m.BatchFirst {
		b, t = t, b
	}
	pool := &ws.pool
	pool.reset(par.Workers())
	if owned {
		ws.own(m.NumLayers)
		layerOutputs, lastStates = ws.outs[:0], ws.states[:0]
	}
	cur := x.Data
	if owned { // what the Runner's last call returned may come back
		cur = ws.unalias(cur, hiddenState)
	}
	for li, cell := range m.CellList {
		var h0, c0 []float32
		switch {
		case owned && hiddenState != nil:
			h0, c0 = ws.h0[li], ws.c0[li]
		case hiddenState != nil:
			h0, c0 = hiddenState[li].H.Data, hiddenState[li].C.Data
		}
		l := ws.layer(li, cell, cur, b, t, h, w, h0, c0, trace != nil, owned)
		l.xTimeMajor = li == 0 && !m.BatchFirst
		l.runInput(pool)
		for step := 0; step < t && pool.err == nil; step++ {
			l.runStep(pool, step)
		}
		if pool.err != nil {
			return nil, nil, pool.err
		}
		hid := cell.HiddenDim
		var out *convlstm.Tensor
		var state convlstm.State
		if owned { // the Runner's tensors, reshaped and refilled
			out, state = ws.ownedOutputs(li, l, b, t, hid, h, w)
		} else {
			out = &convlstm.Tensor{Shape: []int{b, t, hid, h, w}, Data: l.out} // (B, T, hid, H, W)
			state = convlstm.State{
				H: &convlstm.Tensor{Shape: []int{b, hid, h, w}, Data: lastFrame(make([]float32, b*hid*h*w), l.out, b, t, hid, h, w)}, // (B, hid, H, W)
				C: &convlstm.Tensor{Shape: []int{b, hid, h, w}, Data: l.c},                                                           // (B, hid, H, W)
			}
		}
		if trace != nil {
			trace.Layers = append(trace.Layers, l.steps)
		}
		layerOutputs = append(layerOutputs, out)
		lastStates = append(lastStates, state)
		cur = l.out
	}
	if owned && trace != nil {
		ws.traceLayers = trace.Layers
	}
	if !owned { // the caller's now: the pooled workspace lets go of them
		for i := range ws.layers {
			ws.layers[i].out, ws.layers[i].c, ws.layers[i].steps = nil, nil, nil
		}
	}
	if !m.ReturnAllLayers {
		layerOutputs = layerOutputs[len(layerOutputs)-1:]
		lastStates = lastStates[len(lastStates)-1:]
	}
	return layerOutputs, lastStates, nil
}

// lastFrame copies out[:, t-1] of a (B, T, hid, H, W) sequence into dst
// (B, hid, H, W) and returns dst.
func lastFrame(dst, out []float32, b, t, hid, h, w int) []float32 {
	n := hid * h * w
	for i := 0; i < b; i++ {
		copy(dst[i*n:(i+1)*n], out[(i*t+t-1)*n:(i*t+t)*n])
	}
	return dst
}

// CellForward is the fast path's Cell.Forward: one time step of one cell,
// with the same arguments, validation and errors. It has the signature of
// the method expression (*convlstm.Cell).Forward.
func CellForward(c *convlstm.Cell, input *convlstm.Tensor, cur convlstm.State) (convlstm.State, error) {
	s, err := CellForwardGates(c, input, cur)
	if err != nil {
		return convlstm.State{}, err
	}
	return convlstm.State{H: s.H, C: s.C}, nil
}

// CellForwardGates is the fast path's Cell.ForwardGates: one step that also
// returns the gate activations i, f, o, g. It runs the step as a sequence
// of length 1 with the given state, traced.
func CellForwardGates(c *convlstm.Cell, input *convlstm.Tensor, cur convlstm.State) (*convlstm.Step, error) {
	if err := checkStep(c, input, cur); err != nil {
		return nil, err
	}
	b, h, w := input.Shape[0], input.Shape[2], input.Shape[3]
	ws := acquire()
	defer release(ws)
	pool := &ws.pool
	pool.reset(par.Workers())
	l := newFastLayer(c, ws, input.Data, b, 1, h, w, cur.H.Data, cur.C.Data, true)
	l.runInput(pool)
	if pool.err == nil {
		l.runStep(pool, 0)
	}
	st := &l.steps[0]
	l.out, l.c, l.steps = nil, nil, nil // the caller's now
	if pool.err != nil {
		return nil, pool.err
	}
	return st, nil
}

// acquire takes a workspace from fastWorkspaces (a new one when the pool
// is empty); release gives it back.
func acquire() *fastWorkspace {
	ws, _ := fastWorkspaces.Get().(*fastWorkspace)
	if ws == nil {
		ws = &fastWorkspace{}
	}
	return ws
}

func release(ws *fastWorkspace) { fastWorkspaces.Put(ws) }
