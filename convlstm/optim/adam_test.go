package optim

import (
	"math"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/bptt"
)

// TestAdamMatchesPyTorch replays three steps of torch.optim.Adam([p]) with
// the defaults; the expected values were printed by PyTorch 1.13.
func TestAdamMatchesPyTorch(t *testing.T) {
	p := &convlstm.Tensor{Shape: []int{5}, Data: []float32{0.5, -1.25, 2.0, 0.0, 3e-3}}
	grads := [][]float32{
		{0.1, -0.2, 0.0, 5.0, -1e-6},
		{0.3, 0.2, -0.1, -5.0, 2e-6},
		{-0.05, 0.4, 0.1, 1.0, 0.0},
	}
	want := [][]float64{
		{0.49900001287460327, -1.2489999532699585, 2.0, -0.0009999999310821295, 0.003990098834037781},
		{0.4980822205543518, -1.24905264377594, 2.000744104385376, -0.0009473683312535286, 0.003626295831054449},
		{0.4974813163280487, -1.2495977878570557, 2.0006988048553467, -0.0009966030484065413, 0.0033454722724854946},
	}
	opt := NewAdam()
	for s, g := range grads {
		if err := opt.Step(map[string]*convlstm.Tensor{"p": p}, map[string]*convlstm.Tensor{"p": {Shape: []int{5}, Data: g}}); err != nil {
			t.Fatal(err)
		}
		for i, w := range want[s] {
			if d := math.Abs(float64(p.Data[i]) - w); d > 1e-7+1e-6*math.Abs(w) {
				t.Errorf("step %d p[%d] = %.9g, torch %.9g", s+1, i, p.Data[i], w)
			}
		}
	}
	if err := opt.Step(map[string]*convlstm.Tensor{"p": p}, map[string]*convlstm.Tensor{}); err == nil {
		t.Error("missing gradient accepted")
	}
	if err := opt.Step(map[string]*convlstm.Tensor{"p": p}, map[string]*convlstm.Tensor{"p": convlstm.Zeros(4)}); err == nil {
		t.Error("gradient of the wrong shape accepted")
	}
}

func TestClipGradNorm(t *testing.T) {
	q := &convlstm.Tensor{Shape: []int{3}, Data: []float32{3, 4, 0}}
	r := &convlstm.Tensor{Shape: []int{1}, Data: []float32{12}}
	n, err := ClipGradNorm(map[string]*convlstm.Tensor{"q": q, "r": r}, 6.5)
	if err != nil {
		t.Fatal(err)
	}
	// torch: 13.0 [1.4999998807907104, 1.9999998807907104, 0.0] [5.999999523162842]
	if n != 13 {
		t.Errorf("norm %g, want 13", n)
	}
	for i, w := range []float32{1.4999998807907104, 1.9999998807907104, 0} {
		if math.Abs(float64(q.Data[i]-w)) > 1e-6 {
			t.Errorf("q[%d] = %g, want %g", i, q.Data[i], w)
		}
	}
	if math.Abs(float64(r.Data[0])-5.999999523162842) > 1e-6 {
		t.Errorf("r = %g, want 6", r.Data[0])
	}
	if _, err := ClipGradNorm(nil, 0); err == nil {
		t.Error("max_norm 0 accepted")
	}
}

// TestAdamReducesLoss is the training smoke test: a few Adam steps on a
// tiny ConvLSTM, through bptt.Forward (or ForwardFast) and Backward, lower
// loss = mean((h - target)^2).
func TestAdamReducesLoss(t *testing.T) {
	for _, p := range []struct {
		name string
		fwd  func(*convlstm.ConvLSTM, *convlstm.Tensor, []convlstm.State) (*bptt.Tape, []*convlstm.Tensor, []convlstm.State, error)
	}{{"naive", bptt.Forward}, {"fast", bptt.ForwardFast}} {
		t.Run(p.name, func(t *testing.T) {
			convlstm.ManualSeed(7)
			m, err := convlstm.New(convlstm.Config{InputDim: 1, HiddenDim: []int{3}, KernelSize: [][2]int{{3, 3}}, NumLayers: 1, BatchFirst: true, Bias: true})
			if err != nil {
				t.Fatal(err)
			}
			x, target := convlstm.Zeros(2, 3, 1, 5, 5), convlstm.Zeros(2, 3, 3, 5, 5)
			for i := range x.Data {
				x.Data[i] = float32(i%7) / 7
			}
			for i := range target.Data {
				target.Data[i] = float32(i%5)/10 - 0.2
			}
			opt := NewAdam()
			opt.LR = 0.01
			var first, last float64
			for step := 0; step < 20; step++ {
				tape, outs, _, err := p.fwd(m, x, nil)
				if err != nil {
					t.Fatal(err)
				}
				grad := convlstm.Zeros(outs[0].Shape...)
				var loss float64
				n := float32(len(grad.Data))
				for i, v := range outs[0].Data {
					d := v - target.Data[i]
					loss += float64(d * d)
					grad.Data[i] = 2 * d / n
				}
				loss /= float64(n)
				if step == 0 {
					first = loss
				}
				last = loss
				g, err := bptt.Backward(tape, []*convlstm.Tensor{grad})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := ClipGradNorm(g.Weights, 1); err != nil {
					t.Fatal(err)
				}
				if err := opt.Step(m.StateDict(), g.Weights); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("loss %.5f -> %.5f", first, last)
			if !(last < 0.8*first) {
				t.Errorf("loss %.5f -> %.5f: 20 Adam steps did not reduce it by 20%%", first, last)
			}
		})
	}
}
