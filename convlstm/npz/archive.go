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

	"example.com/convlstm/convlstm"
)

const (
	// maxRatio is deflate's largest compression ratio (258-byte matches
	// coded in 2 bits): a deflated entry that declares more than maxRatio
	// times its compressed size (plus 1 KiB) cannot hold what it declares.
	maxRatio = 1032
	// maxHeader bounds an .npy header's length in bytes; numpy writes
	// headers of about 128 bytes and reads at most 10,000 by default.
	maxHeader = 1 << 16
)

// archive is an .npz whose names, sizes and .npy headers open has checked;
// read decodes its arrays one at a time.
type archive struct {
	entries []entry
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

// openFile opens the .npz file at path and checks it (see open). Close the
// archive when done.
func openFile(path string) (*archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = fmt.Errorf("%s, found a directory", expected)
	}
	var a *archive
	if err == nil {
		a, err = open(f, st.Size())
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	a.closer = f
	return a, nil
}

// open checks an .npz archive of size bytes read through r: the zip
// structure, the entries' names, offsets and sizes against each other,
// the archive size and MaxBytes (the bound on the sum of their
// decompressed sizes), then every entry's .npy header. No array data is
// decoded or allocated.
func open(r io.ReaderAt, size int64) (*archive, error) {
	if err := sniff(r, size); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, damaged(r, size, err)
	}
	a, seen := &archive{}, map[string]bool{}
	var total uint64 // the decompressed sizes declared (saturating)
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "data.pkl") {
			return nil, fmt.Errorf("%s, found a PyTorch checkpoint (torch.save, entry %q): save {k: v.numpy()} of the state_dict with numpy.savez", expected, f.Name)
		}
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("corrupt npz: entry %q is not named <key>.npy as numpy.savez names its arrays", f.Name)
		}
		if seen[key] {
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
		seen[key] = true
		a.entries = append(a.entries, e)
	}
	if err := overlaps(a.entries); err != nil {
		return nil, err
	}
	if maxTotal := MaxBytes; total > uint64(max(maxTotal, 0)) {
		return nil, fmt.Errorf("npz too large: its entries declare %d bytes once decompressed, more than the limit of %d (npz.MaxBytes; raise it to load a larger model)", total, maxTotal)
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
	case f.Method == zip.Deflate && u > maxRatio*c+1024:
		return entry{}, fmt.Errorf("declares %d bytes deflated into %d: more than deflate's %d:1 allows", u, c, maxRatio)
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

// Close closes the file openFile opened; it does nothing for open.
func (a *archive) Close() error {
	if a.closer == nil {
		return nil
	}
	return a.closer.Close()
}

// shapes returns each array's shape, as its .npy header declares it.
func (a *archive) shapes() map[string][]int {
	shapes := make(map[string][]int, len(a.entries))
	for _, e := range a.entries {
		shapes[e.key] = append([]int(nil), e.shape...)
	}
	return shapes
}

// read decodes entry e: it allocates its data exactly and decodes the
// entry into it, checking the CRC-32 at the end.
func (a *archive) read(e entry) (*convlstm.Tensor, error) {
	key := e.key
	rc, err := e.f.Open()
	if err != nil {
		return nil, fmt.Errorf("npz entry %q: %w", key, err)
	}
	defer rc.Close()
	// Skip the header open has checked; the values are the entry's end.
	_, err = io.CopyN(io.Discard, rc, int64(e.f.UncompressedSize64)-4*int64(e.n))
	var data []float32
	if err == nil {
		data, err = readValues(rc, e.n)
	}
	if err != nil {
		return nil, fmt.Errorf("npz entry %q: %w", key, err)
	}
	return &convlstm.Tensor{Shape: append([]int(nil), e.shape...), Data: data}, nil
}

// readAll decodes every array of the archive, keyed by name.
func (a *archive) readAll() (map[string]*convlstm.Tensor, error) {
	out := make(map[string]*convlstm.Tensor, len(a.entries))
	for _, e := range a.entries {
		arr, err := a.read(e)
		if err != nil {
			return nil, err
		}
		out[e.key] = arr
	}
	return out, nil
}
