package npz

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// The .npz reader against hostile and broken files (issue 10): each
// attack is built here, byte by byte, and each message is checked.

// zipEntry is one entry of a hand-made zip archive.
type zipEntry struct {
	name   string
	method uint16 // 0 stored, 8 deflated
	data   []byte // the bytes as they are in the archive
	usize  uint32 // the decompressed size the entry declares
	crc    uint32
	flags  uint16
	clen   int // if > 0, the compressed size the headers claim
	sameAs int // > 0: the directory entry points at entry sameAs-1's data
}

// stored and deflated make entries that hold raw honestly.
func stored(name string, raw []byte) zipEntry {
	return zipEntry{name: name, data: raw, usize: uint32(len(raw)), crc: crc32.ChecksumIEEE(raw)}
}

func deflated(name string, raw []byte) zipEntry {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(raw)
	w.Close()
	return zipEntry{name: name, method: 8, data: b.Bytes(), usize: uint32(len(raw)), crc: crc32.ChecksumIEEE(raw)}
}

// buildZip writes local headers and data for the entries that own their
// data, then a central directory with one record per entry.
func buildZip(entries ...zipEntry) []byte {
	le := binary.LittleEndian
	header := func(b []byte, sig uint32, e zipEntry) []byte {
		b = le.AppendUint32(b, sig)
		if sig == 0x02014b50 {
			b = le.AppendUint16(b, 20)
		}
		b = le.AppendUint16(b, 20)
		b = le.AppendUint16(b, e.flags)
		b = le.AppendUint16(b, e.method)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, e.crc)
		if e.clen == 0 {
			e.clen = len(e.data)
		}
		b = le.AppendUint32(b, uint32(e.clen))
		b = le.AppendUint32(b, e.usize)
		b = le.AppendUint16(b, uint16(len(e.name)))
		return le.AppendUint16(b, 0)
	}
	var out []byte
	offsets := make([]int, len(entries))
	for i, e := range entries {
		if e.sameAs > 0 {
			offsets[i] = offsets[e.sameAs-1]
			continue
		}
		offsets[i] = len(out)
		out = header(out, 0x04034b50, e)
		out = append(out, e.name...)
		out = append(out, e.data...)
	}
	cd := len(out)
	for i, e := range entries {
		if e.sameAs > 0 {
			s := entries[e.sameAs-1]
			e.method, e.data, e.crc = s.method, s.data, s.crc
		}
		out = header(out, 0x02014b50, e)
		out = append(out, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // comment length, disk, attributes
		out = le.AppendUint32(out, uint32(offsets[i]))
		out = append(out, e.name...)
	}
	out = le.AppendUint32(out, 0x06054b50)
	out = append(out, 0, 0, 0, 0)
	out = le.AppendUint16(out, uint16(len(entries)))
	out = le.AppendUint16(out, uint16(len(entries)))
	out = le.AppendUint32(out, uint32(len(out)-cd-12))
	out = le.AppendUint32(out, uint32(cd))
	return le.AppendUint16(out, 0)
}

// npyBytes is an .npy file of n float32 zeros whose header says shape
// (n,), with the header's dict literal edited by the replacements (old,
// new, old, new, ...); the header length follows the edits.
func npyBytes(t testing.TB, n int, edits ...string) []byte {
	t.Helper()
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }", n)
	for i := 0; i+1 < len(edits); i += 2 {
		dict = strings.Replace(dict, edits[i], edits[i+1], 1)
	}
	header := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	raw := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(header)))
	raw = append(raw, header...)
	return append(raw, make([]byte, 4*n)...)
}

// decodeAlloc decodes b and returns the error and the bytes allocated
// meanwhile, as runtime/metrics counts them: large allocations at once,
// small ones by the span (exact to a few tens of KiB), at a cost of well
// under a microsecond, where runtime.ReadMemStats stops the world.
func decodeAlloc(b []byte) (map[string]*convlstm.Tensor, error, uint64) {
	before := heapAllocs()
	sd, err := Decode(bytes.NewReader(b), int64(len(b)))
	return sd, err, heapAllocs() - before
}

