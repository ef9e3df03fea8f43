package convlstm

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The weights travel in numpy's .npz format: a zip archive holding one .npy
// file per array, named after its key. numpy.savez(path, **sd) of a PyTorch
// state_dict (converted to numpy) writes exactly what ReadNPZ reads, and
// WriteNPZ writes what numpy.load reads back:
//
//	sd = {k: v.numpy() for k, v in model.state_dict().items()}
//	numpy.savez("model.npz", **sd)

// ReadNPZ reads every array of an .npz file as float32 tensors, keyed by
// name without the ".npy" suffix. Arrays must be float32 ('<f4') in C order.
func ReadNPZ(path string) (map[string]*Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("convlstm: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("convlstm: %w", err)
	}
	return DecodeNPZ(f, st.Size())
}

// DecodeNPZ is ReadNPZ on an open file or an in-memory archive of the given
// size. A corrupt archive gives an error, never a panic, and a header that
// claims more data than the archive holds is rejected before anything is
// allocated for it.
func DecodeNPZ(r io.ReaderAt, size int64) (map[string]*Tensor, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("convlstm: corrupt npz: %w", err)
	}
	out := map[string]*Tensor{}
	for _, f := range zr.File {
		key := strings.TrimSuffix(f.Name, ".npy")
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("convlstm: npz entry %q appears twice", key)
		}
		raw, err := readEntry(f, size)
		if err != nil {
			return nil, fmt.Errorf("convlstm: corrupt npz: entry %q: %w", key, err)
		}
		t, err := decodeNPY(raw)
		if err != nil {
			return nil, fmt.Errorf("convlstm: npz entry %q: %w", key, err)
		}
		out[key] = t
	}
	return out, nil
}

// readEntry reads one zip entry whole. Its declared size must be plausible:
// no larger than the archive for a stored entry (numpy.savez stores), or
// than a deflate ratio of 1032:1 allows for a compressed one
// (numpy.savez_compressed).
func readEntry(f *zip.File, archive int64) ([]byte, error) {
	limit := archive
	if f.Method != zip.Store {
		limit = 1032*archive + 1024
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("declares %d bytes in an archive of %d", f.UncompressedSize64, archive)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(raw)) != f.UncompressedSize64 {
		return nil, fmt.Errorf("holds %d bytes, declares %d", len(raw), f.UncompressedSize64)
	}
	return raw, nil
}

var (
	npyDescr   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// decodeNPY parses one .npy file: the magic string "\x93NUMPY", the format
// version, the header length (2 bytes in version 1, 4 in versions 2 and 3),
// a Python dict literal with 'descr', 'fortran_order' and 'shape', then the
// values. Only little-endian float32 ('<f4') in C order is accepted, and
// the data must be exactly as long as the shape says.
func decodeNPY(b []byte) (*Tensor, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("not a .npy array (no \\x93NUMPY magic)")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("truncated .npy header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, fmt.Errorf(".npy format version %d.%d is not supported", b[6], b[7])
	}
	if hlen < 0 || hlen > len(b)-off {
		return nil, fmt.Errorf(".npy header of %d bytes is longer than the entry", hlen)
	}
	header := string(b[off : off+hlen])
	data := b[off+hlen:]
	descr := npyDescr.FindStringSubmatch(header)
	fortran := npyFortran.FindStringSubmatch(header)
	shapeText := npyShape.FindStringSubmatch(header)
	if descr == nil || fortran == nil || shapeText == nil {
		return nil, fmt.Errorf("malformed .npy header %q", header)
	}
	if descr[1] != "<f4" {
		return nil, fmt.Errorf("dtype %s, want float32 ('<f4'): save it with .astype(numpy.float32)", descr[1])
	}
	if fortran[1] != "False" {
		return nil, fmt.Errorf("Fortran order; save it C-contiguous (numpy.ascontiguousarray)")
	}
	shape := []int{}
	n := 1
	for _, part := range strings.Split(shapeText[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := strconv.Atoi(part)
		if err != nil || d < 0 || d > math.MaxInt32 || (d > 0 && n > math.MaxInt32/d) {
			return nil, fmt.Errorf("invalid shape (%s)", shapeText[1])
		}
		shape = append(shape, d)
		n *= d
	}
	if len(data) != 4*n {
		return nil, fmt.Errorf("shape %v needs %d bytes of float32, the entry holds %d", shape, 4*n, len(data))
	}
	t := &Tensor{Shape: shape, Data: make([]float32, n)}
	for i := range t.Data {
		t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return t, nil
}

// WriteNPZ writes the tensors to an .npz file (float32, C order), one
// "<key>.npy" entry per tensor, in sorted key order.
func WriteNPZ(path string, tensors map[string]*Tensor) error {
	var buf bytes.Buffer
	if err := EncodeNPZ(&buf, tensors); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	return nil
}

// EncodeNPZ writes the tensors as an .npz archive to w.
func EncodeNPZ(w io.Writer, tensors map[string]*Tensor) error {
	keys := make([]string, 0, len(tensors))
	for k, t := range tensors {
		if err := valid(k, t); err != nil {
			return err
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	zw := zip.NewWriter(w)
	for _, k := range keys {
		// Stored, not deflated, as numpy.savez does.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: zip.Store})
		if err != nil {
			return fmt.Errorf("convlstm: %w", err)
		}
		if err := writeNPY(f, tensors[k]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	return nil
}

// writeNPY writes one array in .npy format version 1.0: the magic string,
// a little-endian header length, a Python dict literal padded with spaces
// so that the data starts at a multiple of 64 bytes, then the values.
func writeNPY(w io.Writer, t *Tensor) error {
	dims := make([]string, len(t.Shape))
	for i, s := range t.Shape {
		dims[i] = fmt.Sprint(s)
	}
	shape := "(" + strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	shape += ")"
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape)
	pad := 64 - (10+len(dict)+1)%64
	if pad == 64 {
		pad = 0
	}
	header := dict + strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	_ = binary.Write(&buf, binary.LittleEndian, uint16(len(header)))
	buf.WriteString(header)
	raw := make([]byte, 4*len(t.Data))
	for i, v := range t.Data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	buf.Write(raw)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	return nil
}
