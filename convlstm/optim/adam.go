// Package optim is the optimiser of the training loop: torch.optim.Adam and
// torch.nn.utils.clip_grad_norm_, over parameters and gradients named as in
// a state_dict (ConvLSTM.StateDict and bptt.Grads.Weights).
package optim

import (
	"fmt"
	"math"
	"sort"

	"example.com/convlstm/convlstm"
)

// Adam is torch.optim.Adam over parameters named as in a state_dict, with
// PyTorch's defaults (NewAdam): lr 1e-3, betas (0.9, 0.999), eps 1e-8, no
// weight decay, no amsgrad. Each Step does, per element, with t the step
// number:
//
//	g = grad + weight_decay*p
//	m = beta1*m + (1-beta1)*g
//	v = beta2*v + (1-beta2)*g*g
//	p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)
//
// m and v are float32, as in PyTorch; the moments start at zero.
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64
	// Steps counts the calls to Step (PyTorch's state["step"]).
	Steps int
	m, v  map[string][]float32
	keys  []string // the parameter names in sorted order, kept between steps
}

// NewAdam returns Adam with PyTorch's defaults.
func NewAdam() *Adam {
	return &Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: map[string][]float32{}, v: map[string][]float32{}}
}

// Step updates every parameter in params in place from the gradient of the
// same name in grads (e.g. m.StateDict() and Grads.Weights). Every parameter
// needs a gradient of its shape; on error nothing is changed.
func (a *Adam) Step(params, grads map[string]*convlstm.Tensor) error {
	if a == nil {
		return fmt.Errorf("optim: Adam.Step: the optimiser is nil; make one with NewAdam")
	}
	if a.m == nil {
		a.m, a.v = map[string][]float32{}, map[string][]float32{}
	}
	if err := a.check(); err != nil {
		return err
	}
	keys := a.keys[:0]
	for k, p := range params {
		g, ok := grads[k]
		if !ok || g == nil {
			return fmt.Errorf("optim: Adam: no gradient for %q", k)
		}
		if p == nil {
			return fmt.Errorf("optim: Adam: parameter %q is nil", k)
		}
		if !convlstm.SameShape(p.Shape, g.Shape) || len(p.Data) != len(g.Data) {
			return fmt.Errorf("optim: Adam: gradient of %q has shape %v, parameter %v", k, g.Shape, p.Shape)
		}
		if m, ok := a.m[k]; ok && len(m) != len(p.Data) {
			return fmt.Errorf("optim: Adam: parameter %q changed size (%d values, state has %d)", k, len(p.Data), len(m))
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	a.keys = keys
	a.Steps++
	t := float64(a.Steps)
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	stepSize := float32(a.LR / (1 - math.Pow(a.Beta1, t)))
	bc2Sqrt := float32(math.Sqrt(1 - math.Pow(a.Beta2, t)))
	eps, wd := float32(a.Eps), float32(a.WeightDecay)
	for _, k := range keys {
		p, g := params[k].Data, grads[k].Data
		m, ok := a.m[k]
		if !ok {
			m, a.v[k] = make([]float32, len(p)), make([]float32, len(p))
			a.m[k] = m
		}
		v := a.v[k]
		for i, gi := range g {
			if wd != 0 {
				gi += wd * p[i]
			}
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			denom := float32(math.Sqrt(float64(v[i])))/bc2Sqrt + eps
			p[i] -= stepSize * m[i] / denom
		}
	}
	return nil
}

// check is torch.optim.Adam.__init__'s validation, with its messages. The
// comparisons are written as PyTorch's `not 0.0 <= lr`, so NaN fails them
// (a NaN hyperparameter would turn every parameter into NaN); an infinite
// learning rate passes, as in PyTorch.
func (a *Adam) check() error {
	switch {
	// py: if not 0.0 <= lr: raise ValueError(f"Invalid learning rate: {lr}")
	case !(0 <= a.LR):
		return fmt.Errorf("optim: Adam: Invalid learning rate: %g (LR must be >= 0)", a.LR)
	// py: if not 0.0 <= eps: raise ValueError(f"Invalid epsilon value: {eps}")
	case !(0 <= a.Eps):
		return fmt.Errorf("optim: Adam: Invalid epsilon value: %g (Eps must be >= 0)", a.Eps)
	// py: if not 0.0 <= betas[0] < 1.0: raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
	case !(0 <= a.Beta1 && a.Beta1 < 1):
		return fmt.Errorf("optim: Adam: Invalid beta parameter at index 0: %g (Beta1 must be in [0, 1))", a.Beta1)
	// py: if not 0.0 <= betas[1] < 1.0: raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
	case !(0 <= a.Beta2 && a.Beta2 < 1):
		return fmt.Errorf("optim: Adam: Invalid beta parameter at index 1: %g (Beta2 must be in [0, 1))", a.Beta2)
	// py: if not 0.0 <= weight_decay: raise ValueError(f"Invalid weight_decay value: {weight_decay}")
	case !(0 <= a.WeightDecay):
		return fmt.Errorf("optim: Adam: Invalid weight_decay value: %g (WeightDecay must be >= 0)", a.WeightDecay)
	}
	return nil
}

// ClipGradNorm is torch.nn.utils.clip_grad_norm_ with the 2-norm, as
// PyTorch 1.13 computes it in float32 (error_if_nonfinite=False):
//
//	total_norm = torch.norm(torch.stack([torch.norm(g, 2.0) for g in grads]), 2.0)
//	clip_coef = max_norm / (total_norm + 1e-6)
//	clip_coef_clamped = torch.clamp(clip_coef, max=1.0)
//	for g in grads: g.mul_(clip_coef_clamped)
//
// so every gradient is scaled in place by min(1, maxNorm/(norm+1e-6)), and
// the norm before clipping is returned (a float32 value, as PyTorch's).
// Non-finite gradients are no error, and come out as in PyTorch: a NaN
// makes the norm and the coefficient NaN, and every gradient NaN; an
// infinite norm (an infinite gradient, or squares past float32's range)
// makes the coefficient 0, so finite gradients become 0 and infinite ones
// NaN (Inf * 0).
func ClipGradNorm(grads map[string]*convlstm.Tensor, maxNorm float64) (float64, error) {
	var c Clipper
	return c.Clip(grads, maxNorm)
}

// Clipper is ClipGradNorm with memory of its own (the sorted names and the
// per-tensor norms), so that clipping the same gradients step after step
// allocates nothing after the first.
type Clipper struct {
	keys  []string
	norms []float32
}

// Clip is ClipGradNorm(grads, maxNorm).
func (c *Clipper) Clip(grads map[string]*convlstm.Tensor, maxNorm float64) (float64, error) {
	if c == nil {
		c = &Clipper{}
	}
	if !(maxNorm > 0) {
		return 0, fmt.Errorf("optim: ClipGradNorm: max_norm must be positive, got %g", maxNorm)
	}
	keys := c.keys[:0]
	for k, g := range grads {
		if g == nil {
			return 0, fmt.Errorf("optim: ClipGradNorm: gradient %q is nil", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	c.keys = keys
	// py: total_norm = torch.norm(torch.stack([torch.norm(g, 2.0) for g in grads]), 2.0)
	norms := c.norms[:0]
	for _, k := range keys {
		norms = append(norms, norm32(grads[k].Data))
	}
	c.norms = norms
	total := norm32(norms)
	// py: clip_coef = max_norm / (total_norm + 1e-6), a float32 tensor
	// (PyTorch divides a number by a tensor as reciprocal(tensor) * number).
	coef := (1 / (total + float32(1e-6))) * float32(maxNorm)
	// py: clip_coef_clamped = torch.clamp(clip_coef, max=1.0) (NaN stays NaN)
	if coef > 1 {
		coef = 1
	}
	// py: g.detach().mul_(clip_coef_clamped), also when it is 1
	for _, k := range keys {
		g := grads[k].Data
		for i := range g {
			g[i] *= coef
		}
	}
	return float64(total), nil
}

// norm32 is torch.norm(x, 2.0) of float32 values: the squares are rounded
// to float32 as PyTorch's are (past 1.8e19 they overflow to +Inf, below
// 1e-23 they underflow), summed (in float64, then rounded: PyTorch sums in
// float32, so its total overflows to +Inf where this one does, up to the
// last bit), and the square root is rounded to float32. NaN and infinities
// go through: NaN anywhere gives NaN, else an infinity gives +Inf.
func norm32(x []float32) float32 {
	var s float64
	for _, v := range x {
		sq := v * v
		s += float64(sq)
	}
	return float32(math.Sqrt(float64(float32(s))))
}
