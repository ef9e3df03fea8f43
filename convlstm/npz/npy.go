package npz

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"example.com/convlstm/convlstm"
)

// One "'key': value" item of an .npy header's dict literal, then a comma or
// the end of the dict.
var npyItem = regexp.MustCompile(`^\s*'([A-Za-z_]+)'\s*:\s*('[^']*'|True|False|\([^()]*\))\s*(?:,|$)`)

// readHeader reads an .npy header from r, an .npy file of size bytes: the
// magic string "\x93NUMPY", the format version, the header length (2 bytes
// in version 1, 4 in versions 2 and 3), a Python dict literal with exactly
// 'descr', 'fortran_order' and 'shape'. Only little-endian float32 ('<f4')
// in C order is accepted, and the data left after the header must be
// exactly as long as the shape says. It returns the shape and the number of
// values.
func readHeader(r io.Reader, size int64) ([]int, int, error) {
	var pre [12]byte
	if size < 10 {
		return nil, 0, fmt.Errorf("not a .npy array (%d bytes, no \\x93NUMPY magic)", size)
	}
	if _, err := io.ReadFull(r, pre[:10]); err != nil {
		return nil, 0, fmt.Errorf("reading the .npy header: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, 0, errors.New("not a .npy array (no \\x93NUMPY magic)")
	}
	var hlen, off int64
	switch pre[6] {
	case 1:
		hlen, off = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		if size < 12 {
			return nil, 0, errors.New("truncated .npy header")
		}
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, 0, fmt.Errorf("reading the .npy header: %w", err)
		}
		hlen, off = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return nil, 0, fmt.Errorf(".npy format version %d.%d is not supported, want 1.0, 2.0 or 3.0", pre[6], pre[7])
	}
	if hlen > size-off {
		return nil, 0, fmt.Errorf(".npy header of %d bytes is longer than the entry", hlen)
	}
	if hlen > maxHeader {
		return nil, 0, fmt.Errorf(".npy header of %d bytes, want at most %d", hlen, maxHeader)
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, 0, fmt.Errorf("reading the .npy header: %w", err)
	}
	shape, n, err := parseHeader(string(h))
	if err != nil {
		return nil, 0, err
	}
	if data := size - off - hlen; n > data/4 || 4*n != data {
		need := fmt.Sprint(4 * n)
		if n > math.MaxInt64/4 {
			need = "more than 2^63"
		}
		return nil, 0, fmt.Errorf("shape %v needs %s bytes of float32, the entry holds %d", shape, need, data)
	}
	if n > math.MaxInt {
		return nil, 0, fmt.Errorf("shape %v is too large for this platform", shape)
	}
	return shape, int(n), nil
}

// parseHeader parses an .npy header's dict literal and returns the shape
// and its number of values (math.MaxInt64 if that overflows).
func parseHeader(h string) ([]int, int64, error) {
	bad := malformed(h)
	body := strings.TrimRight(h, " \n")
	if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, 0, bad
	}
	fields := map[string]string{}
	for rest := body[1 : len(body)-1]; strings.TrimSpace(rest) != ""; {
		m := npyItem.FindStringSubmatch(rest)
		if m == nil || fields[m[1]] != "" {
			return nil, 0, bad
		}
		fields[m[1]], rest = m[2], rest[len(m[0]):]
	}
	descr, fortran, shapeText := fields["descr"], fields["fortran_order"], fields["shape"]
	if len(fields) != 3 || !strings.HasPrefix(descr, "'") || fortran == "" || !strings.HasPrefix(shapeText, "(") {
		return nil, 0, bad
	}
	if descr != "'<f4'" {
		return nil, 0, fmt.Errorf("dtype %s, want float32 ('<f4'): save it with .astype(numpy.float32)", strings.Trim(descr, "'"))
	}
	if fortran != "False" {
		return nil, 0, errors.New("Fortran order; save it C-contiguous (numpy.ascontiguousarray)")
	}
	dims := strings.TrimSpace(shapeText[1 : len(shapeText)-1])
	shape := []int{}
	n := int64(1)
	if dims == "" {
		return shape, n, nil
	}
	parts := strings.Split(dims, ",")
	if len(parts) > 1 && strings.TrimSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1] // the trailing comma of (3,)
	}
	for _, part := range parts {
		d, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || d < 0 || d > math.MaxInt32 {
			return nil, 0, fmt.Errorf("invalid shape %s", shapeText)
		}
		shape = append(shape, d)
		if d > 0 && n > math.MaxInt64/int64(d) {
			n = math.MaxInt64
		} else {
			n *= int64(d)
		}
	}
	return shape, n, nil
}

// malformed is the error for a header that is no dict of the three keys.
type malformed string

func (h malformed) Error() string {
	return fmt.Sprintf("malformed .npy header %q: want a dict of 'descr', 'fortran_order' and 'shape'", string(h))
}

// readValues decodes n little-endian float32 values from r straight into
// a []float32 of exactly that length, 32 KiB at a time; r must end right
// after them.
func readValues(r io.Reader, n int) ([]float32, error) {
	data := make([]float32, n)
	buf := make([]byte, min(4*n, 32<<10))
	for i := 0; i < n; {
		k := min(len(buf)/4, n-i)
		if _, err := io.ReadFull(r, buf[:4*k]); err != nil {
			return nil, fmt.Errorf("reading the data: %w", err)
		}
		for j := range k {
			data[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
		i += k
	}
	var one [1]byte
	if m, err := io.ReadFull(r, one[:]); m != 0 {
		return nil, errors.New("holds data past what its shape needs")
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the data: %w", err)
	}
	return data, nil
}

// writeNPY writes one array in .npy format version 1.0: the magic string,
// a little-endian header length, a Python dict literal padded with spaces
// so that the data starts at a multiple of 64 bytes, then the values.
func writeNPY(w io.Writer, a *convlstm.Tensor) error {
	dims := make([]string, len(a.Shape))
	for i, s := range a.Shape {
		dims[i] = strconv.Itoa(s)
	}
	shape := "(" + strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	shape += ")"
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape)
	header := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	b := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(header)))
	b = append(b, header...)
	for i, v := range a.Data {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		if len(b) >= 32<<10 || i == len(a.Data)-1 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if len(b) > 0 {
		_, err := w.Write(b)
		return err
	}
	return nil
}

// encode writes the arrays as an .npz archive to w: one stored
// "<key>.npy" entry per array, as numpy.savez writes, in sorted key order.
func encode(w io.Writer, arrays map[string]*convlstm.Tensor) error {
	keys := make([]string, 0, len(arrays))
	for k := range arrays {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	zw := zip.NewWriter(w)
	for _, k := range keys {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if err := writeNPY(f, arrays[k]); err != nil {
			return err
		}
	}
	return zw.Close()
}
