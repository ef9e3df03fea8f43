// Package npz reads and writes numpy's .npz archives of float32 arrays for
// package convlstm, strictly and within a memory bound.
//
// An .npz is a zip archive holding one .npy file per array, named
// "<key>.npy": numpy.savez stores the entries, numpy.savez_compressed
// deflates them, and both mark them zip64. Open checks the whole archive
// before a single array is decoded:
//
//   - the file is a zip: an empty file, a truncated zip, a bare .npy or
//     a PyTorch checkpoint is named as such;
//   - every entry is named <key>.npy, once, and is stored or deflated;
//   - each entry's data lies inside the archive and shares no byte with
//     another entry's, so no compressed byte is decompressed twice (the
//     zip bomb of many directory entries pointing at one deflated stream
//     is rejected);
//   - a stored entry declares its stored size, a deflated one at most
//     MaxRatio times its compressed size plus 1 KiB;
//   - the declared sizes sum to at most the limit the caller gives
//     (DefaultMaxTotal, 1 GiB, unless convlstm.MaxNPZBytes is changed), so
//     no array, and no archive, can be larger;
//   - each entry's .npy header (version 1, 2 or 3, at most MaxHeader bytes)
//     says '<f4', C order and a shape whose float32 data is exactly the rest
//     of the entry.
//
// Archive.Read then allocates exactly the array's []float32 and decodes
// the entry's stream into it 32 KiB at a time: a load peaks at about the
// arrays' own size. The zip reader stops at the declared size and checks
// the CRC-32 at the end of each entry.
package npz

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
)

const (
	// DefaultMaxTotal is the default bound on the total decompressed size
	// of an archive's entries, in bytes (1 GiB): 268,435,456 float32 values.
	DefaultMaxTotal int64 = 1 << 30
	// MaxRatio is deflate's largest compression ratio (258-byte matches
	// coded in 2 bits): a deflated entry that declares more than MaxRatio
	// times its compressed size (plus 1 KiB) cannot hold what it declares.
	MaxRatio = 1032
	// MaxHeader bounds an .npy header's length in bytes; numpy writes
	// headers of about 128 bytes and reads at most 10,000 by default.
	MaxHeader = 1 << 16
)

// Array is one float32 array in C order: Data holds prod(Shape) values.
type Array struct {
	Shape []int
	Data  []float32
}

// Archive is an .npz whose names, sizes and .npy headers Open has checked;
// Read decodes its arrays one at a time.
type Archive struct {
	entries []entry
	index   map[string]int
	closer  io.Closer
}

type entry struct {
	key   string
	f     *zip.File
	start int64 // the entry's data: bytes [start, end) of the archive
	end   int64
	shape []int
	n     int // values after the .npy header
}

const expected = "corrupt npz: want a .npz file (a zip archive of .npy arrays)"

// OpenFile opens the .npz file at path and checks it (see Open). Close the
// archive when done.
func OpenFile(path string, maxTotal int64) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = fmt.Errorf("%s, found a directory", expected)
	}
	var a *Archive
	if err == nil {
		a, err = Open(f, st.Size(), maxTotal)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	a.closer = f
	return a, nil
}

// Open checks an .npz archive of size bytes read through r: the zip
// structure, the entries' names, offsets and sizes against each other,
// the archive size and maxTotal (the bound on the sum of their
// decompressed sizes; DefaultMaxTotal if maxTotal <= 0), then every
// entry's .npy header. No array data is decoded or allocated.
func Open(r io.ReaderAt, size int64, maxTotal int64) (*Archive, error) {
	if maxTotal <= 0 {
		maxTotal = DefaultMaxTotal
	}
	if err := sniff(r, size); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, damaged(r, size, err)
	}
	a := &Archive{index: map[string]int{}}
	var total uint64 // the decompressed sizes declared (saturating)
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "data.pkl") {
			return nil, fmt.Errorf("%s, found a PyTorch checkpoint (torch.save, entry %q): save {k: v.numpy()} of the state_dict with numpy.savez", expected, f.Name)
		}
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("corrupt npz: entry %q is not named <key>.npy as numpy.savez names its arrays", f.Name)
		}
		if _, dup := a.index[key]; dup {
			return nil, fmt.Errorf("corrupt npz: entry %q appears twice", f.Name)
		}
		e, err := checkEntry(f, size)
		if err != nil {
			return nil, fmt.Errorf("corrupt npz: entry %q: %w", f.Name, err)
		}
		if total += f.UncompressedSize64; total < f.UncompressedSize64 {
			total = math.MaxUint64
		}
		e.key = key
		a.index[key] = len(a.entries)
		a.entries = append(a.entries, e)
	}
	if err := overlaps(a.entries); err != nil {
		return nil, err
	}
	if total > uint64(maxTotal) {
		return nil, fmt.Errorf("npz too large: its entries declare %d bytes once decompressed, more than the limit of %d (convlstm.MaxNPZBytes; raise it to load a larger model)", total, maxTotal)
	}
	for i := range a.entries {
		e := &a.entries[i]
		rc, err := e.f.Open()
		if err == nil {
			e.shape, e.n, err = readHeader(rc, int64(e.f.UncompressedSize64))
			rc.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("npz entry %q: %w", e.key, err)
		}
	}
	return a, nil
}

