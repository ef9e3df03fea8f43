package bptt

import (
	"fmt"
	"runtime"
	"sync"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
	"example.com/convlstm/convlstm/internal/kernel"
)

// The fast training path. The forward is fast.Forward itself: ForwardFast
// records its trace with fast.ForwardTrace. The backward is the BPTT of
// backwardNaive, computed with matrix products.
//
// Layout. Inside the fast backward a sequence of feature maps of one layer is a
// matrix with one row per channel and one column per (t, b, y, x):
//
//	seq[c][((t*B + b)*H + y)*W + x]      (C, T*B*H*W), "CN" layout
//
// so that im2col of all T*B images side by side is a single (C*kh*kw, T*N)
// matrix (N = B*H*W) and the conv of a whole step, or of a whole sequence,
// is one product with the weight viewed as a (4*hid, (in+hid)*kh*kw)
// matrix. Its columns split into the input part Wx (the first in*kh*kw) and
// the hidden part Wh (a conv over cat[x, h] is conv_x(x) + conv_h(h) with
// the weight split along its input channels):
//
//	Z   = Wx · colsX + bias              all T steps in one product
//	Z_t += Wh · colsH_t                  one product per step (recurrent)
//
// (fast.Forward computes these, in its own layout; ForwardFast rebuilds
// colsX and colsH from the trace), and in the backward pass
//
//	dcolsH_t = Wh^T · dZ_t               per step (it feeds step t-1)
//	dWx = dZ · colsX^T,  dWh = dZ · colsH^T,  dbias = row sums of dZ
//	dcolsX = Wx^T · dZ                   all steps at once, then col2im
//
// reference: Forward and backwardNaive (tape.go), which compute the same
// numbers one pixel at a time.

// fastLayer is the fast tape of one layer, in CN layout. TN = T*B*H*W.
type fastLayer struct {
	in, hid, kh, kw int
	colsX           []float32 // (in*kh*kw, TN)  im2col of the layer input
	colsH           []float32 // (hid*kh*kw, TN) im2col of h_{t-1}, block t
	gates           []float32 // (4*hid, TN)     i, f, o (sigmoid) and g (tanh)
	c               []float32 // (hid, TN)       c_t
	tc              []float32 // (hid, TN)       tanh(c_t)
	c0              []float32 // (hid, N)        the initial c
}

// fastTape is the tape of the fast path.
type fastTape struct {
	layers []fastLayer
}

