package fast

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// TestRecycleTrace: a traced forward after RecycleTrace reuses the
// recycled memory (the same backing arrays, so nothing stale can survive
// unless the forward leaves a value unwritten) and records exactly what a
// trace of fresh memory records, bit for bit; the recycled trace is
// emptied. Both tiers run: a layer on the im2col path (hid 8) and one on
// the taps path (hid 16), with another input than the recycled trace's.
func TestRecycleTrace(t *testing.T) {
	cfg := bench.Config{Name: "recycle", B: 2, T: 3, C: 2, H: 7, W: 9, Hidden: []int{8, 16}, Kernel: [2]int{3, 3}, BatchFirst: true}
	m, x, err := cfg.Model()
	if err != nil {
		t.Fatal(err)
	}
	x2 := x.Clone()
	for i := range x2.Data {
		x2.Data[i] = -0.5 * x2.Data[i]
	}
	fresh := &convlstm.Trace{}
	if _, _, err := ForwardTrace(m, x2, nil, fresh); err != nil {
		t.Fatal(err)
	}
	old := &convlstm.Trace{}
	if _, _, err := ForwardTrace(m, x, nil, old); err != nil {
		t.Fatal(err)
	}
	held := map[*float32]bool{}
	for _, steps := range old.Layers {
		for _, st := range steps {
			for _, tn := range []*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
				held[&tn.Data[0]] = true
			}
		}
	}
	RecycleTrace(old)
	if old.Layers != nil {
		t.Errorf("RecycleTrace left %d layers in the trace", len(old.Layers))
	}
	again := &convlstm.Trace{}
	if _, _, err := ForwardTrace(m, x2, nil, again); err != nil {
		t.Fatal(err)
	}
	reused := 0
	for l, steps := range again.Layers {
		for s, st := range steps {
			want := fresh.Layers[l][s]
			for k, p := range [][2]*convlstm.Tensor{{st.I, want.I}, {st.F, want.F}, {st.O, want.O}, {st.G, want.G}, {st.C, want.C}, {st.H, want.H}} {
				if held[&p[0].Data[0]] {
					reused++
				}
				for i := range p[1].Data {
					if p[0].Data[i] != p[1].Data[i] {
						t.Fatalf("layer %d step %d tensor %d (i f o g c h) [%d]: %v, fresh trace %v", l, s, k, i, p[0].Data[i], p[1].Data[i])
					}
				}
			}
		}
	}
	if raceEnabled {
		return // sync.Pool drops objects at random under the race detector
	}
	if want := 2 * cfg.T * 6; reused != want {
		t.Errorf("%d of the %d step tensors reuse recycled memory", reused, want)
	}
}
