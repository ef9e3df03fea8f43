package bptt

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/kernel"
)

// The fast training path. The forward is fast.Forward itself: ForwardFast
// records its trace with fast.ForwardTrace, and keeps every step's i, f, o,
// g, c and h as that trace holds them. The backward is the BPTT of
// backwardNaive, with the convs on padded planes (padGeom, fastconv.go):
//
//	dZ_t               the gate gradients of step t, elementwise from the
//	                   trace (backwardStep's formulas), written into planes
//	dh_{t-1} = convT_h(dZ_t)      per step: it feeds step t-1
//	dx       = convT_x(dZ)        all steps at once, the layer below's dh
//	dWx = dZ . x_taps^T,  dWh = dZ . h_{t-1}taps^T,  dbias = sums of dZ
//
// where convT_x and convT_h are the transposed convs of the weight's input
// and hidden columns (the conv over cat[x, h] is conv_x(x) + conv_h(h)).
// The forward's layer inputs and outputs are copied once into padded planes
// for the weight gradient: h with the initial state in front, so that
// frame t*B+b of dZ meets frame t*B+b of the planes of h_{t-1}.
//
// reference: Forward and backwardNaive (tape.go), which compute the same
// numbers one pixel at a time.

// fastLayer is the fast tape of one layer.
type fastLayer struct {
	in, hid, kh, kw int
	steps           []convlstm.Step // the trace: step t's i, f, o, g, c, h, each (B, hid, H, W)
	c0              []float32       // the initial c (B, hid, H, W), nil for zeros: c0buf or nil
	c0buf           []float32       // a copy of the initial c, the tape's own
	hpad            []float32       // (hid planes) frames h0 (B of them), then h_t of step t at B + t*B + b
	ldh             int             // the channel stride of hpad
	hFinite         bool            // hpad holds no Inf or NaN
	back            backLayer       // the backward's memory
}

// backLayer is the backward's memory of one layer, kept by the tape from
// one Backward to the next (a Trainer's, from step to step).
type backLayer struct {
	dz, dh, dIn  []float32 // dZ, the dh carry and dL/dx, in planes
	dc           []float32 // the dc carry (B, hid, H, W)
	convH, convX *convT
	es           gateStep
	dhT, dcT     convlstm.Tensor // the gradients of the initial state, in the tape's Grads
	shape        [4]int
}

// fastTape is the tape of the fast path, with all the memory of a
// training step: the forward's (a fast.Runner: outputs, states, trace),
// the planes, the backward's jobs and buffers, the gradients. A Trainer
// keeps one from step to step; ForwardFast makes a new one per call.
type fastTape struct {
	run     fast.Runner
	trace   convlstm.Trace // the forward's trace: every step's i, f, o, g, c and h
	g       padGeom
	x       []float32 // layer 0's input, in planes, frame t*B+b
	ldx     int
	xFinite bool
	layers  []fastLayer

	pad     padCopy
	rows    rowSum
	dw      dwJob
	workers call
	grads   *Grads
	dInput  convlstm.Tensor // the input gradient, in the tape's Grads
	inShape [5]int
}

