package fast

import (
	"math"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
)

// FuzzFastVsReadable runs fast.Forward and the readable m.Forward on the
// same random model, input and (sometimes) hidden state and requires the
// same outputs and last states: equal errors, or values within 2e-5 +
// 1e-4*|readable|. Sizes are kept small; frames up to 40 pixels wide
// reach the vector epilogues and several tiles; flag 16 puts NaN, +Inf and
// -Inf into the input, which must come out where the readable path puts
// them; flag 32 builds a peephole model (Config.Peephole) with random
// W_ci, W_cf, W_co. corrupt > 0 spoils one
// argument or field (a hidden state of the wrong shape, a tensor whose data
// disagrees with its shape, a nil h, too few states, a cell resized after
// New, a weight replaced): both paths must then return the same error, and
// neither may panic. make fuzz runs it.
func FuzzFastVsReadable(f *testing.F) {
	f.Add(uint8(3), uint8(5), uint8(1), uint8(2), uint8(3), uint8(7), uint8(9), uint8(2), uint8(0b111), uint8(0), int64(1))
	f.Add(uint8(1), uint8(16), uint8(0), uint8(1), uint8(2), uint8(5), uint8(33), uint8(1), uint8(0b010), uint8(0), int64(2))
	f.Add(uint8(20), uint8(17), uint8(2), uint8(2), uint8(1), uint8(3), uint8(40), uint8(3), uint8(0b101), uint8(0), int64(3))
	f.Add(uint8(2), uint8(16), uint8(1), uint8(2), uint8(3), uint8(6), uint8(35), uint8(2), uint8(0b10111), uint8(0), int64(4))
	f.Add(uint8(3), uint8(5), uint8(4), uint8(1), uint8(3), uint8(7), uint8(33), uint8(1), uint8(0b11011), uint8(0), int64(5))
	f.Add(uint8(2), uint8(3), uint8(1), uint8(2), uint8(3), uint8(7), uint8(37), uint8(2), uint8(0b101101), uint8(0), int64(6))
	f.Add(uint8(1), uint8(16), uint8(0), uint8(1), uint8(2), uint8(5), uint8(33), uint8(1), uint8(0b100110), uint8(0), int64(7))
	f.Add(uint8(2), uint8(4), uint8(1), uint8(1), uint8(2), uint8(4), uint8(17), uint8(2), uint8(0b111111), uint8(0), int64(8))
	f.Add(uint8(3), uint8(5), uint8(1), uint8(2), uint8(3), uint8(7), uint8(9), uint8(2), uint8(0b1000111), uint8(0), int64(9))
	f.Add(uint8(2), uint8(16), uint8(4), uint8(2), uint8(3), uint8(6), uint8(35), uint8(2), uint8(0b1010111), uint8(0), int64(10))
	for c := uint8(1); c <= 6; c++ {
		f.Add(uint8(2), uint8(4), uint8(1), uint8(1), uint8(2), uint8(4), uint8(17), uint8(2), uint8(0b111), c, int64(c))
	}
	f.Fuzz(func(t *testing.T, cin, hid, kSel, b, tt, h, w, layers, flags, corrupt uint8, seed int64) {
		c := int(cin%24) + 1
		hd := int(hid%24) + 1
		k := [2]int{1 + 2*int(kSel%3), 1 + 2*int((kSel/3)%3)}
		nb, nt := int(b%3)+1, int(tt%4)+1
		ny, nx := int(h%12)+1, int(w%40)+1
		nl := int(layers%3) + 1
		batchFirst, bias, withState := flags&1 != 0, flags&2 != 0, flags&4 != 0
		if flags&64 != 0 { // every layer by Winograd where it can run
			defer convModes[2].set()()
		}
		hidden := make([]int, nl)
		ks := make([][2]int, nl)
		for l := range hidden {
			hidden[l], ks[l] = hd+l, k
		}
		convlstm.ManualSeed(seed)
		m, err := convlstm.New(convlstm.Config{InputDim: c, HiddenDim: hidden, KernelSize: ks, NumLayers: nl,
			BatchFirst: batchFirst, Bias: bias, ReturnAllLayers: flags&8 != 0,
			Peephole: flags&32 != 0, ImageSize: [2]int{ny, nx}})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		for _, cell := range m.CellList { // the peephole weights start at zero
			for _, p := range []*convlstm.Tensor{cell.WCi, cell.WCf, cell.WCo} {
				for i := 0; p != nil && i < len(p.Data); i++ {
					p.Data[i] = float32(rng.Float64()*2 - 1)
				}
			}
		}
		shape := []int{nt, nb, c, ny, nx}
		if batchFirst {
			shape = []int{nb, nt, c, ny, nx}
		}
		x := convlstm.Zeros(shape...)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64() * 2)
		}
		if flags&16 != 0 { // a few NaN and infinities in the input
			for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				x.Data[rng.Intn(len(x.Data))] = float32(v)
			}
		}
		var hs []convlstm.State
		if withState {
			for _, hd := range hidden {
				s := convlstm.State{H: convlstm.Zeros(nb, hd, ny, nx), C: convlstm.Zeros(nb, hd, ny, nx)}
				for i := range s.H.Data {
					s.H.Data[i], s.C.Data[i] = float32(math.Tanh(rng.NormFloat64())), float32(rng.NormFloat64())
				}
				hs = append(hs, s)
			}
		}
		switch corrupt % 7 {
		case 1: // a hidden state of the wrong shape
			if hs != nil {
				hs[len(hs)-1].C = convlstm.Zeros(nb, hidden[len(hs)-1], ny, nx+1)
			}
		case 2: // data that disagrees with the shape
			x.Data = x.Data[:len(x.Data)-1]
		case 3: // a nil h
			if hs != nil {
				hs[0].H = nil
			}
		case 4: // too few states
			if hs != nil {
				hs = hs[:len(hs)-1]
			}
		case 5: // a cell resized after New
			m.CellList[nl-1].HiddenDim++
		case 6: // a weight replaced by one of another shape
			m.CellList[0].Conv.Weight = convlstm.Zeros(4*hd, c, k[0], k[1])
		}
		on, sn, errN := m.Forward(x, hs)
		of, sf, errF := Forward(m, x, hs)
		if (errN == nil) != (errF == nil) || (errN != nil && errN.Error() != errF.Error()) {
			t.Fatalf("errors differ: readable %v, fast %v", errN, errF)
		}
		if errN != nil {
			return
		}
		if corrupt%7 != 0 && (corrupt%7 != 1 && corrupt%7 != 3 && corrupt%7 != 4 || hs != nil) {
			t.Fatalf("corruption %d was accepted", corrupt%7)
		}
		for l := range on {
			for _, p := range [][2]*convlstm.Tensor{{of[l], on[l]}, {sf[l].H, sn[l].H}, {sf[l].C, sn[l].C}} {
				for i, want := range p[1].Data {
					got, w := float64(p[0].Data[i]), float64(want)
					if math.IsNaN(got) && math.IsNaN(w) || got == w {
						continue
					}
					if d := math.Abs(got - w); !(d <= 2e-5+1e-4*math.Abs(w)) {
						t.Fatalf("layer %d, element %d: fast %g, readable %g", l, i, got, w)
					}
				}
			}
		}
	})
}