// heapAllocs is the bytes allocated on the heap since the program began.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// withLimit sets MaxBytes for the test.
func withLimit(t testing.TB, n int64) {
	old := MaxBytes
	MaxBytes = n
	t.Cleanup(func() { MaxBytes = old })
}

func TestNPZAttacks(t *testing.T) {
	good := npyBytes(t, 6)
	big := npyBytes(t, 1<<18) // 1 MiB of zeros, a few KB deflated
	bomb := deflated("a.npy", big)
	overlapping := []zipEntry{bomb}
	for i := 1; i < 8; i++ {
		overlapping = append(overlapping, zipEntry{name: fmt.Sprintf("k%d.npy", i), usize: bomb.usize, sameAs: 1})
	}
	liar := stored("a.npy", good)
	liar.usize = 1 << 20
	ratio := deflated("a.npy", good)
	ratio.usize = 1 << 30
	outside := stored("a.npy", good)
	outside.clen = len(good) + 80 // runs past the end of the archive
	outside.usize = uint32(outside.clen)
	huge := outside
	huge.clen = 1 << 20
	lzma := stored("a.npy", good)
	lzma.method = 14
	crypt := stored("a.npy", good)
	crypt.flags = 1
	badCRC := stored("a.npy", good)
	badCRC.crc ^= 1
	noise := npyBytes(t, 4096)
	for i, x := 128, uint32(1); i < len(noise); i++ {
		x = x*1664525 + 1013904223
		noise[i] = byte(x >> 24)
	}
	short := deflated("a.npy", noise) // hardly compressed
	short.data = short.data[:len(short.data)/2]
	cases := []struct {
		name  string
		b     []byte
		limit int64
		want  []string
	}{
		{"overlapping entries", buildZip(overlapping...), 0, []string{`entries "a.npy" (bytes 35..`, `and "k1.npy"`, "overlap", "zip bomb"}},
		{"total over the limit", buildZip(deflated("a.npy", big), deflated("b.npy", big)), 3 << 19, []string{"npz too large: its entries declare 2097408 bytes once decompressed, more than the limit of 1572864 (npz.MaxBytes"}},
		{"one entry over the limit", buildZip(bomb), 1 << 19, []string{"declare 1048704 bytes", "limit of 524288"}},
		{"deflate ratio", buildZip(ratio), 0, []string{`entry "a.npy"`, "declares 1073741824 bytes deflated into", "1032:1"}},
		{"stored size lies", buildZip(liar), 0, []string{"stored in 152 bytes, declares 1048576"}},
		{"data outside the archive", buildZip(outside), 0, []string{`entry "a.npy": data at bytes 35..35+232 lies outside the archive of 260 bytes`}},
		{"more than the archive", buildZip(huge), 0, []string{"holds 1048576 compressed bytes, more than the archive's 260"}},
		{"compression method", buildZip(lzma), 0, []string{"compression method 14, want stored (0, numpy.savez) or deflated (8, numpy.savez_compressed)"}},
		{"encrypted", buildZip(crypt), 0, []string{"is encrypted"}},
		{"checksum", buildZip(badCRC), 0, []string{`npz entry "a"`, "checksum"}},
		{"deflate stream cut", buildZip(short), 0, []string{`npz entry "a"`, "reading the data", "unexpected EOF"}},
		{"empty", nil, 0, []string{"want a .npz file (a zip archive of .npy arrays), found an empty file"}},
		{"not a zip", []byte("not a zip file"), 0, []string{"corrupt npz", "found 14 bytes that do not start with a zip signature", `"not a zi"`}},
		{"bare .npy", good, 0, []string{"found a single .npy array (numpy.save)", "numpy.savez"}},
		{"pickle", []byte("\x80\x02}q\x00"), 0, []string{"found a Python pickle"}},
		{"truncated", buildZip(stored("a.npy", good))[:100], 0, []string{"found a truncated zip: 100 bytes that start like a zip but have no end of central directory"}},
		{"damaged directory", bytes.Replace(buildZip(stored("a.npy", good)), []byte("PK\x01\x02"), []byte("PK\x01\x09"), 1), 0, []string{"found a damaged zip of 260 bytes: zip: not a valid zip file"}},
		{"torch.save", buildZip(stored("archive/data.pkl", good)), 0, []string{"found a PyTorch checkpoint (torch.save"}},
		{"not .npy", buildZip(stored("a.txt", good)), 0, []string{`entry "a.txt" is not named <key>.npy`}},
		{"twice", buildZip(stored("a.npy", good), stored("a.npy", good)), 0, []string{`entry "a.npy" appears twice`}},
		{"wrong dtype", buildZip(stored("a.npy", npyBytes(t, 6, "<f4", "<f8"))), 0, []string{`npz entry "a"`, "dtype <f8, want float32 ('<f4')"}},
		{"big-endian", buildZip(stored("a.npy", npyBytes(t, 6, "<f4", ">f4"))), 0, []string{"dtype >f4"}},
		{"Fortran order", buildZip(stored("a.npy", npyBytes(t, 6, "False", "True "))), 0, []string{"Fortran order"}},
		{"header says more", buildZip(stored("a.npy", npyBytes(t, 6, "(6,)", "(9,)"))), 0, []string{"shape [9] needs 36 bytes of float32, the entry holds 24"}},
		{"header says a huge shape", buildZip(stored("a.npy", npyBytes(t, 6, "(6,)", "(99999, 99999, 99999)"))), 0, []string{"shape [99999 99999 99999] needs 3999880001199996 bytes"}},
		{"header says less", buildZip(stored("a.npy", npyBytes(t, 6, "(6,)", "(5,)"))), 0, []string{"needs 20 bytes of float32, the entry holds 24"}},
		{"extra key", buildZip(stored("a.npy", npyBytes(t, 6, ", }", ", 'x': 1}"))), 0, []string{"malformed .npy header"}},
		{"key twice", buildZip(stored("a.npy", npyBytes(t, 6, "'fortran_order': False", "'shape': (6,)        "))), 0, []string{"malformed .npy header"}},
		{"header length lies", buildZip(stored("a.npy", append(good[:8:8], 0xff, 0x7f))), 0, []string{".npy header of 32767 bytes is longer than the entry"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.limit > 0 {
				withLimit(t, c.limit)
			}
			sd, err, alloc := decodeAlloc(c.b)
			if err == nil {
				t.Fatalf("accepted: %d arrays", len(sd))
			}
			if !strings.HasPrefix(err.Error(), "npz: ") {
				t.Errorf("error %q does not start with the package name", err)
			}
			wantErr(t, err, c.want...)
			t.Log(err) // go test -v shows every message
			// Rejected archives cost little: no array is allocated.
			if alloc > 1<<20 {
				t.Errorf("allocated %d bytes to reject it", alloc)
			}
		})
	}
}