// sniff rejects, with a message saying what it found, a file that does
// not start like a zip archive.
func sniff(r io.ReaderAt, size int64) error {
	if size <= 0 {
		return fmt.Errorf("%s, found an empty file", expected)
	}
	head := make([]byte, min(size, 8))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("corrupt npz: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return nil
	case bytes.HasPrefix(head, []byte("\x93NUMPY")):
		return fmt.Errorf("%s, found a single .npy array (numpy.save): write a dict of arrays with numpy.savez", expected)
	case head[0] == 0x80:
		return fmt.Errorf("%s, found a Python pickle (torch.save?): save {k: v.numpy()} of the state_dict with numpy.savez", expected)
	}
	return fmt.Errorf("%s, found %d bytes that do not start with a zip signature (they start with %q)", expected, size, head)
}

// damaged explains why a file that starts like a zip is not one: a zip
// ends with its central directory, so a copy cut short has none.
func damaged(r io.ReaderAt, size int64, err error) error {
	tail := make([]byte, min(size, 65557)) // the end record and its comment
	if _, e := r.ReadAt(tail, size-int64(len(tail))); e != nil && !errors.Is(e, io.EOF) {
		return fmt.Errorf("corrupt npz: %w", e)
	}
	if !bytes.Contains(tail, []byte("PK\x05\x06")) {
		return fmt.Errorf("%s, found a truncated zip: %d bytes that start like a zip but have no end of central directory (an interrupted download or copy?)", expected, size)
	}
	return fmt.Errorf("%s, found a damaged zip of %d bytes: %w", expected, size, err)
}

// checkEntry checks one directory entry's method and sizes against the
// archive size, and returns it with the span of its data.
func checkEntry(f *zip.File, size int64) (entry, error) {
	c, u := f.CompressedSize64, f.UncompressedSize64
	switch {
	case f.Flags&1 != 0:
		return entry{}, errors.New("is encrypted")
	case c > uint64(size):
		return entry{}, fmt.Errorf("holds %d compressed bytes, more than the archive's %d", c, size)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return entry{}, fmt.Errorf("compression method %d, want stored (0, numpy.savez) or deflated (8, numpy.savez_compressed)", f.Method)
	case f.Method == zip.Store && u != c:
		return entry{}, fmt.Errorf("stored in %d bytes, declares %d", c, u)
	case f.Method == zip.Deflate && u > MaxRatio*c+1024:
		return entry{}, fmt.Errorf("declares %d bytes deflated into %d: more than deflate's %d:1 allows", u, c, MaxRatio)
	}
	off, err := f.DataOffset()
	if err != nil {
		return entry{}, fmt.Errorf("no local file header where the directory points (%v)", err)
	}
	if off < 0 || off > size-int64(c) {
		return entry{}, fmt.Errorf("data at bytes %d..%d+%d lies outside the archive of %d bytes", off, off, c, size)
	}
	return entry{f: f, start: off, end: off + int64(c)}, nil
}

// overlaps rejects entries whose data share bytes of the archive.
func overlaps(entries []entry) error {
	s := append([]entry(nil), entries...)
	sort.Slice(s, func(i, j int) bool {
		return s[i].start < s[j].start || s[i].start == s[j].start && s[i].end < s[j].end
	})
	for i := 1; i < len(s); i++ {
		if p := s[i-1]; s[i].start < p.end {
			return fmt.Errorf("corrupt npz: entries %q (bytes %d..%d) and %q (bytes %d..%d) overlap: each entry must have its own data (a zip bomb?)",
				p.f.Name, p.start, p.end, s[i].f.Name, s[i].start, s[i].end)
		}
	}
	return nil
}

// Close closes the file OpenFile opened; it does nothing for Open.
func (a *Archive) Close() error {
	if a.closer == nil {
		return nil
	}
	return a.closer.Close()
}

// Shapes returns each array's shape, as its .npy header declares it.
func (a *Archive) Shapes() map[string][]int {
	shapes := make(map[string][]int, len(a.entries))
	for _, e := range a.entries {
		shapes[e.key] = append([]int(nil), e.shape...)
	}
	return shapes
}

// Read decodes the array named key: it allocates its data exactly and
// decodes the entry into it, checking the CRC-32 at the end.
func (a *Archive) Read(key string) (*Array, error) {
	i, ok := a.index[key]
	if !ok {
		return nil, fmt.Errorf("npz: no array %q", key)
	}
	e := a.entries[i]
	rc, err := e.f.Open()
	if err != nil {
		return nil, fmt.Errorf("npz entry %q: %w", key, err)
	}
	defer rc.Close()
	// Skip the header Open has checked; the values are the entry's end.
	_, err = io.CopyN(io.Discard, rc, int64(e.f.UncompressedSize64)-4*int64(e.n))
	var data []float32
	if err == nil {
		data, err = readValues(rc, e.n)
	}
	if err != nil {
		return nil, fmt.Errorf("npz entry %q: %w", key, err)
	}
	return &Array{Shape: append([]int(nil), e.shape...), Data: data}, nil
}

// Decode opens the archive (see Open) and decodes all of its arrays.
func Decode(r io.ReaderAt, size int64, maxTotal int64) (map[string]*Array, error) {
	a, err := Open(r, size, maxTotal)
	if err != nil {
		return nil, err
	}
	return a.ReadAll()
}

// ReadAll decodes every array of the archive, keyed by name.
func (a *Archive) ReadAll() (map[string]*Array, error) {
	out := make(map[string]*Array, len(a.entries))
	for _, e := range a.entries {
		arr, err := a.Read(e.key)
		if err != nil {
			return nil, err
		}
		out[e.key] = arr
	}
	return out, nil
}

// ReadFile opens the .npz file at path (see OpenFile) and decodes all of
// its arrays.
func ReadFile(path string, maxTotal int64) (map[string]*Array, error) {
	a, err := OpenFile(path, maxTotal)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	arrays, err := a.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return arrays, nil
}
