package seq2seq_test

import (
	"fmt"

	"example.com/convlstm/convlstm/movingshapes"
	"example.com/convlstm/convlstm/seq2seq"
)

// An encoder-forecaster that reads 4 frames of 16x16 as 4x4 patches and
// predicts the next 3, trained for a few steps.
func Example() {
	gen, _ := movingshapes.New(movingshapes.Config{Size: 16, Frames: 7}, 1)
	m, _ := seq2seq.NewModel(seq2seq.Config{Hidden: []int{8, 8}, Kernel: 3, Patch: 4}, 1)
	res, _ := seq2seq.Train(m, gen, seq2seq.Options{In: 4, MaxSteps: 3, BatchSize: 2})
	held, _ := gen.Batch(2)               // (2, 7, 1, 16, 16)
	pred, _ := m.Predict(held, 3)         // the 3 frames after all 7
	ev, _ := seq2seq.Evaluate(m, held, 4) // frames 0..3 in, 4..6 predicted and scored
	fmt.Println(res.Steps, "steps")
	fmt.Println("state_dict keys:", len(m.StateDict()))
	fmt.Println("predictions:", pred.Shape)
	fmt.Println("horizons scored:", len(ev.ModelByHorizon))
	// Output:
	// 3 steps
	// state_dict keys: 10
	// predictions: [2 3 1 16 16]
	// horizons scored: 3
}
