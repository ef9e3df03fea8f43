package optim

import "fmt"

// Moments returns Adam's running averages by parameter name: m (of the
// gradients) and v (of their squares), PyTorch's state["exp_avg"] and
// state["exp_avg_sq"]. They are copies, for a checkpoint; with Steps they
// are all of Adam's state.
func (a *Adam) Moments() (m, v map[string][]float32) {
	m, v = make(map[string][]float32, len(a.m)), make(map[string][]float32, len(a.v))
	for k, x := range a.m {
		m[k] = append([]float32(nil), x...)
		v[k] = append([]float32(nil), a.v[k]...)
	}
	return m, v
}

// SetMoments restores the running averages of a checkpoint (see Moments):
// m and v must have the same names, each pair of the same length. It does
// not touch Steps, which the caller restores too. On error nothing is
// changed.
func (a *Adam) SetMoments(m, v map[string][]float32) error {
	if len(m) != len(v) {
		return fmt.Errorf("optim: Adam: SetMoments: %d first moments but %d second moments", len(m), len(v))
	}
	for k, x := range m {
		y, ok := v[k]
		if !ok {
			return fmt.Errorf("optim: Adam: SetMoments: no second moment for %q", k)
		}
		if len(x) != len(y) {
			return fmt.Errorf("optim: Adam: SetMoments: %q has %d first and %d second moments", k, len(x), len(y))
		}
	}
	a.m, a.v = make(map[string][]float32, len(m)), make(map[string][]float32, len(v))
	for k, x := range m {
		a.m[k] = append([]float32(nil), x...)
		a.v[k] = append([]float32(nil), v[k]...)
	}
	return nil
}
