package fast

import (
	"sync"

	"example.com/convlstm/convlstm"
)

// RecycleTrace hands the step tensors of a trace that is no longer needed
// back to the fast path, which reuses their memory in later traced
// forwards (ForwardTrace, or Forward with m.Trace set) instead of
// allocating new tensors: a training loop that records a trace at every
// step then allocates its trace once. Layers whose steps are not all of
// one size (not as a forward made them) are left to the garbage collector. The trace is emptied; its tensors
// must not be used after (their memory will hold another forward's
// values). A trace recorded by the readable Forward may be given too.
func RecycleTrace(tr *convlstm.Trace) {
	if tr == nil {
		return
	}
	for _, steps := range tr.Layers {
		if len(steps) == 0 || steps[0].I == nil || len(steps[0].I.Shape) != 4 {
			continue
		}
		sh := steps[0].I.Shape
		k := stepsKey{len(steps), sh[0], sh[1], sh[2], sh[3]}
		ok := true
		for _, st := range steps {
			for _, t := range []*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
				ok = ok && t != nil && len(t.Shape) == 4 && [4]int(t.Shape) == [4]int(sh) && len(t.Data) == sh[0]*sh[1]*sh[2]*sh[3]
			}
		}
		if ok {
			p, _ := stepPools.LoadOrStore(k, &sync.Pool{})
			p.(*sync.Pool).Put(&steps)
		}
	}
	tr.Layers = nil
}

// stepsKey is the size of a layer's trace: T steps of (b, hid, h, w).
type stepsKey struct{ t, b, hid, h, w int }

// stepPools holds recycled layer traces, one sync.Pool per stepsKey.
var stepPools sync.Map // stepsKey -> *sync.Pool of *[]convlstm.Step

// traceSteps returns the T steps of a traced layer, each tensor (b, hid,
// h, w): a recycled layer trace of that size when there is one (its values
// are stale: the epilogue overwrites every one), else new zero tensors.
func traceSteps(t, b, hid, h, w int) []convlstm.Step {
	if p, ok := stepPools.Load(stepsKey{t, b, hid, h, w}); ok {
		if s, ok := p.(*sync.Pool).Get().(*[]convlstm.Step); ok {
			return *s
		}
	}
	steps := make([]convlstm.Step, t)
	for i := range steps {
		steps[i] = convlstm.Step{I: convlstm.Zeros(b, hid, h, w), F: convlstm.Zeros(b, hid, h, w), O: convlstm.Zeros(b, hid, h, w),
			G: convlstm.Zeros(b, hid, h, w), C: convlstm.Zeros(b, hid, h, w), H: convlstm.Zeros(b, hid, h, w)}
	}
	return steps
}
