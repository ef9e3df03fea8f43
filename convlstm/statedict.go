package convlstm

import (
	"errors"
	"fmt"
	"io"

	"example.com/convlstm/convlstm/internal/npz"
)

// The weights travel as a state_dict, the parameters under their PyTorch
// names, in numpy's .npz format: a zip archive holding one .npy file per
// array, named after its key. numpy.savez (or savez_compressed) of a
// PyTorch state_dict (converted to numpy) writes what ReadNPZ reads, and
// WriteNPZ writes what numpy.load reads back:
//
//	numpy.savez("model.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
//
// The reader (package internal/npz) checks all names, sizes and headers
// before decoding, rejects zip bombs, and decodes straight into tensors.

// StateDict returns the model's parameters under their PyTorch names,
// cell_list.<l>.conv.weight (4*hid, in+hid, kh, kw), with bias
// cell_list.<l>.conv.bias (4*hid), and in a peephole model
// cell_list.<l>.W_ci, .W_cf and .W_co (hid, H, W). The tensors are the
// model's own (not copies), as in PyTorch. A nil model, cell or conv has
// no entries (Check names what is missing; the loaders and SaveNPZ refuse it).
func (m *ConvLSTM) StateDict() map[string]*Tensor {
	sd := map[string]*Tensor{}
	if m == nil {
		return sd
	}
	for l, c := range m.CellList {
		if c == nil || c.Conv == nil {
			continue
		}
		sd[fmt.Sprintf("cell_list.%d.conv.weight", l)] = c.Conv.Weight
		if c.Conv.Bias != nil {
			sd[fmt.Sprintf("cell_list.%d.conv.bias", l)] = c.Conv.Bias
		}
		if c.WCi != nil {
			sd[fmt.Sprintf("cell_list.%d.W_ci", l)], sd[fmt.Sprintf("cell_list.%d.W_cf", l)], sd[fmt.Sprintf("cell_list.%d.W_co", l)] = c.WCi, c.WCf, c.WCo
		}
	}
	return sd
}

// LoadStateDict is load_state_dict(strict=True): LoadParams(m.StateDict(),
// sd), on a model that Check accepts.
func (m *ConvLSTM) LoadStateDict(sd map[string]*Tensor) error {
	if err := m.Check(); err != nil {
		return err
	}
	return LoadParams(m.StateDict(), sd)
}

// LoadParams copies sd into params (a StateDict) strictly: every key of
// params must be in sd with its exact shape, and no other; on error nothing
// changes. Errors name the key and both shapes, or a prefix of the keys (such
// as "module." from nn.DataParallel). Models that hold a ConvLSTM load with it.
func LoadParams(params, sd map[string]*Tensor) error {
	for k, w := range params {
		if err := checkTensor(k, w); err != nil {
			return err
		}
	}
	return wrap(npz.Copy(arrays(params), arrays(sd)))
}

// LoadNPZ loads weights saved by numpy.savez of a PyTorch state_dict (see
// ReadNPZ) into the model, strictly (see LoadStateDict). It checks the
// names and shapes in the file before it decodes any data.
func (m *ConvLSTM) LoadNPZ(path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	return wrap(npz.LoadFile(path, arrays(m.StateDict()), MaxNPZBytes))
}

// SaveNPZ writes the model's state_dict to an .npz file that numpy.load
// reads and PyTorch's load_state_dict accepts after torch.from_numpy, on a
// model that Check accepts, as WriteNPZ does.
func (m *ConvLSTM) SaveNPZ(path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	return WriteNPZ(path, m.StateDict())
}

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
	if r == nil {
		return nil, errors.New("convlstm: DecodeNPZ: r is nil")
	}
	return tensors(npz.Decode(r, size, MaxNPZBytes))
}

// WriteNPZ writes the tensors to an .npz file (float32, C order), one
// "<key>.npy" entry per tensor, in sorted key order. The file at path is
// replaced only once the new one is whole and synced (a temporary file in
// the same directory, renamed over it): on any error it is left as it was.
func WriteNPZ(path string, tensors map[string]*Tensor) error {
	return encode(tensors, func(a map[string]*npz.Array) error { return npz.WriteFile(path, a) })
}

// EncodeNPZ writes the tensors as an .npz archive to w.
func EncodeNPZ(w io.Writer, tensors map[string]*Tensor) error {
	if w == nil {
		return errors.New("convlstm: EncodeNPZ: w is nil")
	}
	return encode(tensors, func(a map[string]*npz.Array) error { return npz.Encode(w, a) })
}

// encode checks every tensor, then writes them all with write.
func encode(tensors map[string]*Tensor, write func(map[string]*npz.Array) error) error {
	for k, t := range tensors {
		if err := checkTensor(k, t); err != nil {
			return err
		}
	}
	return wrap(write(arrays(tensors)))
}

// arrays and tensors view tensors as npz arrays and back (the same memory:
// the two types have one layout).
func arrays(tensors map[string]*Tensor) map[string]*npz.Array {
	out := make(map[string]*npz.Array, len(tensors))
	for k, t := range tensors {
		out[k] = (*npz.Array)(t)
	}
	return out
}

func tensors(arrays map[string]*npz.Array, err error) (map[string]*Tensor, error) {
	if err != nil {
		return nil, wrap(err)
	}
	out := make(map[string]*Tensor, len(arrays))
	for k, a := range arrays {
		out[k] = (*Tensor)(a)
	}
	return out, nil
}

// wrap prefixes the package name to npz's errors.
func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	return nil
}
