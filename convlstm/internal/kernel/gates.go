package kernel

// FusedGates is the fast path's epilogue on one row of pixels of one hidden
// channel: the four gate pre-activations of the row (gi, gf, gO, gg), the
// cell state c (updated in place) and the hidden state h (written):
//
//	i, f, o = sigmoid(cc_i), sigmoid(cc_f), sigmoid(cc_o);  g = tanh(cc_g)
//	c = f*c + i*g;  h = o*tanh(c)
//
// The vector kernel of the current level does the longest multiple of its
// lane count; the scalar loop below does the rest (all of it at the
// generic level).
func FusedGates(gi, gf, gO, gg, c, h []float32) { fusedGatesRow(gi, gf, gO, gg, c, h, false) }

// FusedGatesKeep is FusedGates that also leaves the activations i, f, o, g
// in place of the pre-activations (for a trace or a training tape).
func FusedGatesKeep(gi, gf, gO, gg, c, h []float32) { fusedGatesRow(gi, gf, gO, gg, c, h, true) }

// fusedGatesRow is FusedGates, and FusedGatesKeep when keep is set.
func fusedGatesRow(gi, gf, gO, gg, c, h []float32, keep bool) {
	v := fusedGatesVec(gi, gf, gO, gg, c, h, keep)
	gi, gf, gO, gg, c, h = gi[v:], gf[v:], gO[v:], gg[v:], c[v:], h[v:]
	n := len(c)
	gi, gf, gO, gg, h = gi[:n], gf[:n], gO[:n], gg[:n], h[:n]
	for p := range c {
		i := Sigmoid(gi[p])
		f := Sigmoid(gf[p])
		o := Sigmoid(gO[p])
		g := Tanh(gg[p])
		if keep {
			gi[p], gf[p], gO[p], gg[p] = i, f, o, g
		}
		cn := f*c[p] + i*g
		c[p] = cn
		h[p] = o * Tanh(cn)
	}
}

// FusedGatesPeephole is the epilogue of a peephole cell (Shi et al. 2015,
// eq. 3), AVX-512 assembly at that level and Go below it: wci, wcf and wco
// are the row's peephole weights, and the activations replace the
// pre-activations when keep is set.
//
//	i, f = sigmoid(cc_i + wci*c), sigmoid(cc_f + wcf*c);  g = tanh(cc_g)
//	c = f*c + i*g;  o = sigmoid(cc_o + wco*c);  h = o*tanh(c)
func FusedGatesPeephole(gi, gf, gO, gg, wci, wcf, wco, c, h []float32, keep bool) {
	if fusedGatesPeepholeVec(gi, gf, gO, gg, wci, wcf, wco, c, h, keep) == len(c) {
		return
	}
	n := len(c)
	gi, gf, gO, gg, wci, wcf, wco, h = gi[:n], gf[:n], gO[:n], gg[:n], wci[:n], wcf[:n], wco[:n], h[:n]
	for p, cp := range c {
		i := Sigmoid(gi[p] + wci[p]*cp)
		f := Sigmoid(gf[p] + wcf[p]*cp)
		g := Tanh(gg[p])
		cn := f*cp + i*g
		o := Sigmoid(gO[p] + wco[p]*cn)
		if keep {
			gi[p], gf[p], gO[p], gg[p] = i, f, o, g
		}
		c[p] = cn
		h[p] = o * Tanh(cn)
	}
}
