package convlstm

import (
	"testing"
)

// FuzzConfig feeds arbitrary constructor arguments to New and then
// arguments to Forward: frames up to 40 pixels wide (past the 16-lane
// vector width), and, by the bits of spoil, a hidden state (of the right or
// a wrong shape, or too few), an input whose data disagrees with its shape,
// a nil state tensor. Each call must return a result or an error, never
// panic; a result must have the promised shapes.
func FuzzConfig(f *testing.F) {
	f.Add(1, 4, 4, 3, 3, 3, 1, 2, 1, 5, 5, true, uint8(0))
	f.Add(0, 4, 4, 3, 3, 3, 1, 2, 1, 5, 5, false, uint8(0))
	f.Add(2, -1, 4, 4, 3, 3, 2, 1, 2, 4, 6, true, uint8(0))
	f.Add(2, 3, 3, 3, 5, 1, 3, 1, 1, 3, 3, false, uint8(1))
	f.Add(1, 1, 1, 1, 1, 1, 2, 1, 0, 1, 1, true, uint8(0))
	f.Add(1, 4, 2, 3, 3, 2, 2, 2, 2, 3, 33, true, uint8(1))
	f.Add(1, 4, 2, 3, 3, 2, 2, 2, 2, 3, 33, true, uint8(3))
	f.Add(1, 4, 2, 3, 3, 2, 2, 2, 2, 3, 17, false, uint8(5))
	f.Add(1, 4, 2, 3, 3, 2, 2, 2, 2, 3, 17, false, uint8(9))
	f.Add(1, 4, 2, 3, 3, 2, 2, 2, 2, 3, 17, false, uint8(17))
	f.Fuzz(func(t *testing.T, in, h0, h1, kh, kw, nLayers, nHidden, batch, steps, height, width int, batchFirst bool, spoil uint8) {
		// Bound the sizes so that a valid case stays cheap.
		if in > 4 || h0 > 4 || h1 > 4 || kh > 7 || kw > 7 || nLayers > 3 || nHidden > 3 || batch > 2 || steps > 3 || height > 6 || width > 40 {
			return
		}
		if nHidden < 0 || nLayers < -1 {
			return
		}
		hidden := []int{h0, h1, h0}[:nHidden]
		kernels := make([][2]int, 0, 3)
		for i := 0; i < nLayers && i < 3; i++ {
			kernels = append(kernels, [2]int{kh, kw})
		}
		m, err := New(Config{InputDim: in, HiddenDim: hidden, KernelSize: kernels, NumLayers: nLayers, BatchFirst: batchFirst, Bias: true, ReturnAllLayers: spoil&2 != 0})
		if err != nil {
			if m != nil {
				t.Fatal("model and error both returned")
			}
			return
		}
		shape := []int{batch, steps, in, height, width}
		if !batchFirst {
			shape[0], shape[1] = steps, batch
		}
		n := 1
		for _, s := range shape {
			if s > 0 {
				n *= s
			}
		}
		if spoil&4 != 0 && n > 0 { // data shorter than the shape says
			n--
		}
		x := &Tensor{Shape: shape, Data: make([]float32, n)}
		var hs []State
		if spoil&1 != 0 { // a hidden state, of the right shape unless spoiled
			for l := 0; l < nLayers; l++ {
				hw := width
				if spoil&8 != 0 && l == nLayers-1 {
					hw++ // one pixel too wide
				}
				hs = append(hs, State{H: Zeros(batch, hidden[l], height, hw), C: Zeros(batch, hidden[l], height, hw)})
			}
			if spoil&16 != 0 && len(hs) > 0 {
				hs[0].C = nil
			}
			if spoil&32 != 0 && len(hs) > 0 {
				hs = hs[1:]
			}
		}
		outs, states, err := m.Forward(x, hs)
		if err != nil {
			return
		}
		if spoil&(4|8|16|32) != 0 && (spoil&1 != 0 || spoil&4 != 0) {
			t.Fatalf("spoiled arguments (spoil %08b) accepted", spoil)
		}
		want := 1
		if m.ReturnAllLayers {
			want = nLayers
		}
		if len(outs) != want || len(states) != want {
			t.Fatalf("got %d outputs, %d states, want %d", len(outs), len(states), want)
		}
		for k, o := range outs {
			l := k
			if !m.ReturnAllLayers {
				l = nLayers - 1
			}
			if !SameShape(o.Shape, []int{batch, steps, hidden[l], height, width}) || !SameShape(states[k].C.Shape, []int{batch, hidden[l], height, width}) {
				t.Fatalf("output %d has shape %v, state %v", k, o.Shape, states[k].C.Shape)
			}
		}
	})
}

// FuzzOps feeds arbitrary shapes, by the bits of spoil data that disagrees
// with them or a nil tensor, and a low MaxElements or MaxCallBytes, to the
// exported ops, Conv2d, ConvLayer.Forward and Cell.Forward. Each must return
// an error or a result whose data fills its shape, never panic.
func FuzzOps(f *testing.F) {
	f.Add(2, 3, 4, 5, 1, 3, 3, 2, uint8(0))
	f.Add(1, 6, 10, 10, 6, 1, 1, 2, uint8(64))
	f.Add(2, 2, 64, 64, 2, 3, 3, 8, uint8(128))
	f.Add(1, 1, 1, 1, 1, 2, 4, 1, uint8(5))
	f.Fuzz(func(t *testing.T, b, c, h, w, c2, kh, kw, hid int, spoil uint8) {
		if b > 4 || c > 8 || h > 70 || w > 70 || c2 > 8 || kh > 9 || kw > 9 || hid > 8 {
			return
		}
		defer func(e, n int64) { MaxElements, MaxCallBytes = e, n }(MaxElements, MaxCallBytes)
		if spoil&64 != 0 {
			MaxElements = 1000
		}
		if spoil&128 != 0 {
			MaxCallBytes = 1 << 20
		}
		mk := func(bit uint8, shape ...int) *Tensor {
			if spoil&bit != 0 && spoil&32 != 0 {
				return nil
			}
			n := 1
			for _, s := range shape {
				n *= max(s, 0)
			}
			if spoil&bit != 0 && n > 0 {
				n-- // data shorter than the shape says
			}
			return &Tensor{Shape: shape, Data: make([]float32, n)}
		}
		whole := func(what string, x *Tensor, err error) {
			if err == nil && (x == nil || len(x.Data) != prod(x.Shape) || len(x.Data) == 0) {
				t.Fatalf("%s: result of shape %v holds %d values", what, shapeOf(x), x.Numel())
			}
		}
		x, y := mk(1, b, c, h, w), mk(2, b, c2, h, w)
		r, err := Cat1(x, y)
		whole("Cat1", r, err)
		r, err = Stack1([]*Tensor{x, x, x})
		whole("Stack1", r, err)
		weight := mk(4, hid, c, kh, kw)
		r, err = Conv2d(x, weight, mk(8, hid))
		whole("Conv2d", r, err)
		cell, err := NewCell(c, hid, [2]int{kh, kw}, spoil&16 != 0)
		if err != nil {
			return
		}
		r, err = cell.Conv.Forward(mk(2, b, c+hid, h, w))
		whole("ConvLayer.Forward", r, err)
		s, err := cell.Forward(x, State{H: mk(4, b, hid, h, w), C: mk(8, b, hid, h, w)})
		if err == nil {
			whole("Cell.Forward h", s.H, nil)
			whole("Cell.Forward c", s.C, nil)
		}
	})
}

func prod(s []int) int {
	n := 1
	for _, v := range s {
		n *= v
	}
	return n
}
