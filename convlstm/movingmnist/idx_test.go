package movingmnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idxBytes encodes an idx file of unsigned bytes.
func idxBytes(dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, idxUbyte, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	z.Write(b)
	z.Close()
	return out.Bytes()
}

func TestDecodeIDX(t *testing.T) {
	data := []byte{1, 2, 3, 4, 5, 6}
	for name, raw := range map[string][]byte{
		"plain":   idxBytes([]uint32{2, 3}, data),
		"gzipped": gz(idxBytes([]uint32{2, 3}, data)),
	} {
		x, err := ReadIDX(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(x.Dims) != 2 || x.Dims[0] != 2 || x.Dims[1] != 3 || !bytes.Equal(x.Data, data) {
			t.Errorf("%s: got dims %v data %v, want [2 3] %v", name, x.Dims, x.Data, data)
		}
	}
}

// Every bad file gets an error that says what is wrong.
func TestDecodeIDXErrors(t *testing.T) {
	good := idxBytes([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	gzBad := gz(good)
	gzBad[len(gzBad)-5] ^= 0xff // the CRC-32 of the gzip trailer
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"short magic", []byte{0, 0}, "truncated"},
		{"wrong magic", append([]byte{0x12, 0x34}, good[2:]...), "bad magic number"},
		{"float type", append([]byte{0, 0, 0x0d}, good[3:]...), "value type 0x0d"},
		{"zero dims", []byte{0, 0, 8, 0}, "0 dimensions"},
		{"too many dims", []byte{0, 0, 8, 9}, "9 dimensions"},
		{"truncated header", good[:9], "header of 2 dimensions"},
		{"truncated values", good[:len(good)-1], "holds only 5: truncated"},
		{"trailing bytes", append(append([]byte{}, good...), 7), "more bytes after them"},
		{"dimension too large", idxBytes([]uint32{1 << 30}, nil), "more than the 67108864 values allowed"},
		{"product too large", idxBytes([]uint32{60000, 28, 28, 28}, nil), "hold more than the 67108864 values"},
		{"gzip header only", []byte{0x1f, 0x8b, 8}, "gzip"},
		{"gzip checksum", gzBad, "checksum"},
	}
	for _, c := range cases {
		_, err := ReadIDX(bytes.NewReader(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// A header that claims 64 Mi values on a 20-byte file must not cost 64 MiB.
func TestDecodeIDXNoAllocBeforeData(t *testing.T) {
	file := idxBytes([]uint32{60000, 28, 28}, []byte{1, 2, 3})
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := DecodeIDX(bytes.NewReader(file)); err == nil {
				b.Fatal("no error")
			}
		}
	})
	if per := allocs.AllocedBytesPerOp(); per > 2<<20 {
		t.Errorf("a truncated file declaring 47 MB allocated %d bytes per read, want at most 2 MiB", per)
	} else {
		t.Logf("bytes allocated per read of a truncated 47 MB header: %d", per)
	}
}

func TestLoadFilesErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	img := func(n, h, w int) []byte {
		return idxBytes([]uint32{uint32(n), uint32(h), uint32(w)}, make([]byte, n*h*w))
	}
	cases := []struct {
		name           string
		images, labels []byte
		want           string
	}{
		{"count mismatch", img(3, 28, 28), idxBytes([]uint32{2}, []byte{1, 2}), "3 images but 2 labels"},
		{"digit size", img(2, 27, 28), idxBytes([]uint32{2}, []byte{1, 2}), "dims (N, 28, 28), got [2 27 28]"},
		{"labels not 1-D", img(2, 28, 28), idxBytes([]uint32{2, 1}, []byte{1, 2}), "labels must have dims (N)"},
		{"label range", img(2, 28, 28), idxBytes([]uint32{2}, []byte{1, 10}), "label 1 is 10"},
		{"no digits", img(0, 28, 28), idxBytes([]uint32{0}, nil), "no digits"},
		{"bad images file", []byte("not an idx file"), idxBytes([]uint32{2}, []byte{1, 2}), "images.idx: idx: bad magic"},
	}
	for _, c := range cases {
		_, err := LoadFiles(write("images.idx", c.images), write("labels.idx", c.labels))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
	d, err := LoadFiles(write("images.idx", idxBytes([]uint32{1, 28, 28}, bytes.Repeat([]byte{255}, 784))), write("labels.idx", idxBytes([]uint32{1}, []byte{9})))
	if err != nil || d.N != 1 || d.Pix[0] != 1 || d.Labels[0] != 9 {
		t.Errorf("a good pair: got %+v, %v", d, err)
	}
}

// The real files, from the module cache: sizes and value ranges.
func TestLoadMNIST(t *testing.T) {
	for _, c := range []struct {
		name string
		load func() (*Digits, error)
		n    int
	}{{"train", LoadTrain, 60000}, {"test", LoadTest, 10000}} {
		d, err := c.load()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d.N != c.n || len(d.Pix) != c.n*784 || len(d.Labels) != c.n {
			t.Fatalf("%s: %d digits (%d pixels, %d labels), want %d", c.name, d.N, len(d.Pix), len(d.Labels), c.n)
		}
		var count [10]int
		for _, l := range d.Labels {
			count[l]++
		}
		lo, hi := float32(1), float32(0)
		for _, v := range d.Pix {
			lo, hi = min(lo, v), max(hi, v)
		}
		t.Logf("%s: %d digits, pixels in [%g, %g], per class %v", c.name, d.N, lo, hi, count)
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixels in [%g, %g], want [0, 1]", c.name, lo, hi)
		}
		for k, n := range count {
			if n < c.n/20 {
				t.Errorf("%s: class %d has %d digits: the labels look wrong", c.name, k, n)
			}
		}
	}
}

// MNISTVersion is the version go.mod pins.
func TestModuleVersion(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if want := MNISTModule + " " + MNISTVersion; !strings.Contains(string(b), want) {
		t.Errorf("go.mod does not require %q", want)
	}
}
