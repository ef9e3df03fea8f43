package movingmnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The idx format (LeCun's MNIST page): a 4-byte magic number, two zero
// bytes, a type byte (0x08: unsigned bytes, the only type MNIST uses) and
// the number of dimensions; then one big-endian uint32 per dimension; then
// the values, row-major, last dimension fastest. MNIST's images are
// idx3 (0x00000803: count, rows, cols) and its labels idx1 (0x00000801:
// count).
const (
	idxUbyte = 0x08
	// MaxIDXValues bounds the values of one idx file (64 Mi): MNIST's
	// largest, the 60000 training images of 28x28, holds 47,040,000. A
	// header that declares more is refused before anything is allocated.
	MaxIDXValues = 64 << 20
	maxIDXDims   = 8
)

// IDX is a decoded idx file of unsigned bytes.
type IDX struct {
	// Dims are the dimensions the header declares, e.g. [60000 28 28].
	Dims []int
	// Data holds the values, row-major (len = product of Dims).
	Data []byte
}

// DecodeIDX parses an idx file of unsigned bytes from r (uncompressed).
// It checks the magic number, the type, the number of dimensions and
// their product (at most MaxIDXValues) before reading the values, reads
// them in pieces so that a truncated file never costs the memory its
// header claims, and refuses a file with bytes past its declared values.
func DecodeIDX(r io.Reader) (*IDX, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("idx: magic number: %w", truncated(err))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("idx: bad magic number 0x%02x%02x%02x%02x: the first two bytes must be zero (is this an idx file? a gzipped file is read with ReadIDXFile)", head[0], head[1], head[2], head[3])
	}
	if head[2] != idxUbyte {
		return nil, fmt.Errorf("idx: magic number 0x%02x%02x%02x%02x: value type 0x%02x, want 0x08 (unsigned byte)", head[0], head[1], head[2], head[3], head[2])
	}
	nd := int(head[3])
	if nd < 1 || nd > maxIDXDims {
		return nil, fmt.Errorf("idx: magic number 0x%02x%02x%02x%02x: %d dimensions, want 1 to %d", head[0], head[1], head[2], head[3], nd, maxIDXDims)
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("idx: header of %d dimensions: %w", nd, truncated(err))
	}
	dims := make([]int, nd)
	n := 1
	for i := range dims {
		d := binary.BigEndian.Uint32(raw[4*i:])
		if d > MaxIDXValues {
			return nil, fmt.Errorf("idx: dimension %d is %d: more than the %d values allowed (dims so far %v)", i, d, MaxIDXValues, dims[:i+1])
		}
		dims[i] = int(d)
		n *= int(d) // at most (64 Mi)^2 before the check below: no overflow on 64-bit ints
		if n > MaxIDXValues {
			return nil, fmt.Errorf("idx: dims %v hold more than the %d values allowed", dims[:i+1], MaxIDXValues)
		}
	}
	// Read in pieces: memory grows only as the values arrive, so a
	// truncated file costs what it holds, not what its header claims.
	data := make([]byte, 0, min(n, 1<<16))
	for len(data) < n {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow (doubling)
		}
		end := min(n, cap(data))
		k, err := io.ReadFull(r, data[len(data):end])
		data = data[:len(data)+k]
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("idx: dims %v declare %d values, the file holds only %d: truncated", dims, n, len(data))
			}
			return nil, fmt.Errorf("idx: values: %w", err)
		}
	}
	// Past the values the file must end (reading on also makes a gzip
	// reader check its checksum).
	var extra [1]byte
	if k, err := io.ReadFull(r, extra[:]); k > 0 {
		return nil, fmt.Errorf("idx: dims %v declare %d values, but the file has more bytes after them", dims, n)
	} else if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("idx: after the values: %w", err)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// truncated names an early end of file.
func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("file truncated (%w)", err)
	}
	return err
}

// ReadIDX decodes an idx file from r, gunzipping it first when it starts
// with gzip's magic bytes (as MNIST's files are distributed).
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: gzip: %w", err)
		}
		defer z.Close()
		return DecodeIDX(z)
	}
	return DecodeIDX(br)
}

// ReadIDXFile reads the idx file at path (gzipped or not); errors name
// the path.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return x, nil
}
