package fast

import (
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/bench"
)

// TestRecycleTrace: traced forwards after RecycleTrace reuse the recycled
// memory (the same backing arrays, holding another input's values, so a
// value the forward left unwritten would show) and record exactly what a
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
	// sync.Pool gives no guarantee (an object put on one P may not be
	// seen from another, and garbage collections empty the pools), so the
	// cycle runs a few times: every run must equal the fresh trace, and
	// some must reuse recycled memory.
	prev := &convlstm.Trace{}
	if _, _, err := ForwardTrace(m, x, nil, prev); err != nil {
		t.Fatal(err)
	}
	reused := 0
	for attempt := 0; attempt < 5; attempt++ {
		held := map[*float32]bool{}
		for _, steps := range prev.Layers {
			for _, st := range steps {
				for _, tn := range []*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
					held[&tn.Data[0]] = true
				}
			}
		}
		RecycleTrace(prev)
		if prev.Layers != nil {
			t.Errorf("RecycleTrace left %d layers in the trace", len(prev.Layers))
		}
		again := &convlstm.Trace{}
		in := x2
		if attempt%2 == 1 {
			in = x
		}
		if _, _, err := ForwardTrace(m, in, nil, again); err != nil {
			t.Fatal(err)
		}
		if in == x2 {
			for l, steps := range again.Layers {
				for s, st := range steps {
					want := fresh.Layers[l][s]
					for k, p := range [][2]*convlstm.Tensor{{st.I, want.I}, {st.F, want.F}, {st.O, want.O}, {st.G, want.G}, {st.C, want.C}, {st.H, want.H}} {
						if held[&p[0].Data[0]] {
							reused++
						}
						for i := range p[1].Data {
							if p[0].Data[i] != p[1].Data[i] {
								t.Fatalf("attempt %d: layer %d step %d tensor %d (i f o g c h) [%d]: %v, fresh trace %v", attempt, l, s, k, i, p[0].Data[i], p[1].Data[i])
							}
						}
					}
				}
			}
		}
		prev = again
	}
	t.Logf("%d step tensors of 3 traced forwards (of %d) reused recycled memory", reused, 3*2*cfg.T*6)
	if reused == 0 && !raceEnabled {
		t.Error("no traced forward reused the recycled memory")
	}
}
