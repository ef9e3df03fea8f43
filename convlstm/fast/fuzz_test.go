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
// reach the vector epilogues and several tiles. make fuzz runs it.
func FuzzFastVsReadable(f *testing.F) {
	f.Add(uint8(3), uint8(5), uint8(1), uint8(2), uint8(3), uint8(7), uint8(9), uint8(2), uint8(0b111), int64(1))
	f.Add(uint8(1), uint8(16), uint8(0), uint8(1), uint8(2), uint8(5), uint8(33), uint8(1), uint8(0b010), int64(2))
	f.Add(uint8(20), uint8(17), uint8(2), uint8(2), uint8(1), uint8(3), uint8(40), uint8(3), uint8(0b101), int64(3))
	f.Fuzz(func(t *testing.T, cin, hid, kSel, b, tt, h, w, layers, flags uint8, seed int64) {
		c := int(cin%24) + 1
		hd := int(hid%24) + 1
		k := [2]int{1 + 2*int(kSel%3), 1 + 2*int((kSel/3)%3)}
		nb, nt := int(b%3)+1, int(tt%4)+1
		ny, nx := int(h%12)+1, int(w%40)+1
		nl := int(layers%3) + 1
		batchFirst, bias, withState := flags&1 != 0, flags&2 != 0, flags&4 != 0
		hidden := make([]int, nl)
		ks := make([][2]int, nl)
		for l := range hidden {
			hidden[l], ks[l] = hd+l, k
		}
		convlstm.ManualSeed(seed)
		m, err := convlstm.New(convlstm.Config{InputDim: c, HiddenDim: hidden, KernelSize: ks, NumLayers: nl,
			BatchFirst: batchFirst, Bias: bias, ReturnAllLayers: flags&8 != 0})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		shape := []int{nt, nb, c, ny, nx}
		if batchFirst {
			shape = []int{nb, nt, c, ny, nx}
		}
		x := convlstm.Zeros(shape...)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64() * 2)
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
		on, sn, errN := m.Forward(x, hs)
		of, sf, errF := Forward(m, x, hs)
		if (errN == nil) != (errF == nil) || (errN != nil && errN.Error() != errF.Error()) {
			t.Fatalf("errors differ: readable %v, fast %v", errN, errF)
		}
		if errN != nil {
			return
		}
		for l := range on {
			for _, p := range [][2]*convlstm.Tensor{{of[l], on[l]}, {sf[l].H, sn[l].H}, {sf[l].C, sn[l].C}} {
				for i, want := range p[1].Data {
					if d := math.Abs(float64(p[0].Data[i] - want)); !(d <= 2e-5+1e-4*math.Abs(float64(want))) {
						t.Fatalf("layer %d, element %d: fast %g, readable %g", l, i, p[0].Data[i], want)
					}
				}
			}
		}
	})
}
