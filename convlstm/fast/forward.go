package fast

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/par"
)

// Forward is the fast path's ConvLSTM.Forward: the same arguments, the same
// validation, the same results (to float32 rounding; every golden case is
// checked against PyTorch on both), computed with the blocked kernels on
// all cores. It has the signature of the method expression
// (*convlstm.ConvLSTM).Forward, so either can be passed where the other is
// expected:
//
//	outs, states, err := m.Forward(x, nil)    // the readable port
//	outs, states, err := fast.Forward(m, x, nil) // the same numbers, fast
//
// It reads the model's weights at every call: an npz.Load or an optimiser
// step between two calls is seen by the second. When m.Trace is non-nil,
// it records this call's steps, as the readable Forward does. Every call
// allocates its memory afresh (a Runner keeps its own from call to call).
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
// (none when trace is nil) instead of m.Trace. It is a Runner's call on a
// new Runner, whose memory the results are.
func ForwardTrace(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	var r Runner
	return r.ForwardTrace(m, input, hiddenState, trace)
}

// forward runs the fast forward into the workspace's memory: the results
// are ws's tensors, overwritten by its next call.
func (ws *fastWorkspace) forward(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State, trace *convlstm.Trace) (layerOutputs []*convlstm.Tensor, lastStates []convlstm.State, err error) {
	if err := checkForward(m, input, hiddenState, trace); err != nil {
		return nil, nil, err
	}
	if trace != nil {
		if err := trace.Begin(); err != nil {
			return nil, nil, err
		}
		defer trace.End()
		trace.Layers = ws.traceLayers[:0]
	}
	// A (T, B, C, H, W) input is read in place by the first layer (no
	// permuted copy); every layer's output is (B, T, hid, H, W).
	b, t, h, w := input.Shape[0], input.Shape[1], input.Shape[3], input.Shape[4]
	if !m.BatchFirst {
		b, t = t, b
	}
	pool := &ws.pool
	pool.reset(par.Workers())
	ws.own(m.NumLayers)
	layerOutputs, lastStates = ws.outs[:0], ws.states[:0]
	// What the last call returned may come back as this one's input.
	cur := ws.unalias(input.Data, hiddenState)
	for li, cell := range m.CellList {
		var h0, c0 []float32
		if hiddenState != nil {
			h0, c0 = ws.h0[li], ws.c0[li]
		}
		l := ws.layer(li, cell, cur, b, t, h, w, h0, c0, trace != nil)
		l.xTimeMajor = li == 0 && !m.BatchFirst
		l.runInput(pool)
		for step := 0; step < t && pool.err == nil; step++ {
			l.runStep(pool, step)
		}
		if pool.err != nil {
			return nil, nil, pool.err
		}
		out, state := ws.outputs(li, l, b, t, cell.HiddenDim, h, w)
		if trace != nil {
			trace.Layers = append(trace.Layers, l.steps)
		}
		layerOutputs = append(layerOutputs, out)
		lastStates = append(lastStates, state)
		cur = l.out
	}
	if trace != nil {
		ws.traceLayers = trace.Layers
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
// with the same arguments and validation. It has the signature of the
// method expression (*convlstm.Cell).Forward. It runs the step as a
// sequence of length 1 from the given state, in memory of its own.
func CellForward(c *convlstm.Cell, input *convlstm.Tensor, cur convlstm.State) (convlstm.State, error) {
	if err := checkStep(c, input, cur); err != nil {
		return convlstm.State{}, err
	}
	b, h, w := input.Shape[0], input.Shape[2], input.Shape[3]
	var ws fastWorkspace
	pool := &ws.pool
	pool.reset(par.Workers())
	l := ws.layer(0, c, input.Data, b, 1, h, w, cur.H.Data, cur.C.Data, false)
	l.runInput(pool)
	if pool.err == nil {
		l.runStep(pool, 0)
	}
	if pool.err != nil {
		return convlstm.State{}, pool.err
	}
	return convlstm.State{ // l.out is h of the one step
		H: &convlstm.Tensor{Shape: []int{b, c.HiddenDim, h, w}, Data: l.out}, // (B, hid, H, W)
		C: &convlstm.Tensor{Shape: []int{b, c.HiddenDim, h, w}, Data: l.c},   // (B, hid, H, W)
	}, nil
}