// bpttParallel runs f over [0, n) split into one contiguous chunk per core
// (at most n chunks) and waits for all of them.
func bpttParallel(n int, f func(lo, hi int)) {
	p := min(n, runtime.GOMAXPROCS(0))
	if p <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < p; w++ {
		lo, hi := w*n/p, (w+1)*n/p
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// im2col unrolls nimg images of C channels (channel c of image j at
// src[c*lds + j*H*W:]) into dst, a (C*kh*kw, nimg*H*W) matrix with row
// stride ldd: dst[(c*kh+dy)*kw+dx][j*H*W + y*W + x] = xpad[c, j, y+dy, x+dx],
// zero where the tap falls in the padding. The row order matches the
// weight's (in, kh, kw) axes, so W (4*hid, in*kh*kw) · dst is the conv.
//
// reference: conv2dNaive (convlstm/conv.go), whose inner loops read the same taps.
//
// The (channel, image) pairs write disjoint parts of dst, so they are
// shared out among the cores.
func im2col(dst []float32, ldd int, src []float32, lds, nimg, C, H, W, kh, kw int) {
	ph, pw := kh/2, kw/2
	hw := H * W
	bpttParallel(C*nimg, func(lo, hi int) {
		for cj := lo; cj < hi; cj++ {
			c, j := cj/nimg, cj%nimg
			for dy := 0; dy < kh; dy++ {
				for dx := 0; dx < kw; dx++ {
					row := dst[((c*kh+dy)*kw+dx)*ldd:]
					img := src[c*lds+j*hw : c*lds+(j+1)*hw]
					out := row[j*hw : (j+1)*hw]
					for y := 0; y < H; y++ {
						iy := y + dy - ph
						o := out[y*W : (y+1)*W]
						if iy < 0 || iy >= H {
							clear(o)
							continue
						}
						irow := img[iy*W : (iy+1)*W]
						// x + dx - pw must lie in [0, W).
						x0, x1 := max(0, pw-dx), min(W, W+pw-dx)
						clear(o[:x0])
						copy(o[x0:x1], irow[x0+dx-pw:x1+dx-pw])
						clear(o[x1:])
					}
				}
			}
		}
	})
}

// col2im is the backward of im2col: every unrolled entry adds its
// gradient back to the pixel it was copied from (padding taps are dropped).
// Like im2col it shares the (channel, image) pairs out among the cores:
// each adds only into its own image plane of ddst.
func col2im(ddst []float32, lds int, dcols []float32, ldd, nimg, C, H, W, kh, kw int) {
	ph, pw := kh/2, kw/2
	hw := H * W
	bpttParallel(C*nimg, func(lo, hi int) {
		for cj := lo; cj < hi; cj++ {
			c, j := cj/nimg, cj%nimg
			for dy := 0; dy < kh; dy++ {
				for dx := 0; dx < kw; dx++ {
					row := dcols[((c*kh+dy)*kw+dx)*ldd:]
					img := ddst[c*lds+j*hw : c*lds+(j+1)*hw]
					g := row[j*hw : (j+1)*hw]
					for y := 0; y < H; y++ {
						iy := y + dy - ph
						if iy < 0 || iy >= H {
							continue
						}
						irow := img[iy*W : (iy+1)*W]
						x0, x1 := max(0, pw-dx), min(W, W+pw-dx)
						gr := g[y*W+x0 : y*W+x1]
						ir := irow[x0+dx-pw : x1+dx-pw]
						for k, v := range gr {
							ir[k] += v
						}
					}
				}
			}
		}
	})
}

// seqToCN turns a 5-D sequence into CN layout (C, T*B*H*W). batchFirst tells
// whether x is (B, T, C, H, W) or (T, B, C, H, W).
func seqToCN(x *convlstm.Tensor, batchFirst bool) []float32 {
	d0, d1, C := x.Shape[0], x.Shape[1], x.Shape[2]
	hw := x.Shape[3] * x.Shape[4]
	B, T := d0, d1
	if !batchFirst {
		B, T = d1, d0
	}
	out := make([]float32, len(x.Data))
	for i := 0; i < d0; i++ {
		for j := 0; j < d1; j++ {
			b, t := i, j
			if !batchFirst {
				b, t = j, i
			}
			for c := 0; c < C; c++ {
				copy(out[(c*T+t)*B*hw+b*hw:][:hw], x.Data[((i*d1+j)*C+c)*hw:][:hw])
			}
		}
	}
	return out
}

// seqFromCN is the inverse of seqToCN: (C, T*B*H*W) to a new (B, T, C, H, W)
// tensor, or (T, B, C, H, W) when batchFirst is false.
func seqFromCN(cn []float32, B, T, C, H, W int, batchFirst bool) *convlstm.Tensor {
	hw := H * W
	d0, d1 := B, T
	if !batchFirst {
		d0, d1 = T, B
	}
	out := convlstm.Zeros(d0, d1, C, H, W)
	for i := 0; i < d0; i++ {
		for j := 0; j < d1; j++ {
			b, t := i, j
			if !batchFirst {
				b, t = j, i
			}
			for c := 0; c < C; c++ {
				copy(out.Data[((i*d1+j)*C+c)*hw:][:hw], cn[(c*T+t)*B*hw+b*hw:][:hw])
			}
		}
	}
	return out
}

// stateToCN turns a (B, C, H, W) state into (C, B*H*W); stateFromCN undoes it.
func stateToCN(x *convlstm.Tensor) []float32 {
	B, C, hw := x.Shape[0], x.Shape[1], x.Shape[2]*x.Shape[3]
	out := make([]float32, len(x.Data))
	for b := 0; b < B; b++ {
		for c := 0; c < C; c++ {
			copy(out[(c*B+b)*hw:][:hw], x.Data[(b*C+c)*hw:][:hw])
		}
	}
	return out
}

func stateFromCN(cn []float32, B, C, H, W int) *convlstm.Tensor {
	hw := H * W
	out := convlstm.Zeros(B, C, H, W)
	for b := 0; b < B; b++ {
		for c := 0; c < C; c++ {
			copy(out.Data[(b*C+c)*hw:][:hw], cn[(c*B+b)*hw:][:hw])
		}
	}
	return out
}

// ForwardFast is fast.Forward that also returns the Tape Backward needs:
// the same arguments, outputs and errors. The forward is fast.ForwardTrace,
// the code fast.Forward runs; its trace (every step's i, f, o, g, c and h)
// becomes the matrices the backward's products read.
func ForwardFast(m *convlstm.ConvLSTM, input *convlstm.Tensor, hiddenState []convlstm.State) (*Tape, []*convlstm.Tensor, []convlstm.State, error) {
	if err := m.CheckForward(input, hiddenState); err != nil {
		return nil, nil, nil, err
	}
	if err := checkTape(m, input); err != nil {
		return nil, nil, nil, err
	}
	trace := &convlstm.Trace{}
	outs, states, err := fast.ForwardTrace(m, input, hiddenState, trace)
	if err != nil {
		return nil, nil, nil, err
	}
	B, T := input.Shape[0], input.Shape[1]
	if !m.BatchFirst {
		B, T = T, B
	}
	H, W := input.Shape[3], input.Shape[4]
	N := B * H * W
	TN := T * N
	tape := &Tape{model: m, inputShape: append([]int(nil), input.Shape...), b: B, t: T, h: H, w: W, cells: recordCells(m),
		fast: &fastTape{layers: make([]fastLayer, m.NumLayers)}}
	cur := seqToCN(input, m.BatchFirst) // (in, TN)
	for l, steps := range trace.Layers {
		cell := m.CellList[l]
		in, hid, kh, kw := cell.InputDim, cell.HiddenDim, cell.KernelSize[0], cell.KernelSize[1]
		kx, khh := in*kh*kw, hid*kh*kw
		fl := fastLayer{in: in, hid: hid, kh: kh, kw: kw,
			colsX: make([]float32, kx*TN), colsH: make([]float32, khh*TN),
			gates: make([]float32, 4*hid*TN), c: make([]float32, hid*TN), tc: make([]float32, hid*TN)}
		out := make([]float32, hid*TN) // h_t for all t: the layer output, (hid, TN)
		// Each step's (B, hid, H, W) tensors of the trace, into CN rows.
		hw := H * W
		bpttParallel(hid, func(j0, j1 int) {
			for t, st := range steps {
				for b := 0; b < B; b++ {
					for j := j0; j < j1; j++ {
						src := (b*hid + j) * hw
						dst := t*N + b*hw
						for g, gt := range [4]*convlstm.Tensor{st.I, st.F, st.O, st.G} {
							copy(fl.gates[(g*hid+j)*TN+dst:][:hw], gt.Data[src:src+hw])
						}
						copy(fl.c[j*TN+dst:][:hw], st.C.Data[src:src+hw])
						copy(out[j*TN+dst:][:hw], st.H.Data[src:src+hw])
						tc := fl.tc[j*TN+dst:][:hw]
						for p, v := range st.C.Data[src : src+hw] {
							tc[p] = kernel.Tanh(v)
						}
					}
				}
			}
		})
		var h0 []float32
		if hiddenState != nil {
			h0, fl.c0 = stateToCN(hiddenState[l].H), stateToCN(hiddenState[l].C)
		} else {
			h0, fl.c0 = make([]float32, hid*N), make([]float32, hid*N)
		}
		// The im2col matrices of the weight gradient: of the layer input
		// for all steps at once, of h_{t-1} step by step.
		im2col(fl.colsX, TN, cur, TN, T*B, in, H, W, kh, kw)
		for t := 0; t < T; t++ {
			hsrc, lds := h0, N
			if t > 0 {
				hsrc, lds = out[(t-1)*N:], TN
			}
			im2col(fl.colsH[t*N:], TN, hsrc, lds, B, hid, H, W, kh, kw)
		}
		tape.fast.layers[l] = fl
		cur = out
	}
	return tape, outs, states, nil
}

// backwardFast is BPTT over the fast tape.
//
// reference: backwardNaive (tape.go) and backwardStep
// (cell.go) for the elementwise part, the peephole cell's included.
func backwardFast(tape *Tape, gradOutputs []*convlstm.Tensor, gradLast []convlstm.State, needInput bool) (*Grads, error) {
	m := tape.model
	if len(tape.fast.layers) != m.NumLayers {
		return nil, fmt.Errorf("bptt: Backward: the tape has %d layers, the model %d", len(tape.fast.layers), m.NumLayers)
	}
	grads := newGrads(m)
	B, T, H, W := tape.b, tape.t, tape.h, tape.w
	N := B * H * W
	TN := T * N
	var dAbove []float32 // (in_{l+1} = hid_l, TN)
	for l := m.NumLayers - 1; l >= 0; l-- {
		fl := &tape.fast.layers[l]
		cell := m.CellList[l]
		in, hid, kh, kw := fl.in, fl.hid, fl.kh, fl.kw
		kx, khh := in*kh*kw, hid*kh*kw
		K := kx + khh
		wt := cell.Conv.Weight.Data
		dOut := dAbove // dL/dh_t for all t, (hid, TN)
		if dOut == nil {
			dOut = make([]float32, hid*TN)
		}
		if g := gradOutputOf(m, gradOutputs, l); g != nil {
			gcn := seqToCN(g, true)
			for k, v := range gcn {
				dOut[k] += v
			}
		}
		dz := make([]float32, 4*hid*TN)
		dh := make([]float32, hid*N) // carried from step t+1
		dc := make([]float32, hid*N)
		if gl := gradLastOf(m, gradLast, l); gl.H != nil || gl.C != nil {
			if gl.H != nil {
				copy(dh, stateToCN(gl.H))
			}
			if gl.C != nil {
				copy(dc, stateToCN(gl.C))
			}
		}
		var wc, dwc [3][]float32 // a peephole cell's W_ci, W_cf, W_co (hid, H, W) and their gradients
		if cell.WCi != nil {
			wc = [3][]float32{cell.WCi.Data, cell.WCf.Data, cell.WCo.Data}
			for k, n := range []string{"W_ci", "W_cf", "W_co"} {
				dwc[k] = grads.Weights[fmt.Sprintf("cell_list.%d.%s", l, n)].Data
			}
		}
		hw := H * W
		dcolsH := make([]float32, khh*N)
		for t := T - 1; t >= 0; t-- {
			cprev, ldp := fl.c0, N
			if t > 0 {
				cprev, ldp = fl.c[(t-1)*N:], TN
			}
			bpttParallel(hid, func(j0, j1 int) {
				for j := j0; j < j1; j++ {
					gi := fl.gates[j*TN+t*N:][:N]
					gf := fl.gates[(hid+j)*TN+t*N:][:N]
					gO := fl.gates[(2*hid+j)*TN+t*N:][:N]
					gg := fl.gates[(3*hid+j)*TN+t*N:][:N]
					di := dz[j*TN+t*N:][:N]
					df := dz[(hid+j)*TN+t*N:][:N]
					do := dz[(2*hid+j)*TN+t*N:][:N]
					dg := dz[(3*hid+j)*TN+t*N:][:N]
					tcn := fl.tc[j*TN+t*N:][:N]
					cp := cprev[j*ldp:][:N]
					dht := dOut[j*TN+t*N:][:N]
					dhj := dh[j*N:][:N]
					dcj := dc[j*N:][:N]
					if wc[0] != nil {
						cn := fl.c[j*TN+t*N:][:N]
						wci, wcf, wco := wc[0][j*hw:][:hw], wc[1][j*hw:][:hw], wc[2][j*hw:][:hw]
						dwci, dwcf, dwco := dwc[0][j*hw:][:hw], dwc[1][j*hw:][:hw], dwc[2][j*hw:][:hw]
						for k := 0; k < N; k++ {
							p := k % hw
							i, f, o, g := gi[k], gf[k], gO[k], gg[k]
							dhk := dht[k] + dhj[k]
							tc := tcn[k]
							dco := sigmoidBackward(dhk*tc, o)
							dcn := dcj[k] + tanhBackward(dhk*o, tc) + dco*wco[p]
							dfk := sigmoidBackward(dcn*cp[k], f)
							dik := sigmoidBackward(dcn*g, i)
							do[k], df[k], di[k] = dco, dfk, dik
							dg[k] = tanhBackward(dcn*i, g)
							dcj[k] = dcn*f + dik*wci[p] + dfk*wcf[p]
							dwco[p] += dco * cn[k]
							dwci[p] += dik * cp[k]
							dwcf[p] += dfk * cp[k]
						}
						continue
					}
					for k := 0; k < N; k++ {
						i, f, o, g := gi[k], gf[k], gO[k], gg[k]
						dhk := dht[k] + dhj[k]
						tc := tcn[k]
						dcn := dcj[k] + tanhBackward(dhk*o, tc)
						do[k] = sigmoidBackward(dhk*tc, o)
						df[k] = sigmoidBackward(dcn*cp[k], f)
						di[k] = sigmoidBackward(dcn*g, i)
						dg[k] = tanhBackward(dcn*i, g)
						dcj[k] = dcn * f
					}
				}
			})
			// dcolsH_t = Wh^T · dZ_t, then back to the pixels of h_{t-1}.
			kernel.Sgemm(true, false, khh, N, 4*hid, 1, wt[kx:], K, dz[t*N:], TN, 0, dcolsH, N)
			clear(dh)
			col2im(dh, N, dcolsH, N, B, hid, H, W, kh, kw)
		}
		grads.HiddenState[l] = convlstm.State{H: stateFromCN(dh, B, hid, H, W), C: stateFromCN(dc, B, hid, H, W)}
		dw := grads.Weights[fmt.Sprintf("cell_list.%d.conv.weight", l)].Data
		kernel.Sgemm(false, true, 4*hid, kx, TN, 1, dz, TN, fl.colsX, TN, 0, dw, K)
		kernel.Sgemm(false, true, 4*hid, khh, TN, 1, dz, TN, fl.colsH, TN, 0, dw[kx:], K)
		if bt := grads.Weights[fmt.Sprintf("cell_list.%d.conv.bias", l)]; bt != nil {
			for r := range bt.Data {
				var s float64
				for _, v := range dz[r*TN : (r+1)*TN] {
					s += float64(v)
				}
				bt.Data[r] = float32(s)
			}
		}
		if l == 0 && !needInput {
			break
		}
		dcolsX := make([]float32, kx*TN)
		kernel.Sgemm(true, false, kx, TN, 4*hid, 1, wt, K, dz, TN, 0, dcolsX, TN)
		dIn := make([]float32, in*TN)
		col2im(dIn, TN, dcolsX, TN, T*B, in, H, W, kh, kw)
		dAbove = dIn
	}
	if needInput {
		grads.Input = seqFromCN(dAbove, B, T, m.InputDim, H, W, m.BatchFirst)
	}
	return grads, nil
}
