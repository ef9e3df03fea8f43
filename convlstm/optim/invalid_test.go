package optim

import (
	"math"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestAdamInvalid: as torch.optim.Adam raises ValueError("Invalid learning
// rate: nan") and its kin, Step refuses a NaN or negative learning rate,
// epsilon or weight decay, and betas outside [0, 1), naming the
// hyperparameter, and leaves the parameters as they were (it used to turn
// every parameter into NaN).
func TestAdamInvalid(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		set  func(a *Adam)
		want string
	}{
		{"lr NaN", func(a *Adam) { a.LR = nan }, "learning rate"},
		{"lr -1", func(a *Adam) { a.LR = -1 }, "learning rate"},
		{"eps NaN", func(a *Adam) { a.Eps = nan }, "epsilon"},
		{"beta1 NaN", func(a *Adam) { a.Beta1 = nan }, "beta parameter at index 0"},
		{"beta2 NaN", func(a *Adam) { a.Beta2 = nan }, "beta parameter at index 1"},
		{"beta2 1", func(a *Adam) { a.Beta2 = 1 }, "beta parameter at index 1"},
		{"weight decay NaN", func(a *Adam) { a.WeightDecay = nan }, "weight_decay"},
		{"weight decay -0.1", func(a *Adam) { a.WeightDecay = -0.1 }, "weight_decay"},
	} {
		p := convlstm.Zeros(3)
		p.Data[0], p.Data[1], p.Data[2] = 1, 2, 3
		g := convlstm.Zeros(3)
		g.Data[0] = 0.5
		a := NewAdam()
		c.set(a)
		err := a.Step(map[string]*convlstm.Tensor{"w": p}, map[string]*convlstm.Tensor{"w": g})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one saying %q", c.name, err, c.want)
		}
		if p.Data[0] != 1 || p.Data[1] != 2 || p.Data[2] != 3 || a.Steps != 0 {
			t.Errorf("%s: the failed step changed the parameters to %v (steps %d)", c.name, p.Data, a.Steps)
		}
	}
	// PyTorch accepts an infinite learning rate; so does Step.
	a := NewAdam()
	a.LR = math.Inf(1)
	if err := a.Step(map[string]*convlstm.Tensor{"w": convlstm.Zeros(1)}, map[string]*convlstm.Tensor{"w": convlstm.Zeros(1)}); err != nil {
		t.Errorf("lr +Inf: %v, want no error (as PyTorch)", err)
	}
}

// TestNilOptimisers: a nil Adam is an error, a nil Clipper clips as
// ClipGradNorm does; neither panics.
func TestNilOptimisers(t *testing.T) {
	var a *Adam
	if err := a.Step(nil, nil); err == nil || !strings.Contains(err.Error(), "NewAdam") {
		t.Errorf("nil Adam: error %v", err)
	}
	var c *Clipper
	g := convlstm.Zeros(2)
	g.Data[0], g.Data[1] = 3, 4
	if n, err := c.Clip(map[string]*convlstm.Tensor{"g": g}, 1); err != nil || n != 5 || math.Abs(float64(g.Data[0])-0.6) > 1e-6 {
		t.Errorf("nil Clipper: norm %g, error %v, clipped %v", n, err, g.Data)
	}
}
