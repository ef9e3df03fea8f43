package convlstm

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzConfig feeds arbitrary constructor arguments to New and Forward: each
// call must return a model or an error, never panic.
func FuzzConfig(f *testing.F) {
	f.Add(1, 4, 4, 3, 3, 3, 1, 2, 1, 5, 5, true)
	f.Add(0, 4, 4, 3, 3, 3, 1, 2, 1, 5, 5, false)
	f.Add(2, -1, 4, 4, 3, 3, 2, 1, 2, 4, 6, true)
	f.Add(2, 3, 3, 3, 5, 1, 3, 1, 1, 3, 3, false)
	f.Add(1, 1, 1, 1, 1, 1, 2, 1, 0, 1, 1, true)
	f.Fuzz(func(t *testing.T, in, h0, h1, kh, kw, nLayers, nHidden, batch, steps, height, width int, batchFirst bool) {
		// Bound the sizes so that a valid case stays cheap.
		if in > 4 || h0 > 4 || h1 > 4 || kh > 7 || kw > 7 || nLayers > 3 || nHidden > 3 || batch > 2 || steps > 3 || height > 6 || width > 6 {
			return
		}
		if nHidden < 0 || nLayers < -1 {
			return
		}
		hidden := []int{h0, h1, h0}[:nHidden]
		kernels := make([][2]int, 0, 3)
		for i := 0; i < nLayers && i < 3; i++ {
			kernels = append(kernels, [2]int{kh, kw})
		}
		m, err := New(Config{InputDim: in, HiddenDim: hidden, KernelSize: kernels, NumLayers: nLayers, BatchFirst: batchFirst, Bias: true})
		if err != nil {
			if m != nil {
				t.Fatal("model and error both returned")
			}
			return
		}
		shape := []int{batch, steps, in, height, width}
		if !batchFirst {
			shape[0], shape[1] = steps, batch
		}
		n := 1
		for _, s := range shape {
			if s > 0 {
				n *= s
			}
		}
		x := &Tensor{Shape: shape, Data: make([]float32, n)}
		outs, states, err := m.Forward(x, nil)
		if err == nil && (len(outs) != 1 || len(states) != 1) {
			t.Fatalf("got %d outputs, %d states", len(outs), len(states))
		}
	})
}

// FuzzReadNPZ feeds arbitrary bytes to the .npz decoder and, when it
// decodes, to LoadStateDict: errors are fine, panics are not, and memory is
// bounded: with MaxNPZBytes at 256 KiB, the bytes allocated while decoding
// an input of n bytes (every allocation, freed or not, so a bound on the
// peak too; counted by runtime/metrics' /gc/heap/allocs:bytes, see
// decodeAlloc) must be at most the decoded values' own size + 64n + 1 MiB.
// An input over the bound is decoded twice more and the least count kept:
// the decoder is deterministic, while other goroutines' allocations, which
// a GC may flush into the count mid-call, are not. No entry is read into a
// []byte, no array is allocated before the whole archive is checked, and
// overlapping entries are never decoded.
func FuzzReadNPZ(f *testing.F) {
	m, err := NewConvLSTM(1, 2, [2]int{3, 3}, 1, true, true, false)
	if err != nil {
		f.Fatal(err)
	}
	var good bytes.Buffer
	if err := EncodeNPZ(&good, m.StateDict()); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	b := append([]byte(nil), good.Bytes()...)
	b[len(b)/2] ^= 0xff
	f.Add(b)
	f.Add(good.Bytes()[:len(good.Bytes())/3])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	bomb := deflated("a.npy", npyBytes(f, 1<<10))
	f.Add(buildZip(bomb, zipEntry{name: "b.npy", usize: bomb.usize, sameAs: 1}))
	for _, name := range []string{"savez_compressed.npz", "npy_v2_v3.npz"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "npz", name)); err == nil {
			f.Add(b)
		}
	}
	withLimit(f, 1<<18)
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err, alloc := decodeAlloc(data)
		values := 0
		for _, x := range sd {
			values += 4 * len(x.Data)
		}
		bound := uint64(values) + 64*uint64(len(data)) + 1<<20
		for try := 0; try < 2 && alloc > bound; try++ {
			_, _, again := decodeAlloc(data)
			alloc = min(alloc, again)
		}
		if alloc > bound {
			t.Fatalf("decoding %d bytes (%d of values) allocated %d bytes, more than %d", len(data), values, alloc, bound)
		}
		if err != nil {
			return
		}
		_ = m.LoadStateDict(sd)
	})
}
