package bptt

import (
	"math"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/kernel"
)

// FuzzBackwardFastVsReadable runs the fast backward (ForwardFast, then
// BackwardStates) and the readable one (Forward, then BackwardStates) on
// the same random model, input, hidden state, output gradients and
// last-state gradients, and requires the same gradients as
// TestFastBackwardVsReadable does (NaN where the readable path has NaN,
// equal infinities, finite values within 1e-4 + 1e-3*|readable|). The
// sizes reach what the padded planes must get right: frames from 1 pixel
// to 40 wide, kernels 1 to 5 on either axis and different per layer (one
// geometry for all), sequences long enough for several frames per strip
// of a tiny frame. Flag 16 puts NaN and infinities into the input (the
// weight gradient then sums over pixels only), flag 32 an infinity into a
// weight's centre tap (the input gradient then redoes the edge pixels),
// flag 64 builds a peephole model, flag 128 takes Winograd's algorithm
// wherever it can run (kernel.WinoAlways: in the forward and in the
// transposed convs). make fuzz runs it.
func FuzzBackwardFastVsReadable(f *testing.F) {
	f.Add(uint8(2), uint8(3), uint8(4), uint8(2), uint8(3), uint8(6), uint8(9), uint8(2), uint8(0b1111), int64(1))
	f.Add(uint8(1), uint8(16), uint8(0), uint8(1), uint8(2), uint8(5), uint8(33), uint8(1), uint8(0b0101), int64(2))
	f.Add(uint8(3), uint8(4), uint8(7), uint8(2), uint8(3), uint8(1), uint8(1), uint8(2), uint8(0b0011), int64(3))
	f.Add(uint8(2), uint8(5), uint8(2), uint8(2), uint8(2), uint8(7), uint8(16), uint8(1), uint8(0b10001), int64(4))
	f.Add(uint8(2), uint8(3), uint8(1), uint8(1), uint8(3), uint8(5), uint8(8), uint8(2), uint8(0b100011), int64(5))
	f.Add(uint8(2), uint8(4), uint8(1), uint8(2), uint8(2), uint8(4), uint8(6), uint8(1), uint8(0b1000111), int64(6))
	f.Add(uint8(2), uint8(16), uint8(0), uint8(2), uint8(3), uint8(6), uint8(9), uint8(2), uint8(0b10001111), int64(7))
	f.Add(uint8(3), uint8(5), uint8(4), uint8(2), uint8(2), uint8(7), uint8(33), uint8(1), uint8(0b10000011), int64(8))
	f.Fuzz(func(t *testing.T, cin, hid, kSel, b, tt, h, w, layers, flags uint8, seed int64) {
		if flags&128 != 0 {
			defer kernel.SetWinoPolicy(kernel.WinoAlways)()
		}
		c := int(cin%6) + 1
		hd := int(hid%20) + 1
		nb, nt := int(b%3)+1, int(tt%5)+1
		ny, nx := int(h%9)+1, int(w%40)+1
		nl := int(layers%3) + 1
		hidden := make([]int, nl)
		ks := make([][2]int, nl)
		for l := range hidden {
			s := int(kSel) + 3*l
			hidden[l], ks[l] = hd+l, [2]int{1 + 2*(s%3), 1 + 2*((s/3)%3)}
		}
		peephole := flags&64 != 0
		convlstm.ManualSeed(seed)
		m, err := convlstm.New(convlstm.Config{InputDim: c, HiddenDim: hidden, KernelSize: ks, NumLayers: nl,
			BatchFirst: flags&1 != 0, Bias: flags&2 != 0, ReturnAllLayers: flags&8 != 0, Peephole: peephole, ImageSize: [2]int{ny, nx}})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		rnd := func(shape ...int) *convlstm.Tensor {
			x := convlstm.Zeros(shape...)
			for i := range x.Data {
				x.Data[i] = float32(rng.Float64()*2 - 1)
			}
			return x
		}
		for _, cell := range m.CellList {
			for _, p := range []*convlstm.Tensor{cell.WCi, cell.WCf, cell.WCo} {
				if p != nil {
					copy(p.Data, rnd(p.Shape...).Data)
				}
			}
		}
		if flags&32 != 0 {
			// At the centre tap, which never meets the padding: where a tap
			// multiplies a padding zero, the readable forward (no product)
			// and the fast one (Inf * 0 = NaN) differ, as PyTorch's own
			// kernels do (README, non-finite values).
			cell := m.CellList[rng.Intn(nl)]
			kh, kw := cell.KernelSize[0], cell.KernelSize[1]
			o, ch := rng.Intn(4*cell.HiddenDim), rng.Intn(cell.InputDim+cell.HiddenDim)
			cell.Conv.Weight.Data[((o*(cell.InputDim+cell.HiddenDim)+ch)*kh+kh/2)*kw+kw/2] = float32(math.Inf(1 - 2*rng.Intn(2)))
		}
		shape := []int{nt, nb, c, ny, nx}
		if m.BatchFirst {
			shape[0], shape[1] = nb, nt
		}
		x := rnd(shape...)
		if flags&16 != 0 {
			for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				x.Data[rng.Intn(len(x.Data))] = float32(v)
			}
		}
		var hs []convlstm.State
		if flags&4 != 0 {
			for _, hd := range hidden {
				hs = append(hs, convlstm.State{H: rnd(nb, hd, ny, nx), C: rnd(nb, hd, ny, nx)})
			}
		}
		_, outs, states, err := Forward(m, x, hs)
		if err != nil {
			t.Fatal(err)
		}
		var gouts []*convlstm.Tensor
		var glast []convlstm.State
		for k, o := range outs {
			gouts = append(gouts, rnd(o.Shape...))
			glast = append(glast, convlstm.State{H: rnd(states[k].H.Shape...), C: rnd(states[k].C.Shape...)})
		}
		grads := func(fwd forwardTrain) *Grads {
			tape, _, _, err := fwd(m, x, hs)
			if err != nil {
				t.Fatal(err)
			}
			g, err := BackwardStates(tape, gouts, glast)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		compareGrads(t, grads(ForwardFast), grads(Forward))
	})
}
