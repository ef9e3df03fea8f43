package convlstm

import (
	"fmt"
	"io"

	"example.com/convlstm/convlstm/internal/npz"
)

// The weights travel in numpy's .npz format: a zip archive holding one .npy
// file per array, named after its key. numpy.savez (or savez_compressed) of
// a PyTorch state_dict (converted to numpy) writes what ReadNPZ reads, and
// WriteNPZ writes what numpy.load reads back:
//
//	numpy.savez("model.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
//
// The reader (package internal/npz) checks all names, sizes and headers
// before decoding, rejects zip bombs, and decodes straight into tensors.

// MaxNPZBytes bounds the total size of the arrays that ReadNPZ, DecodeNPZ
// and LoadNPZ accept from one archive, in bytes once decompressed (1 GiB by
// default, 268,435,456 float32 values; no single tensor can be larger). An
// archive that declares more is rejected before any of its data is decoded.
// Raise it before loading a larger model.
var MaxNPZBytes = npz.DefaultMaxTotal

// ReadNPZ reads every array of an .npz file as float32 tensors, keyed by
// name without the ".npy" suffix. Arrays must be float32 ('<f4') in C order.
func ReadNPZ(path string) (map[string]*Tensor, error) {
	return tensors(npz.ReadFile(path, MaxNPZBytes))
}

// DecodeNPZ is ReadNPZ on an open file or an in-memory archive of the given
// size. A corrupt archive gives an error, never a panic; a header claiming
// more data than the archive holds is rejected before any allocation.
func DecodeNPZ(r io.ReaderAt, size int64) (map[string]*Tensor, error) {
	return tensors(npz.Decode(r, size, MaxNPZBytes))
}

func tensors(arrays map[string]*npz.Array, err error) (map[string]*Tensor, error) {
	if err != nil {
		return nil, wrap(err)
	}
	out := make(map[string]*Tensor, len(arrays))
	for k, a := range arrays {
		out[k] = &Tensor{Shape: a.Shape, Data: a.Data}
	}
	return out, nil
}

// WriteNPZ writes the tensors to an .npz file (float32, C order), one
// "<key>.npy" entry per tensor, in sorted key order. The file at path is
// replaced only once the new one is whole and synced (a temporary file in
// the same directory, renamed over it): on any error it is left as it was.
func WriteNPZ(path string, tensors map[string]*Tensor) error {
	arrays, err := toArrays(tensors)
	if err != nil {
		return err
	}
	return wrap(npz.WriteFile(path, arrays))
}

// EncodeNPZ writes the tensors as an .npz archive to w.
func EncodeNPZ(w io.Writer, tensors map[string]*Tensor) error {
	arrays, err := toArrays(tensors)
	if err != nil {
		return err
	}
	return wrap(npz.Encode(w, arrays))
}

// wrap prefixes the package name to npz's errors.
func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	return nil
}

func toArrays(tensors map[string]*Tensor) (map[string]*npz.Array, error) {
	arrays := make(map[string]*npz.Array, len(tensors))
	for k, t := range tensors {
		if err := checkTensor(k, t); err != nil {
			return nil, err
		}
		arrays[k] = &npz.Array{Shape: t.Shape, Data: t.Data}
	}
	return arrays, nil
}
