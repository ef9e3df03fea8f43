// Package npz reads and writes numpy's .npz archives of float32 arrays as
// convlstm tensors, and loads and saves a model's state_dict in them,
// strictly and within a memory bound.
//
// The weights travel as a state_dict, the parameters under their PyTorch
// names (see convlstm.ConvLSTM.StateDict). numpy.savez (or savez_compressed)
// of a PyTorch state_dict, converted to numpy, writes what Read and Load
// read, and Write and Save write what numpy.load reads back:
//
//	numpy.savez("model.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
//
// An .npz is a zip archive holding one .npy file per array, named
// "<key>.npy": numpy.savez stores the entries, numpy.savez_compressed
// deflates them, and both mark them zip64. The reader checks the whole
// archive before a single array is decoded:
//
//   - the file is a zip: an empty file, a truncated zip, a bare .npy or
//     a PyTorch checkpoint is named as such;
//   - every entry is named <key>.npy, once, and is stored or deflated;
//   - each entry's data lies inside the archive and shares no byte with
//     another entry's, so no compressed byte is decompressed twice (the
//     zip bomb of many directory entries pointing at one deflated stream
//     is rejected);
//   - a stored entry declares its stored size, a deflated one at most
//     1032 times (deflate's largest ratio) its compressed size plus 1 KiB;
//   - the declared sizes sum to at most MaxBytes, so no array, and no
//     archive, can be larger;
//   - each entry's .npy header (version 1, 2 or 3, at most 64 KiB) says
//     '<f4', C order and a shape whose float32 data is exactly the rest of
//     the entry.
//
// It then allocates exactly each array's []float32 and decodes the entry's
// stream into it 32 KiB at a time: a load peaks at about the arrays' own
// size. The zip reader stops at the declared size and checks the CRC-32 at
// the end of each entry.
package npz

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/atomicfile"
)

// MaxBytes bounds the total size of the arrays that Read, Decode, Load and
// LoadParams accept from one archive, in bytes once decompressed (1 GiB by
// default, 268,435,456 float32 values; no single tensor can be larger). An
// archive that declares more is rejected before any of its data is decoded.
// Raise it before loading a larger model.
var MaxBytes int64 = 1 << 30

// Read reads every array of an .npz file as float32 tensors, keyed by
// name without the ".npy" suffix. Arrays must be float32 ('<f4') in C order.
func Read(path string) (map[string]*convlstm.Tensor, error) {
	a, err := openFile(path)
	if err != nil {
		return nil, wrap(err)
	}
	defer a.Close()
	tensors, err := a.readAll()
	if err != nil {
		return nil, fmt.Errorf("npz: %s: %w", path, err)
	}
	return tensors, nil
}

// Decode is Read on an open file or an in-memory archive of the given
// size. A corrupt archive gives an error, never a panic; a header claiming
// more data than the archive holds is rejected before any allocation.
func Decode(r io.ReaderAt, size int64) (map[string]*convlstm.Tensor, error) {
	if r == nil {
		return nil, errors.New("npz: Decode: r is nil")
	}
	a, err := open(r, size)
	if err != nil {
		return nil, wrap(err)
	}
	tensors, err := a.readAll()
	return tensors, wrap(err)
}

// Write writes the tensors to an .npz file (float32, C order), one
// "<key>.npy" entry per tensor, in sorted key order. The file at path is
// replaced only once the new one is whole and synced (a temporary file in
// the same directory, renamed over it): on any error it is left as it was.
func Write(path string, tensors map[string]*convlstm.Tensor) error {
	if err := check(tensors); err != nil {
		return err
	}
	return wrap(atomicfile.Write(path, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := encode(bw, tensors); err != nil {
			return err
		}
		return bw.Flush()
	}))
}

// Encode writes the tensors as an .npz archive to w.
func Encode(w io.Writer, tensors map[string]*convlstm.Tensor) error {
	if w == nil {
		return errors.New("npz: Encode: w is nil")
	}
	if err := check(tensors); err != nil {
		return err
	}
	return wrap(encode(w, tensors))
}

// Load loads weights saved by numpy.savez of a PyTorch state_dict (see Read)
// into the model, strictly (see convlstm.ConvLSTM.LoadStateDict), on a model
// that Check accepts. It checks the names and shapes in the file before it
// decodes any data; on error the model is left as it was.
func Load(m *convlstm.ConvLSTM, path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	return LoadParams(m.StateDict(), path)
}

// Save writes the model's state_dict to an .npz file that numpy.load reads
// and PyTorch's load_state_dict accepts after torch.from_numpy, on a model
// that Check accepts, as Write does.
func Save(m *convlstm.ConvLSTM, path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	return Write(path, m.StateDict())
}

// LoadParams is convlstm.LoadParams(params, <the arrays of the file at
// path>): it checks the file's names and shapes against params before it
// decodes any data, then copies strictly; on error params are left as they
// were. Models that hold a ConvLSTM load with it.
func LoadParams(params map[string]*convlstm.Tensor, path string) error {
	if err := check(params); err != nil {
		return err
	}
	a, err := openFile(path)
	if err != nil {
		return wrap(err)
	}
	defer a.Close()
	want := map[string][]int{}
	for k, p := range params {
		want[k] = p.Shape
	}
	err = convlstm.CheckStateDict(want, a.shapes())
	var found map[string]*convlstm.Tensor
	if err == nil {
		found, err = a.readAll()
	}
	if err == nil {
		err = convlstm.LoadParams(params, found)
	}
	if err != nil {
		return fmt.Errorf("npz: %w (file %s)", err, path)
	}
	return nil
}

// check returns an error naming the key of a tensor that is nil or whose
// data does not fill its shape of positive sizes.
func check(tensors map[string]*convlstm.Tensor) error {
	for k, t := range tensors {
		if t == nil {
			return fmt.Errorf("npz: %s is nil", k)
		}
		if _, err := convlstm.FromSlice(t.Data, t.Shape...); err != nil {
			return fmt.Errorf("npz: %s: %w", k, err)
		}
	}
	return nil
}

// wrap prefixes the package name.
func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	return nil
}
