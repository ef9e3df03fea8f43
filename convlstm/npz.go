package convlstm

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
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
// size. A corrupt archive gives an error, never a panic.
func DecodeNPZ(r io.ReaderAt, size int64) (out map[string]*Tensor, err error) {
	defer func() {
		// The zip and npy decoders are trusted with untrusted bytes; turn
		// any panic inside them into an error.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("convlstm: corrupt npz: %v", p)
		}
	}()
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("convlstm: corrupt npz: %w", err)
	}
	defer zr.Close()
	out = map[string]*Tensor{}
	for _, name := range zr.Keys() {
		key := strings.TrimSuffix(name, ".npy")
		hdr := zr.Header(name)
		if hdr == nil {
			return nil, fmt.Errorf("convlstm: npz entry %q is not a readable .npy array", key)
		}
		if hdr.Descr.Fortran {
			return nil, fmt.Errorf("convlstm: npz entry %q is in Fortran order; save it C-contiguous (numpy.ascontiguousarray)", key)
		}
		shape := append([]int(nil), hdr.Descr.Shape...)
		n := 1
		for _, s := range shape {
			if s < 0 || (s > 0 && n > math.MaxInt32/s) {
				return nil, fmt.Errorf("convlstm: npz entry %q has an invalid shape %v", key, shape)
			}
			n *= s
		}
		var data []float32
		if err := zr.Read(name, &data); err != nil {
			return nil, fmt.Errorf("convlstm: npz entry %q (shape %v, dtype %s; want float32): %w", key, shape, hdr.Descr.Type, err)
		}
		if len(data) != n {
			return nil, fmt.Errorf("convlstm: npz entry %q has %d values, shape %v needs %d", key, len(data), shape, n)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("convlstm: npz entry %q appears twice", key)
		}
		out[key] = &Tensor{Shape: shape, Data: data}
	}
	return out, nil
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
