package movingmnist

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzDecodeIDX: any input either fails with an error or decodes into
// dims whose product is the number of values, and encoding them back
// gives the input's bytes.
func FuzzDecodeIDX(f *testing.F) {
	f.Add(idxBytes([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(idxBytes([]uint32{1, 28, 28}, make([]byte, 784)))
	f.Add(idxBytes([]uint32{3}, []byte{7, 2, 1}))
	f.Add(idxBytes([]uint32{60000, 28, 28}, nil))
	f.Add([]byte{0, 0, 8, 0})
	f.Add(gz(idxBytes([]uint32{2}, []byte{1, 2})))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			return
		}
		n := 1
		dims := make([]uint32, len(x.Dims))
		for i, d := range x.Dims {
			n *= d
			dims[i] = uint32(d)
		}
		if n != len(x.Data) || n > MaxIDXValues {
			t.Fatalf("dims %v but %d values", x.Dims, len(x.Data))
		}
		if len(b) > 1 && b[0] == 0x1f && b[1] == 0x8b {
			return // gzipped: the bytes compare only after gunzip
		}
		var back bytes.Buffer
		back.Write(b[:4])
		binary.Write(&back, binary.BigEndian, dims)
		back.Write(x.Data)
		if !bytes.Equal(back.Bytes(), b) {
			t.Fatalf("re-encoded file differs from the input")
		}
	})
}
