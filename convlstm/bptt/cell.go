package bptt

import (
	"math"

	"example.com/convlstm/convlstm"
)

// stepTape is what one naive cell step keeps for its backward pass: the
// step's inputs (x, h_cur, c_cur) and everything the forward computed
// (i, f, o, g, c_next, h_next). All are (B, ., H, W).
type stepTape struct {
	X          *convlstm.Tensor // input_tensor (B, in, H, W)
	HCur, CCur *convlstm.Tensor // cur_state (B, hid, H, W) each
	Step       *convlstm.Step   // i, f, o, g, c_next, h_next (B, hid, H, W) each
}

// backwardStep is the backward of one cell step. Given dh = dL/dh_next and
// dc = dL/dc_next (the part of the loss that reaches c_next directly, from
// the next time step), it accumulates the conv's weight and bias gradients
// into dw and db (db nil without bias) and returns dL/dinput_tensor,
// dL/dh_cur and dL/dc_cur.
//
// reference: Cell.ForwardGates (convlstm/cell.go). Line by line, last line first:
//
//	h_next = o * tanh(c_next)     do = dh * tanh(c_next)
//	                              dc += dh * o * (1 - tanh(c_next)^2)
//	c_next = f*c_cur + i*g        df = dc * c_cur,  dc_cur = dc * f
//	                              di = dc * g,      dg = dc * i
//	i, f, o = sigmoid(cc_i, ...)  dcc_i = di * i*(1-i)  (likewise f, o)
//	g = tanh(cc_g)                dcc_g = dg * (1-g^2)
//	split(combined_conv)          dcombined_conv = cat(dcc_i, dcc_f, dcc_o, dcc_g)
//	combined_conv = conv(combined) Conv2dBackward
//	combined = cat(input, h_cur)   dinput, dh_cur = split(dcombined)
//
// A peephole cell (Shi et al. 2015, eq. 3) adds W_ci∘c_cur to cc_i, W_cf∘c_cur
// to cc_f and W_co∘c_next to cc_o; dwc holds the gradients of W_ci, W_cf,
// W_co (hid, H, W), accumulated here, and c_cur and c_next each get a
// second path:
//
//	o = sigmoid(cc_o + W_co∘c_next)    dc += dcc_o * W_co,   dW_co += dcc_o * c_next
//	i = sigmoid(cc_i + W_ci∘c_cur)     dc_cur += dcc_i * W_ci + dcc_f * W_cf
//	f = sigmoid(cc_f + W_cf∘c_cur)     dW_ci += dcc_i * c_cur,  dW_cf += dcc_f * c_cur
func backwardStep(c *convlstm.Cell, st *stepTape, dh, dc *convlstm.Tensor, dw, db []float32, dwc [3][]float32) (dx, dhCur, dcCur *convlstm.Tensor) {
	s := st.Step
	shape := s.C.Shape // (B, hid, H, W)
	dcci := convlstm.Zeros(shape...)
	dccf := convlstm.Zeros(shape...)
	dcco := convlstm.Zeros(shape...)
	dccg := convlstm.Zeros(shape...)
	dcCur = convlstm.Zeros(shape...)
	var wci, wcf, wco []float32 // the peephole weights (hid, H, W), nil in the seed's cell
	if c.WCi != nil {
		wci, wcf, wco = c.WCi.Data, c.WCf.Data, c.WCo.Data
	}
	for k := range s.C.Data {
		i, f, o, g := s.I.Data[k], s.F.Data[k], s.O.Data[k], s.G.Data[k]
		// py: h_next = o * torch.tanh(c_next)
		tc := float32(math.Tanh(float64(s.C.Data[k]))) // as the forward computed it
		do := dh.Data[k] * tc
		dcco.Data[k] = sigmoidBackward(do, o)
		// c_next reaches the loss twice: through h_next and directly.
		dcn := dc.Data[k] + tanhBackward(dh.Data[k]*o, tc)
		p := k % max(len(wci), 1) // the pixel's (channel, y, x) in W_c*
		if wci != nil {
			// paper: o_t = σ(W_xo*X_t + W_ho*H_{t−1} + W_co∘C_t + b_o)
			dcn += dcco.Data[k] * wco[p]
			dwc[2][p] += dcco.Data[k] * s.C.Data[k]
		}
		// py: c_next = f * c_cur + i * g
		df := dcn * st.CCur.Data[k]
		dcCur.Data[k] = dcn * f
		di := dcn * g
		dg := dcn * i
		// py: i = torch.sigmoid(cc_i) ... g = torch.tanh(cc_g)
		dcci.Data[k] = sigmoidBackward(di, i)
		dccf.Data[k] = sigmoidBackward(df, f)
		dccg.Data[k] = tanhBackward(dg, g)
		if wci != nil {
			// paper: i_t = σ(... + W_ci∘C_{t−1} + b_i), f_t = σ(... + W_cf∘C_{t−1} + b_f)
			dcCur.Data[k] += dcci.Data[k]*wci[p] + dccf.Data[k]*wcf[p]
			dwc[0][p] += dcci.Data[k] * st.CCur.Data[k]
			dwc[1][p] += dccf.Data[k] * st.CCur.Data[k]
		}
	}
	// py: cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
	dCombinedConv := split1Backward([]*convlstm.Tensor{dcci, dccf, dcco, dccg}) // (B, 4*hid, H, W)

	// py: combined_conv = self.conv(combined)
	combined, _ := convlstm.Cat1(st.X, st.HCur)    // (B, in+hid, H, W), recomputed: a copy is cheap
	dCombined := convlstm.Zeros(combined.Shape...) // (B, in+hid, H, W)
	b, cin, h, w := combined.Shape[0], combined.Shape[1], combined.Shape[2], combined.Shape[3]
	conv2dBackwardNaive(dCombined.Data, dw, db, dCombinedConv.Data, combined.Data, c.Conv.Weight.Data,
		b, cin, h, w, c.Conv.OutChannels, c.KernelSize[0], c.KernelSize[1])

	// py: combined = torch.cat([input_tensor, h_cur], dim=1)
	dx, dhCur = cat1Backward(dCombined, c.InputDim) // (B, in, H, W), (B, hid, H, W)
	return dx, dhCur, dcCur
}
