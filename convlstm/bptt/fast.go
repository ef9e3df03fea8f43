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
	c0              []float32       // the initial c (B, hid, H, W), nil for zeros
	hpad            []float32       // (hid planes) frames h0 (B of them), then h_t of step t at B + t*B + b
	ldh             int             // the channel stride of hpad
	hFinite         bool            // hpad holds no Inf or NaN
}

// fastTape is the tape of the fast path.
type fastTape struct {
	trace   *convlstm.Trace // the forward's trace, recycled by Release
	g       padGeom
	x       []float32 // layer 0's input, in planes, frame t*B+b
	ldx     int
	xFinite bool
	layers  []fastLayer
}

// ForwardFast is fast.Forward that also returns the Tape Backward needs:
// the same arguments, outputs and errors. The forward is fast.ForwardTrace,
// the code fast.Forward runs; its trace (every step's i, f, o, g, c and h)
// is the tape, with the layer inputs and outputs copied into padded planes
// for the weight gradient.
func ForwardFast(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (tape *Tape, outs []*convlstm.Tensor, states []convlstm.State, err error) {
	defer func() {
		if r := recover(); r != nil {
			tape, outs, states, err = nil, nil, nil, internalError("ForwardFast", r)
		}
	}()
	if err := m.CheckForward(input, hiddenState); err != nil {
		return nil, nil, nil, err
	}
	if err := checkTape(m, input); err != nil {
		return nil, nil, nil, err
	}
	trace := &convlstm.Trace{}
	outs, states, err = fast.ForwardTrace(m, input, hiddenState, trace)
	if err != nil {
		return nil, nil, nil, err
	}
	B, T := input.Shape[0], input.Shape[1]
	if !m.BatchFirst {
		B, T = T, B
	}
	H, W := input.Shape[3], input.Shape[4]
	g := newPadGeom(m, H, W)
	ft := &fastTape{trace: trace, g: g, layers: make([]fastLayer, m.NumLayers), ldx: g.plane(T * B)}
	ft.x = getPlanes(m.InputDim, ft.ldx, T*B, g)
	ft.xFinite = padFrames(ft.x, ft.ldx, 0, seqFrames(input.Data, B, T, m.InputDim, !m.BatchFirst, g), B, T, m.InputDim, g)
	tape = &Tape{model: m, inputShape: append([]int(nil), input.Shape...), b: B, t: T, h: H, w: W, cells: recordCells(m), fast: ft}
	for l, steps := range trace.Layers {
		cell := m.CellList[l]
		hid := cell.HiddenDim
		fl := fastLayer{in: cell.InputDim, hid: hid, kh: cell.KernelSize[0], kw: cell.KernelSize[1], steps: steps, ldh: g.plane((T + 1) * B)}
		fl.hpad = getPlanes(hid, fl.ldh, (T+1)*B, g)
		fl.hFinite = true
		if hiddenState == nil {
			for c := 0; c < hid; c++ { // h0 = 0
				clear(fl.hpad[c*fl.ldh:][:g.frame(B)])
			}
		} else {
			fl.c0 = hiddenState[l].C.Data
			fl.hFinite = padFrames(fl.hpad, fl.ldh, 0, seqFrames(hiddenState[l].H.Data, B, 1, hid, false, g), B, 1, hid, g)
		}
		// The layer output: every step's h, from the trace.
		stepH := func(t, b int) []float32 { return steps[t].H.Data[b*hid*H*W:][:hid*H*W] }
		fl.hFinite = padFrames(fl.hpad, fl.ldh, B, stepH, B, T, hid, g) && fl.hFinite
		ft.layers[l] = fl
	}
	return tape, outs, states, nil
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
	grads := newGrads(m)
	var workers call // the cores' share of the work, reused by every step
	B, T, H, W := tape.b, tape.t, tape.h, tape.w
	g := ft.g
	hw := H * W
	TB := T * B
	ld := g.plane(TB)    // channel stride of the planes of all frames
	ldB := g.plane(B)    // and of the planes of one step's B frames
	var dAbove []float32 // dL/dh_t of all steps from the layer above (hid planes of stride ld), nil at the top
	for l := m.NumLayers - 1; l >= 0; l-- {
		fl := &ft.layers[l]
		cell := m.CellList[l]
		in, hid, kh, kw := fl.in, fl.hid, fl.kh, fl.kw
		ntap := kh * kw
		ktot := (in + hid) * ntap
		wt := cell.Conv.Weight.Data
		var gout []float32 // dL/dlayer_output (B, T, hid, H, W), nil when not returned
		if go_ := gradOutputOf(m, gradOutputs, l); go_ != nil {
			gout = go_.Data
		}
		dz := getPlanes(4*hid, ld, TB, g) // the gate gradients, i f o g planes
		defer putBuf(dz)
		hpanels := (hid + kernel.MR - 1) / kernel.MR * kernel.MR
		dh := getBuf(hpanels * ldB) // dL/dh carried from step t+1, B frames
		defer putBuf(dh)
		clear(dh)
		dc := make([]float32, B*hid*hw) // dL/dc carried from step t+1, (B, hid, H, W)
		if gl := gradLastOf(m, gradLast, l); gl.H != nil || gl.C != nil {
			if gl.H != nil {
				padFrames(dh, ldB, 0, seqFrames(gl.H.Data, B, 1, hid, false, g), B, 1, hid, g)
			}
			if gl.C != nil {
				copy(dc, gl.C.Data)
			}
		}
		es := &gateStep{g: g, B: B, T: T, H: H, W: W, hid: hid, ld: ld, ldB: ldB, dz: dz, dh: dh, dc: dc, dAbove: dAbove, gout: gout}
		if cell.WCi != nil { // a peephole cell's W_ci, W_cf, W_co (hid, H, W) and their gradients
			es.wc = [3][]float32{cell.WCi.Data, cell.WCf.Data, cell.WCo.Data}
			for k, n := range []string{"W_ci", "W_cf", "W_co"} {
				es.dwc[k] = grads.Weights[paramKey(l, n)].Data
			}
		}
		convH := newConvT(g, wt, 4*hid, ktot, in*ntap, hid, kh, kw)
		defer convH.release()
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
			convH.run(&workers, dh, ldB, 0, dz, ld, t*B, B)
		}
		grads.HiddenState[l] = convlstm.State{
			H: &convlstm.Tensor{Shape: []int{B, hid, H, W}, Data: unpadFrames(dh, ldB, B, 1, hid, false, g).Data},
			C: &convlstm.Tensor{Shape: []int{B, hid, H, W}, Data: dc},
		}
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
		sums, rowFinite := rowSums(dz, ld, 4*hid)
		if bt := grads.Weights[paramKey(l, "conv.bias")]; bt != nil {
			for r, v := range sums {
				bt.Data[r] = float32(v)
			}
		}
		dwDots(dw, ktot, 0, dz, ld, 4*hid, xs, ldxs, xf0, in, kh, kw, g, TB, xFinite, rowFinite)
		dwDots(dw, ktot, in*ntap, dz, ld, 4*hid, fl.hpad, fl.ldh, 0, hid, kh, kw, g, TB, fl.hFinite, rowFinite)
		if l == 0 && !needInput {
			break
		}
		// dL/dx of every step at once: the layer below's dL/dh_t.
		inPanels := (in + kernel.MR - 1) / kernel.MR * kernel.MR
		dIn := getBuf(inPanels * ld)
		defer putBuf(dIn)
		convX := newConvT(g, wt, 4*hid, ktot, 0, in, kh, kw)
		defer convX.release()
		convX.run(&workers, dIn, ld, 0, dz, ld, 0, TB)
		dAbove = dIn
	}
	if needInput {
		grads.Input = unpadFrames(dAbove, ld, B, T, m.InputDim, !m.BatchFirst, g)
	}
	return grads, nil
}