// An archive whose entries are checked (names, sizes, headers) before any
// array is decoded: a bad last entry costs nothing for the big first one.
func TestNPZChecksAllBeforeDecoding(t *testing.T) {
	b := buildZip(deflated("big.npy", npyBytes(t, 1<<20)), stored("bad.npy", npyBytes(t, 6, "<f4", "<i8")))
	_, err, alloc := decodeAlloc(b)
	wantErr(t, err, `npz entry "bad"`, "dtype <i8")
	if alloc > 1<<20 {
		t.Errorf("allocated %d bytes before finding the bad entry", alloc)
	}
}

// A valid archive's decoding allocates about its arrays' own size: the
// values are decoded straight into the tensor, with no copy of the entry.
func TestNPZDecodesInPlace(t *testing.T) {
	const n = 1 << 22 // 16 MiB of float32
	for _, e := range []zipEntry{deflated("a.npy", npyBytes(t, n)), stored("a.npy", npyBytes(t, n))} {
		b := buildZip(e)
		sd, err, alloc := decodeAlloc(b)
		if err != nil || len(sd["a"].Data) != n {
			t.Fatal(err)
		}
		if alloc > 4*n+1<<20 {
			t.Errorf("method %d: allocated %d bytes for %d bytes of data", e.method, alloc, 4*n)
		}
	}
}

