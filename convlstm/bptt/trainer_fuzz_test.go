package bptt

import (
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
)

// FuzzTrainer drives one Trainer through a few training steps whose input
// shapes change from step to step (batch, length and, without peepholes,
// frame size, from plan: three bytes a step), each step's last states fed
// back as the next step's hidden state when the sizes allow it (flag 4;
// else no hidden state), and requires at every step, bit for bit, the
// outputs, last states and gradients (weights, initial state and, with flag
// 8, input) of ForwardFast and BackwardStates on copies of the same input
// and states. Flag 1: batch first; 2: bias; 16: a peephole model (fixed
// frames); 32: last-state gradients too. make fuzz runs it.
func FuzzTrainer(f *testing.F) {
	f.Add(uint8(2), uint8(4), uint8(0), uint8(1), uint8(0b001111), []byte{1, 2, 5, 1, 2, 5, 0, 3, 9}, int64(1))
	f.Add(uint8(1), uint8(16), uint8(4), uint8(2), uint8(0b101101), []byte{2, 1, 7, 0, 4, 2, 2, 1, 7}, int64(2))
	f.Add(uint8(3), uint8(7), uint8(2), uint8(1), uint8(0b011110), []byte{1, 3, 0, 1, 3, 0, 0, 1, 0, 1, 2, 0}, int64(3))
	f.Add(uint8(16), uint8(15), uint8(8), uint8(0), uint8(0b100111), []byte{0, 2, 3, 0, 2, 3}, int64(4))
	f.Fuzz(func(t *testing.T, cin, hid, kSel, layers, flags uint8, plan []byte, seed int64) {
		c, hd, nl := int(cin%17)+1, int(hid%33)+1, int(layers%2)+1
		hidden := make([]int, nl)
		ks := make([][2]int, nl)
		for l := range hidden {
			s := int(kSel) + 5*l
			hidden[l], ks[l] = hd+3*l, [2]int{1 + 2*(s%3), 1 + 2*((s/3)%3)}
		}
		peephole := flags&16 != 0
		const ph, pw = 5, 6 // a peephole model's frames
		convlstm.ManualSeed(seed)
		m, err := convlstm.New(convlstm.Config{InputDim: c, HiddenDim: hidden, KernelSize: ks, NumLayers: nl,
			BatchFirst: flags&1 != 0, Bias: flags&2 != 0, ReturnAllLayers: true, Peephole: peephole, ImageSize: [2]int{ph, pw}})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		for _, cell := range m.CellList {
			for _, p := range []*convlstm.Tensor{cell.WCi, cell.WCf, cell.WCo} {
				if p != nil {
					copy(p.Data, randTensor(rng, p.Shape...).Data)
				}
			}
		}
		tr := NewTrainer(m)
		var states []convlstm.State
		for step := 0; step+3 <= len(plan) && step < 12; step += 3 {
			b, tt := int(plan[step]%3)+1, int(plan[step+1]%4)+1
			h, w := int(plan[step+2]%6)+1, int(plan[step+2]/6%9)+1
			if peephole {
				h, w = ph, pw
			}
			shape := []int{tt, b, c, h, w}
			if m.BatchFirst {
				shape[0], shape[1] = b, tt
			}
			x := randTensor(rng, shape...)
			hs := states
			if flags&4 == 0 || hs == nil || !convlstm.SameShape(hs[0].H.Shape, []int{b, hidden[0], h, w}) {
				hs = nil
			}
			var gouts []*convlstm.Tensor
			var glast []convlstm.State
			for _, hd := range hidden {
				gouts = append(gouts, randTensor(rng, b, tt, hd, h, w))
				if flags&32 != 0 {
					glast = append(glast, convlstm.State{H: randTensor(rng, b, hd, h, w), C: randTensor(rng, b, hd, h, w)})
				}
			}
			_, states = checkTrainerStep(t, "trainer", m, tr, x, hs, gouts, glast, flags&8 != 0)
		}
	})
}
