package convlstm_test

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// One cell, one time step: the shapes of the state and of the gates.
func ExampleCell() {
	convlstm.ManualSeed(0)
	// py: cell = ConvLSTMCell(input_dim=1, hidden_dim=4, kernel_size=(3, 3), bias=True)
	cell, err := convlstm.NewCell(1, 4, [2]int{3, 3}, true)
	if err != nil {
		panic(err)
	}
	fmt.Println(cell.Conv) // one conv makes all four gates: 4*4 = 16 output channels

	// A batch of 2 frames of 8x6 pixels, one channel.
	x := convlstm.Zeros(2, 1, 8, 6) // (B, C, H, W)
	x.Set(1, 0, 0, 4, 3)
	// py: h, c = cell.init_hidden(batch_size=2, image_size=(8, 6))
	state, _ := cell.InitHidden(2, 8, 6)
	step, err := cell.ForwardGates(x, state)
	if err != nil {
		panic(err)
	}
	fmt.Println("h:", step.H.Shape, "c:", step.C.Shape)
	fmt.Println("i, f, o, g:", step.I.Shape, step.F.Shape, step.O.Shape, step.G.Shape)
	// Output:
	// Conv2d(5, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=True)
	// h: [2 4 8 6] c: [2 4 8 6]
	// i, f, o, g: [2 4 8 6] [2 4 8 6] [2 4 8 6] [2 4 8 6]
}

// The seed docstring's example, scaled down: the seed writes
//
//	x = torch.rand((32, 10, 64, 128, 128))
//	convlstm = ConvLSTM(64, 16, 3, 1, True, True, False)
//	_, last_states = convlstm(x)
//	h = last_states[0][0]  # 0 for layer index, 0 for h index
//
// but a bare int kernel size (3) is rejected by the seed's own check, so
// the kernel is the tuple (3, 3).
func ExampleConvLSTM() {
	convlstm.ManualSeed(1)
	x := convlstm.Zeros(2, 10, 8, 16, 16) // (B, T, C, H, W)
	for i := range x.Data {
		x.Data[i] = float32(i%7) / 7
	}
	m, err := convlstm.NewConvLSTM(8, 16, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		panic(err)
	}
	_, lastStates, err := m.Forward(x, nil)
	if err != nil {
		panic(err)
	}
	h := lastStates[0].H // layer 0, h
	fmt.Println(h.Shape)

	// A bare int, as in the docstring, is rejected like in the seed:
	_, err = convlstm.NewConvLSTM(8, 16, 3, 1, true, true, false)
	fmt.Println(err)
	// Output:
	// [2 16 16 16]
	// convlstm: `kernel_size` must be tuple or list of tuples ([2]int or [][2]int), got int 3
}

// Three stacked layers with different widths, time-major input, all layers
// returned.
func ExampleConvLSTM_stacked() {
	m, err := convlstm.New(convlstm.Config{
		InputDim:        3,
		HiddenDim:       []int{8, 16, 4},
		KernelSize:      [][2]int{{3, 3}, {5, 5}, {1, 1}},
		NumLayers:       3,
		BatchFirst:      false, // input is (T, B, C, H, W)
		Bias:            true,
		ReturnAllLayers: true,
	})
	if err != nil {
		panic(err)
	}
	x := convlstm.Zeros(5, 2, 3, 12, 10) // (T, B, C, H, W)
	outs, states, err := m.Forward(x, nil)
	if err != nil {
		panic(err)
	}
	for l := range outs {
		fmt.Println("layer", l, "output", outs[l].Shape, "h", states[l].H.Shape)
	}
	// Output:
	// layer 0 output [2 5 8 12 10] h [2 8 12 10]
	// layer 1 output [2 5 16 12 10] h [2 16 12 10]
	// layer 2 output [2 5 4 12 10] h [2 4 12 10]
}

// Stateful use: continue a sequence from the returned last states.
func ExampleConvLSTM_Forward_stateful() {
	m, _ := convlstm.NewConvLSTM(1, []int{4, 4}, [2]int{3, 3}, 2, true, true, true)
	first := convlstm.Zeros(1, 3, 1, 8, 8) // (B, T1, C, H, W)
	_, states, _ := m.Forward(first, nil)
	more := convlstm.Zeros(1, 2, 1, 8, 8) // (B, T2, C, H, W)
	outs, _, err := m.Forward(more, states)
	fmt.Println(outs[1].Shape, err)
	// Output:
	// [1 2 4 8 8] <nil>
}
