package fast_test

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/fast"
)

// The readable forward and the fast one side by side: the same call, the
// same shapes, the same numbers up to float32 rounding.
func ExampleForward() {
	convlstm.ManualSeed(1)
	m, err := convlstm.NewConvLSTM(3, []int{8, 16}, [2]int{3, 3}, 2, true, true, false)
	if err != nil {
		panic(err)
	}
	x := convlstm.Zeros(2, 5, 3, 12, 12) // (B, T, C, H, W)
	for i := range x.Data {
		x.Data[i] = float32(math.Sin(float64(i)))
	}
	outs, states, err := m.Forward(x, nil) // readable
	if err != nil {
		panic(err)
	}
	fOuts, fStates, err := fast.Forward(m, x, nil) // fast
	if err != nil {
		panic(err)
	}
	worst := 0.0
	for i, v := range outs[0].Data {
		worst = math.Max(worst, math.Abs(float64(v-fOuts[0].Data[i])))
	}
	fmt.Println("outputs:", outs[0].Shape, fOuts[0].Shape)
	fmt.Println("last c:", states[0].C.Shape, fStates[0].C.Shape)
	fmt.Println("max |readable - fast| below 1e-5:", worst < 1e-5)

	// Both validate with the model's own checks: the same error.
	_, _, err1 := m.Forward(convlstm.Zeros(2, 5, 4, 12, 12), nil)
	_, _, err2 := fast.Forward(m, convlstm.Zeros(2, 5, 4, 12, 12), nil)
	fmt.Println(err1.Error() == err2.Error())
	// Output:
	// outputs: [2 5 16 12 12] [2 5 16 12 12]
	// last c: [2 16 12 12] [2 16 12 12]
	// max |readable - fast| below 1e-5: true
	// true
}
