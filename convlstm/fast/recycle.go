package fast

import (
	"sync"

	"example.com/convlstm/convlstm"
)

// RecycleTrace hands the step tensors of a trace that is no longer needed
// back to the fast path, which reuses their memory in later traced
// forwards (ForwardTrace, or Forward with m.Trace set) instead of
// allocating new tensors: a training loop that records a trace at every
// step then allocates its trace once. The trace is emptied; its tensors
// must not be used after (their memory will hold another forward's
// values). A trace recorded by the readable Forward may be given too.
func RecycleTrace(tr *convlstm.Trace) {
	if tr == nil {
		return
	}
	for _, steps := range tr.Layers {
		for _, st := range steps {
			for _, t := range []*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
				if t != nil && len(t.Data) > 0 {
					p, _ := stepPools.LoadOrStore(len(t.Data), &sync.Pool{})
					p.(*sync.Pool).Put(&t.Data)
				}
			}
		}
	}
	tr.Layers = nil
}

// stepPools holds the recycled step data, one sync.Pool per length.
var stepPools sync.Map // int -> *sync.Pool of *[]float32

// stepTensor returns a (b, hid, h, w) tensor for a traced step: recycled
// memory when there is some of that size (its values are stale: the
// epilogue overwrites every one), else a new zero tensor.
func stepTensor(b, hid, h, w int) *convlstm.Tensor {
	n := b * hid * h * w
	if p, ok := stepPools.Load(n); ok {
		if d, ok := p.(*sync.Pool).Get().(*[]float32); ok {
			return &convlstm.Tensor{Shape: []int{b, hid, h, w}, Data: *d}
		}
	}
	return convlstm.Zeros(b, hid, h, w)
}
