package kernel

// GatesBackward is the backward of FusedGates on one row of pixels of one
// hidden channel (the seed's cell, no peepholes): given the activations
// i, f, o, g (gi, gf, gO, gg), the new cell state cn, the previous one cp
// (nil for zeros), dh = dL/dh_next and dc = dL/dc_next, it writes the
// gradients of the four gate pre-activations to dz[0:n], dz[ldz:ldz+n],
// dz[2*ldz:] and dz[3*ldz:] (i, f, o, g), and replaces dc with dL/dc_cur:
//
//	tc = tanh(cn);  dcn = dc + dh*o*(1-tc²)
//	do = dh*tc*o*(1-o);  df = dcn*cp*f*(1-f);  di = dcn*g*i*(1-i);  dg = dcn*i*(1-g²)
//	dc = dcn*f
//
// reference: backwardStep (convlstm/bptt/cell.go). The vector kernel of
// the current level does the longest multiple of its lane count; the
// scalar loop below does the rest (all of it below AVX-512).
func GatesBackward(gi, gf, gO, gg, cn, cp, dh, dc, dz []float32, ldz int) {
	n := len(cn)
	gi, gf, gO, gg, dh, dc = gi[:n], gf[:n], gO[:n], gg[:n], dh[:n], dc[:n]
	_ = dz[3*ldz+n-1]
	v := gatesBackwardVec(gi, gf, gO, gg, cn, cp, dh, dc, dz, ldz)
	for p := v; p < n; p++ {
		var c0 float32
		if cp != nil {
			c0 = cp[p]
		}
		i, f, o, g := gi[p], gf[p], gO[p], gg[p]
		tc := Tanh(cn[p])
		dcn := dc[p] + dh[p]*o*(1-tc*tc)
		dz[2*ldz+p] = dh[p] * tc * o * (1 - o)
		dz[ldz+p] = dcn * c0 * f * (1 - f)
		dz[p] = dcn * g * i * (1 - i)
		dz[3*ldz+p] = dcn * i * (1 - g*g)
		dc[p] = dcn * f
	}
}

// GatesBackwardPeephole is the backward of FusedGatesPeephole on one row:
// GatesBackward's arguments with the gate gradients in the rows di, df,
// do, dg, plus the row's peephole weights wci, wcf, wco, whose gradients
// it adds into dwci, dwcf, dwco:
//
//	tc = tanh(cn);  do = dh*tc*o*(1-o)
//	dcn = dc + dh*o*(1-tc²) + do*wco
//	df = dcn*cp*f*(1-f);  di = dcn*g*i*(1-i);  dg = dcn*i*(1-g²)
//	dc = dcn*f + di*wci + df*wcf
//	dwco += do*cn;  dwci += di*cp;  dwcf += df*cp
//
// reference: backwardStep (convlstm/bptt/cell.go), the peephole lines. The
// AVX-512 kernel does the longest multiple of 16 pixels at that level (the
// same products and sums in the same order, no fused multiply-adds); the
// Go loop does the rest.
func GatesBackwardPeephole(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco []float32) {
	n := len(cn)
	gi, gf, gO, gg, dh, dc = gi[:n], gf[:n], gO[:n], gg[:n], dh[:n], dc[:n]
	di, df, do, dg = di[:n], df[:n], do[:n], dg[:n]
	wci, wcf, wco, dwci, dwcf, dwco = wci[:n], wcf[:n], wco[:n], dwci[:n], dwcf[:n], dwco[:n]
	v := gatesBackwardPeepholeVec(gi, gf, gO, gg, cn, cp, dh, dc, di, df, do, dg, wci, wcf, wco, dwci, dwcf, dwco)
	for x := v; x < n; x++ {
		var c0 float32
		if cp != nil {
			c0 = cp[x]
		}
		i, f, o, g := gi[x], gf[x], gO[x], gg[x]
		dhk := dh[x]
		tc := Tanh(cn[x])
		dco := dhk * tc * o * (1 - o)
		dcn := dc[x] + dhk*o*(1-tc*tc) + dco*wco[x]
		dfk := dcn * c0 * f * (1 - f)
		dik := dcn * g * i * (1 - i)
		do[x], df[x], di[x] = dco, dfk, dik
		dg[x] = dcn * i * (1 - g*g)
		dc[x] = dcn*f + dik*wci[x] + dfk*wcf[x]
		dwco[x] += dco * cn[x]
		dwci[x] += dik * c0
		dwcf[x] += dfk * c0
	}
}