// ForwardFast is fast.Forward that also returns the Tape Backward needs:
// the same arguments, outputs and errors. The forward is a fast.Runner's,
// the code fast.Forward runs; its trace (every step's i, f, o, g, c and h)
// is the tape, with the layer inputs and outputs copied into padded planes
// for the weight gradient. It is a Trainer's Forward on a new Trainer:
// every call allocates its memory afresh.
func ForwardFast(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (tape *Tape, outs []*convlstm.Tensor, states []convlstm.State, err error) {
	defer func() {
		if r := recover(); r != nil {
			tape, outs, states, err = nil, nil, nil, internalError("ForwardFast", r)
		}
	}()
	tape = &Tape{fast: &fastTape{}}
	if outs, states, err = tape.recordFast(m, input, hiddenState); err != nil {
		return nil, nil, nil, err
	}
	return tape, outs, states, nil
}

// recordFast runs the fast forward into tape's memory (its fast tape is
// set, new or a Trainer's).
func (tape *Tape) recordFast(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (outs []*convlstm.Tensor, states []convlstm.State, err error) {
	if err := m.CheckForward(input, hiddenState); err != nil {
		return nil, nil, err
	}
	ft := tape.fast
	// A tape of the same sizes as its last step (a Trainer's) keeps its
	// planes (and checkTape passed for these sizes then).
	reuse := convlstm.SameShape(input.Shape, ft.inShape[:]) && len(ft.layers) == m.NumLayers && sameSizes(tape.cells, m)
	if !reuse {
		if err := checkTape(m, input); err != nil {
			return nil, nil, err
		}
	}
	B, T := input.Shape[0], input.Shape[1]
	if !m.BatchFirst {
		B, T = T, B
	}
	H, W := input.Shape[3], input.Shape[4]
	g := newPadGeom(m, H, W)
	if !reuse || ft.g != g {
		// A new size: new planes and gradients.
		ft.grads = nil
		ft.g, ft.ldx, ft.layers = g, g.plane(T*B), make([]fastLayer, m.NumLayers)
		ft.x = planes(ft.x, m.InputDim, ft.ldx, T*B, g)
		for l, cell := range m.CellList {
			fl := &ft.layers[l]
			fl.ldh = g.plane((T + 1) * B)
			fl.hpad = planes(nil, cell.HiddenDim, fl.ldh, (T+1)*B, g)
		}
		copy(ft.inShape[:], input.Shape)
		tape.inputShape = ft.inShape[:]
		tape.cells = recordCells(m)
	}
	// The input and the initial states go into the tape's own memory
	// before the forward runs: they may be what a Trainer's last Forward
	// returned, which this one overwrites.
	ft.xFinite = ft.pad.run(ft.x, ft.ldx, 0, seqFrames(input.Data, B, T, m.InputDim, !m.BatchFirst, g), B, T, m.InputDim, g, false)
	for l, cell := range m.CellList {
		hid := cell.HiddenDim
		fl := &ft.layers[l]
		fl.c0, fl.hFinite = nil, true
		if hiddenState == nil {
			for c := 0; c < hid; c++ { // h0 = 0
				clear(fl.hpad[c*fl.ldh:][:g.frame(B)])
			}
			continue
		}
		fl.c0buf = grow(fl.c0buf, B*hid*H*W)
		copy(fl.c0buf, hiddenState[l].C.Data)
		fl.c0 = fl.c0buf
		fl.hFinite = ft.pad.run(fl.hpad, fl.ldh, 0, seqFrames(hiddenState[l].H.Data, B, 1, hid, false, g), B, 1, hid, g, false)
	}
	if outs, states, err = ft.run.ForwardTrace(m, input, hiddenState, &ft.trace); err != nil {
		return nil, nil, err
	}
	tape.model, tape.b, tape.t, tape.h, tape.w = m, B, T, H, W
	for l, steps := range ft.trace.Layers {
		cell := m.CellList[l]
		hid := cell.HiddenDim
		fl := &ft.layers[l]
		fl.in, fl.hid, fl.kh, fl.kw, fl.steps = cell.InputDim, hid, cell.KernelSize[0], cell.KernelSize[1], steps
		// The layer output: every step's h, from the trace.
		fl.hFinite = ft.pad.run(fl.hpad, fl.ldh, B, frames{steps: steps, n: hid * H * W}, B, T, hid, g, false) && fl.hFinite
	}
	return outs, states, nil
}

// sameSizes reports whether m's cells have the sizes recorded in cells.
func sameSizes(cells []convlstm.Cell, m *convlstm.ConvLSTM) bool {
	if len(cells) != len(m.CellList) {
		return false
	}
	for l, c := range m.CellList {
		r := cells[l]
		if c.InputDim != r.InputDim || c.HiddenDim != r.HiddenDim || c.KernelSize != r.KernelSize || (c.WCi != nil) != (r.WCi != nil) {
			return false
		}
	}
	return true
}

// backwardFast is BPTT over the fast tape.
//
// reference: backwardNaive (tape.go) and backwardStep
// (cell.go) for the elementwise part, the peephole cell's included.
func backwardFast(tape *Tape, gradOutputs []*convlstm.Tensor, gradLast []convlstm.State, needInput bool) (*Grads, error) {
	m := tape.model
	ft := tape.fast
	if len(ft.layers) != m.NumLayers {
		return nil, fmt.Errorf("bptt: Backward: the tape has %d layers, the model %d", len(ft.layers), m.NumLayers)
	}
	grads := ft.grads
	if grads == nil {
		grads = newGrads(m)
		ft.grads = grads
	}
	grads.Input = nil
	for _, w := range grads.Weights {
		clear(w.Data)
	}
	workers := &ft.workers // the cores' share of the work, reused by every step
	B, T, H, W := tape.b, tape.t, tape.h, tape.w
	g := ft.g
	hw := H * W
	TB := T * B
	ld := g.plane(TB)    // channel stride of the planes of all frames
	ldB := g.plane(B)    // and of the planes of one step's B frames
	var dAbove []float32 // dL/dh_t of all steps from the layer above (hid planes of stride ld), nil at the top
	for l := m.NumLayers - 1; l >= 0; l-- {
		fl := &ft.layers[l]
		bl := &fl.back
		cell := m.CellList[l]
		in, hid, kh, kw := fl.in, fl.hid, fl.kh, fl.kw
		ntap := kh * kw
		ktot := (in + hid) * ntap
		wt := cell.Conv.Weight.Data
		var gout []float32 // dL/dlayer_output (B, T, hid, H, W), nil when not returned
		if go_ := gradOutputOf(m, gradOutputs, l); go_ != nil {
			gout = go_.Data
		}
		if len(bl.dz) != 4*hid*ld {
			bl.dz = planes(bl.dz, 4*hid, ld, TB, g) // the gate gradients, i f o g planes
		}
		dz := bl.dz
		hpanels := (hid + kernel.MR - 1) / kernel.MR * kernel.MR
		bl.dh = grow(bl.dh, hpanels*ldB) // dL/dh carried from step t+1, B frames
		dh := bl.dh
		clear(dh)
		bl.dc = grow(bl.dc, B*hid*hw) // dL/dc carried from step t+1, (B, hid, H, W)
		dc := bl.dc
		clear(dc)
		if gl := gradLastOf(m, gradLast, l); gl.H != nil || gl.C != nil {
			if gl.H != nil {
				ft.pad.run(dh, ldB, 0, seqFrames(gl.H.Data, B, 1, hid, false, g), B, 1, hid, g, false)
			}
			if gl.C != nil {
				copy(dc, gl.C.Data)
			}
		}
		es := &bl.es
		*es = gateStep{g: g, B: B, T: T, H: H, W: W, hid: hid, ld: ld, ldB: ldB, dz: dz, dh: dh, dc: dc, dAbove: dAbove, gout: gout}
		if cell.WCi != nil { // a peephole cell's W_ci, W_cf, W_co (hid, H, W) and their gradients
			es.wc = [3][]float32{cell.WCi.Data, cell.WCf.Data, cell.WCo.Data}
			for k, n := range []string{"W_ci", "W_cf", "W_co"} {
				es.dwc[k] = grads.Weights[paramKey(l, n)].Data
			}
		}
		if bl.convH == nil {
			bl.convH = &convT{}
		}
		convH := bl.convH
		convH.init(g, wt, 4*hid, ktot, in*ntap, hid, kh, kw, ft.run.Direct)
		for t := T - 1; t >= 0; t-- {
			es.t, es.st = t, &fl.steps[t]
			es.cprev = fl.c0 // c_{t-1}, (B, hid, H, W); nil for zeros
			if t > 0 {
				es.cprev = fl.steps[t-1].C.Data
			}
			// dZ_t from the trace, the carries and dL/dh_t from above.
			workers.Run(hid, es)
			// dL/dh_{t-1} = convT_h(dZ_t): the carry of step t-1 (after
			// step 0, the gradient of the initial h).
			convH.run(workers, dh, ldB, 0, dz, ld, t*B, B)
		}
		es.st, es.cprev, es.dAbove, es.gout = nil, nil, nil, nil
		// The tape's tensors over the backward's memory.
		bl.shape = [4]int{B, hid, H, W}
		bl.dhT = convlstm.Tensor{Shape: bl.shape[:], Data: grow(bl.dhT.Data, B*hid*hw)}
		ft.pad.run(dh, ldB, 0, seqFrames(bl.dhT.Data, B, 1, hid, false, g), B, 1, hid, g, true)
		bl.dcT = convlstm.Tensor{Shape: bl.shape[:], Data: dc}
		grads.HiddenState[l] = convlstm.State{H: &bl.dhT, C: &bl.dcT}
		// The weight gradient: dZ against the taps of the layer input
		// (frame f of its planes) and of h_{t-1} (frame f of hpad).
		dw := grads.Weights[paramKey(l, "conv.weight")].Data
		xs, ldxs, xf0, xFinite := ft.x, ft.ldx, 0, ft.xFinite
		if l > 0 {
			below := &ft.layers[l-1]
			xs, ldxs, xf0, xFinite = below.hpad, below.ldh, B, below.hFinite
		}
		// The sums of dZ's rows: the bias gradient, and which rows hold
		// an Inf or a NaN.
		sums, rowFinite := ft.rows.run(dz, ld, 4*hid)
		if bt := grads.Weights[paramKey(l, "conv.bias")]; bt != nil {
			for r, v := range sums {
				bt.Data[r] = float32(v)
			}
		}
		ft.dw.run(dw, ktot, 0, dz, ld, 4*hid, xs, ldxs, xf0, in, kh, kw, g, TB, xFinite, rowFinite)
		ft.dw.run(dw, ktot, in*ntap, dz, ld, 4*hid, fl.hpad, fl.ldh, 0, hid, kh, kw, g, TB, fl.hFinite, rowFinite)
		if l == 0 && !needInput {
			break
		}
		// dL/dx of every step at once: the layer below's dL/dh_t.
		inPanels := (in + kernel.MR - 1) / kernel.MR * kernel.MR
		bl.dIn = grow(bl.dIn, inPanels*ld)
		dIn := bl.dIn
		if bl.convX == nil {
			bl.convX = &convT{}
		}
		bl.convX.init(g, wt, 4*hid, ktot, 0, in, kh, kw, ft.run.Direct)
		bl.convX.run(workers, dIn, ld, 0, dz, ld, 0, TB)
		dAbove = dIn
	}
	if needInput {
		ft.dInput = convlstm.Tensor{Shape: ft.inShape[:], Data: grow(ft.dInput.Data, TB*m.InputDim*hw)}
		ft.pad.run(dAbove, ld, 0, seqFrames(ft.dInput.Data, B, T, m.InputDim, !m.BatchFirst, g), B, T, m.InputDim, g, true)
		grads.Input = &ft.dInput
	}
	return grads, nil
}

// grow returns s with n values, reusing its memory when it has room (the
// values are stale).
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}
