package convlstm

import (
	"fmt"

	"example.com/convlstm/convlstm/internal/npz"
)

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
	if err := npz.CheckKeys(shapes(params), shapes(sd)); err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	for k, w := range params {
		if len(sd[k].Data) != len(w.Data) {
			return fmt.Errorf("convlstm: state_dict: key %q has %d values, shape %v needs %d", k, len(sd[k].Data), w.Shape, len(w.Data))
		}
	}
	for k, w := range params {
		copy(w.Data, sd[k].Data)
	}
	return nil
}

func shapes(sd map[string]*Tensor) map[string][]int {
	s := make(map[string][]int, len(sd))
	for k, t := range sd {
		s[k] = shapeOf(t)
	}
	return s
}

// LoadNPZ loads weights saved by numpy.savez of a PyTorch state_dict (see
// ReadNPZ) into the model, strictly (see LoadStateDict). It checks the
// names and shapes in the file before it decodes any data.
func (m *ConvLSTM) LoadNPZ(path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	a, err := npz.OpenFile(path, MaxNPZBytes)
	if err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	defer a.Close()
	err = npz.CheckKeys(shapes(m.StateDict()), a.Shapes())
	if err == nil {
		var sd map[string]*Tensor
		if sd, err = tensors(a.ReadAll()); err == nil {
			return m.LoadStateDict(sd)
		}
	}
	return fmt.Errorf("convlstm: %w (file %s)", err, path)
}

// SaveNPZ writes the model's state_dict to an .npz file that numpy.load
// reads and PyTorch's load_state_dict accepts after torch.from_numpy, on a
// model that Check accepts. As WriteNPZ, it replaces path only once the new
// file is whole.
func (m *ConvLSTM) SaveNPZ(path string) error {
	if err := m.Check(); err != nil {
		return err
	}
	return WriteNPZ(path, m.StateDict())
}