// Files written by numpy 1.24 load: numpy.savez_compressed (deflated) and
// .npy format versions 2.0 and 3.0, made in testdata by
//
//	import numpy as np, zipfile, io
//	a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8
//	b = np.array([1.5, -2.25], dtype=np.float32)
//	np.savez_compressed("savez_compressed.npz", a=a, b=b)
//	with zipfile.ZipFile("npy_v2_v3.npz", "w") as z:
//	    for name, ver in (("v2", (2, 0)), ("v3", (3, 0))):
//	        buf = io.BytesIO()
//	        np.lib.format.write_array(buf, a, version=ver)
//	        z.writestr(name + ".npy", buf.getvalue())
func TestNPZFromNumpy(t *testing.T) {
	want := make([]float32, 24)
	for i := range want {
		want[i] = float32(i) / 8
	}
	for _, name := range []string{"savez_compressed.npz", "npy_v2_v3.npz"} {
		sd, err := Read(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for k, x := range sd {
			if k == "b" {
				if !convlstm.SameShape(x.Shape, []int{2}) || x.Data[0] != 1.5 || x.Data[1] != -2.25 {
					t.Errorf("%s: b = %v %v", name, x.Shape, x.Data)
				}
				continue
			}
			if !convlstm.SameShape(x.Shape, []int{2, 3, 4}) || fmt.Sprint(x.Data) != fmt.Sprint(want) {
				t.Errorf("%s: %s = %v %v", name, k, x.Shape, x.Data)
			}
		}
		if len(sd) != 2 {
			t.Errorf("%s: %d arrays, want 2", name, len(sd))
		}
	}
}

// The golden files are numpy's zip64 archives; they must all load.
func TestNPZGoldenZip64(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "*", "*.npz"))
	if len(files) == 0 {
		t.Skip("no golden files")
	}
	for _, f := range files {
		if _, err := Read(f); err != nil {
			t.Error(err)
		}
	}
}

// A state_dict saved from nn.DataParallel (or any wrapper) has its keys
// under a prefix: the error says which, for LoadStateDict and Load.
func TestNPZKeyPrefix(t *testing.T) {
	m := mustModel(t, false)
	for _, p := range []string{"module.", "model.encoder."} {
		sd := map[string]*convlstm.Tensor{}
		for k, v := range m.StateDict() {
			sd[p+k] = v
		}
		want := fmt.Sprintf("keys carry the prefix %q: strip it", p)
		wantErr(t, m.LoadStateDict(sd), want, `want "cell_list.0.conv.bias"`, `found "`+p+`cell_list.0.conv.bias"`)
		path := filepath.Join(t.TempDir(), "wrapped.npz")
		if err := Write(path, sd); err != nil {
			t.Fatal(err)
		}
		wantErr(t, Load(m, path), want, "wrapped.npz")
	}
	// Only some keys under a prefix: no prefix to strip, a missing key.
	sd := m.StateDict()
	sd["module.cell_list.0.conv.bias"] = sd["cell_list.0.conv.bias"]
	delete(sd, "cell_list.0.conv.bias")
	delete(sd, "cell_list.1.conv.weight")
	wantErr(t, m.LoadStateDict(sd), `missing key "cell_list.0.conv.bias"`)
}

// Load checks names and shapes before it decodes any array.
func TestLoadChecksNamesFirst(t *testing.T) {
	m := mustModel(t, false)
	sd := map[string]*convlstm.Tensor{"cell_list.0.conv.weight": convlstm.Zeros(1<<22, 1)}
	path := filepath.Join(t.TempDir(), "big.npz")
	if err := Write(path, sd); err != nil {
		t.Fatal(err)
	}
	before := heapAllocs()
	err := Load(m, path)
	wantErr(t, err, `missing key "cell_list.0.conv.bias"`, "big.npz")
	if alloc := heapAllocs() - before; alloc > 1<<20 {
		t.Errorf("allocated %d bytes before checking the names", alloc)
	}
	// A file that is no .npz, through Read and Load: the path and
	// what was found.
	empty := filepath.Join(t.TempDir(), "empty.npz")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Read(empty)
	wantErr(t, err, "empty.npz", "found an empty file")
	wantErr(t, Load(m, empty), "empty.npz", "found an empty file")
	wantErr(t, Load(m, t.TempDir()), "found a directory")
}
