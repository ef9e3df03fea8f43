package nbfast

import (
	"fmt"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/benchshape"
	"example.com/convlstm/convlstm/bptt"
	"example.com/convlstm/convlstm/fast"
)

// Shape is one forward-pass shape for the timings of the notebook: a
// ConvLSTM with hidden_dim Hidden (one entry per layer) and the kernel
// Kernel in every layer, run on a random input of B sequences of T frames
// of C x H x W, batch first (B, T, C, H, W) or not (T, B, C, H, W).
// Direct times the fast path with Winograd's algorithm off, every conv
// direct (fast.Runner.Direct, bptt.Trainer.Direct). Its fields are those of
// the benchmarks' shapes (convlstm/benchshape), which BenchShapes lists.
type Shape benchshape.Shape

// BenchShapes returns the three shapes of make bench (and make
// bench-torch):
//
//	mnist: B=4, T=10, C=1,  64x64, hidden [16, 16], kernel (3, 3), batch_first
//	wide:  B=2, T=10, C=3,  32x32, hidden [64, 64], kernel (5, 5)
//	deep:  B=4, T=10, C=64, 64x64, hidden [16],     kernel (3, 3)
func BenchShapes() []Shape {
	var shapes []Shape
	for _, s := range benchshape.Bench() {
		shapes = append(shapes, Shape(s))
	}
	return shapes
}

// FLOPs is the multiply-add count of the convolutions of one forward pass,
// 2 per multiply-add: the sum over layers of
// 2*(cin+hid)*4*hid*kh*kw*H*W*B*T, where cin is C for the first layer and
// the previous layer's hid after it.
func (s Shape) FLOPs() float64 { return benchshape.Shape(s).FLOPs() }

// TrainFLOPs is the FLOP count of one training step of the shape, as
// BenchmarkTrainStep counts it: 3x FLOPs (the forward's convolutions, and
// the two products of the backward, the weight gradient and the gradient
// of the conv's input).
func (s Shape) TrainFLOPs() float64 { return benchshape.Shape(s).TrainFLOPs() }

// Model builds the shape's model, with the weights of
// convlstm.ManualSeed(0) and a bias, and a deterministic random input in
// (-1, 1), laid out (B, T, C, H, W) if BatchFirst, else (T, B, C, H, W).
// The same shape always gives the same model and input, the same as the
// benchmarks' for the same sizes.
func (s Shape) Model() (*convlstm.ConvLSTM, *convlstm.Tensor, error) {
	m, x, err := benchshape.Shape(s).Model()
	if err != nil {
		return nil, nil, fmt.Errorf("nbfast: %w", err)
	}
	return m, x, nil
}

// TimeForward builds the shape's model and input and times its forward
// pass: the readable m.Forward(x, nil) if useFast is false, the fast one
// if it is true, as a fast.Runner runs it (fast.Forward's code, in memory
// kept from run to run; Direct as the shape says), after one untimed
// warm-up run, which allocates that memory. It runs reps times (at least once) and returns
// the best time and the convolutions' GFLOP/s at that time, counted as
// FLOPs.
func TimeForward(s Shape, useFast bool, reps int) (best time.Duration, gflops float64, err error) {
	m, x, err := s.Model()
	if err != nil {
		return 0, 0, err
	}
	forward := func() error {
		_, _, err := m.Forward(x, nil)
		return err
	}
	if useFast {
		r := &fast.Runner{Direct: s.Direct}
		forward = func() error {
			_, _, err := r.Forward(m, x, nil)
			return err
		}
	}
	return timeBest("TimeForward", s, s.FLOPs(), reps, useFast, forward)
}

// timeBest runs f reps times (at least once), after one untimed run when
// warmUp is set, and returns its best time and flops per second at that
// time, in GFLOP/s, or its first error, naming fn and the shape.
func timeBest(fn string, s Shape, flops float64, reps int, warmUp bool, f func() error) (best time.Duration, gflops float64, err error) {
	if warmUp {
		if err := f(); err != nil {
			return 0, 0, fmt.Errorf("nbfast: %s %q: %w", fn, s.Name, err)
		}
	}
	for r := 0; r < max(reps, 1); r++ {
		start := time.Now()
		if err := f(); err != nil {
			return 0, 0, fmt.Errorf("nbfast: %s %q: %w", fn, s.Name, err)
		}
		if d := time.Since(start); r == 0 || d < best {
			best = d
		}
	}
	return best, flops / best.Seconds() / 1e9, nil
}

// StepGFLOPS builds the shape's model and input and returns
// fast.StepGFLOPS of them: the GFLOP/s of the fast path's recurrent time
// steps of the first layer (product and fused gate epilogue, the direct
// kernels), best of reps. The shape needs T >= 2.
func StepGFLOPS(s Shape, reps int) (float64, error) {
	m, x, err := s.Model()
	if err != nil {
		return 0, err
	}
	g, err := fast.StepGFLOPS(m, x, reps)
	if err != nil {
		return 0, fmt.Errorf("nbfast: StepGFLOPS %q: %w", s.Name, err)
	}
	return g, nil
}

// TimeTrainStep builds the shape's model and input and times one training
// step: the forward recording its tape and the backward of the weights
// (no input gradient), with the gradient of the last layer's output set to
// that output. The readable step is bptt.Forward and bptt.BackwardWeights;
// the fast one a bptt.Trainer's Forward and Backward (the code of
// bptt.ForwardFast and BackwardWeights, in memory kept from step to step;
// Direct as the shape says), after one untimed warm-up step. It runs reps times (at least once) and
// returns the best time and TrainFLOPs per second at that time, in GFLOP/s.
func TimeTrainStep(s Shape, useFast bool, reps int) (best time.Duration, gflops float64, err error) {
	m, x, err := s.Model()
	if err != nil {
		return 0, 0, err
	}
	step := func() error {
		tape, outs, _, err := bptt.Forward(m, x, nil)
		if err != nil {
			return err
		}
		_, err = bptt.BackwardWeights(tape, []*convlstm.Tensor{outs[0]})
		return err
	}
	if useFast {
		tr := bptt.NewTrainer(m)
		tr.Direct = s.Direct
		step = func() error {
			outs, _, err := tr.Forward(x, nil)
			if err != nil {
				return err
			}
			_, err = tr.Backward([]*convlstm.Tensor{outs[0]}, nil, false)
			return err
		}
	}
	return timeBest("TimeTrainStep", s, s.TrainFLOPs(), reps, useFast, step)
}
