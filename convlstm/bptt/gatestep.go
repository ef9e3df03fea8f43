package bptt

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// gateStep is the elementwise part of one time step of the fast backward:
// from the trace's i, f, o, g, c_t and c_{t-1}, and dL/dh_t (the carry
// from step t+1 plus what the layer above and the loss send), it writes
// dZ_t, the gradients of the gate pre-activations, into their planes and
// carries dL/dc back to c_{t-1}. Its job over [0, hid) runs the hidden
// channels [j0, j1): they touch disjoint rows of every buffer.
//
// reference: backwardStep (cell.go), the same formulas on tensors.
type gateStep struct {
	g               padGeom
	B, T, H, W, hid int
	ld, ldB         int
	dz, dh, dc      []float32 // dZ (4*hid planes, all frames), the dh carry (B frames), dc (B, hid, H, W)
	dAbove, gout    []float32 // dL/dh_t from the layer above (planes, all frames) and from the loss (B, T, hid, H, W); nil for none
	wc, dwc         [3][]float32
	t               int
	st              *convlstm.Step
	cprev           []float32 // c_{t-1} (B, hid, H, W); nil for zeros
}

// Do runs the hidden channels [j0, j1) of step e.t, every batch item, row
// by row: the seed's cell through kernel.GatesBackward, the peephole cell
// through kernel.GatesBackwardPeephole.
func (e *gateStep) Do(j0, j1 int) {
	g, B, T, H, W, hid, ld, ldB, t := e.g, e.B, e.T, e.H, e.W, e.hid, e.ld, e.ldB, e.t
	hw := H * W
	st := e.st
	for j := j0; j < j1; j++ {
		for b := 0; b < B; b++ {
			f := t*B + b
			for y := 0; y < H; y++ {
				p0 := (b*hid+j)*hw + y*W // (b, j, y, 0) in the trace's tensors
				gi, gf := st.I.Data[p0:][:W], st.F.Data[p0:][:W]
				gO, gg := st.O.Data[p0:][:W], st.G.Data[p0:][:W]
				cn := st.C.Data[p0:][:W]
				dcj := e.dc[p0:][:W]
				q := g.at(f, y)
				dhj := e.dh[j*ldB+g.at(b, y):][:W] // the carry, then this step's whole dL/dh
				if e.dAbove != nil {
					for x, v := range e.dAbove[j*ld+q:][:W] {
						dhj[x] += v
					}
				}
				if e.gout != nil {
					for x, v := range e.gout[((b*T+t)*hid+j)*hw+y*W:][:W] {
						dhj[x] += v
					}
				}
				var cp []float32
				if e.cprev != nil {
					cp = e.cprev[p0:][:W]
				}
				if e.wc[0] == nil {
					// backwardStep's formulas, vectorised.
					kernel.GatesBackward(gi, gf, gO, gg, cn, cp, dhj, dcj, e.dz[j*ld+q:], hid*ld)
					continue
				}
				p := j*hw + y*W // (j, y, 0) of the peephole weights
				kernel.GatesBackwardPeephole(gi, gf, gO, gg, cn, cp, dhj, dcj,
					e.dz[j*ld+q:], e.dz[(hid+j)*ld+q:], e.dz[(2*hid+j)*ld+q:], e.dz[(3*hid+j)*ld+q:],
					e.wc[0][p:], e.wc[1][p:], e.wc[2][p:], e.dwc[0][p:], e.dwc[1][p:], e.dwc[2][p:])
			}
		}
	}
}
