package convlstm

import (
	"fmt"
	"sort"
	"strings"
)

// StateDict returns the model's parameters under their PyTorch names,
// cell_list.<l>.conv.weight (4*hid, in+hid, kh, kw) and, with bias,
// cell_list.<l>.conv.bias (4*hid). The tensors are the model's own (not
// copies), as in PyTorch.
func (m *ConvLSTM) StateDict() map[string]*Tensor {
	sd := map[string]*Tensor{}
	for l, c := range m.CellList {
		sd[fmt.Sprintf("cell_list.%d.conv.weight", l)] = c.Conv.Weight
		if c.Conv.Bias != nil {
			sd[fmt.Sprintf("cell_list.%d.conv.bias", l)] = c.Conv.Bias
		}
	}
	return sd
}

// LoadStateDict copies parameters into the model by their PyTorch names,
// strictly like load_state_dict(strict=True): every expected key must be
// present with its exact shape, and no other key may appear. On error the
// model is left unchanged; the error names the key, the shape wanted and the
// shape found.
func (m *ConvLSTM) LoadStateDict(sd map[string]*Tensor) error {
	want := m.StateDict()
	var missing, unexpected []string
	for k := range want {
		if _, ok := sd[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range sd {
		if _, ok := want[k]; !ok {
			unexpected = append(unexpected, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(unexpected)
	if len(missing) > 0 {
		return fmt.Errorf("convlstm: state_dict: missing key %q (want shape %v)%s", missing[0], want[missing[0]].Shape, more(missing))
	}
	if len(unexpected) > 0 {
		return fmt.Errorf("convlstm: state_dict: unexpected key %q (shape %v)%s", unexpected[0], shapeOf(sd[unexpected[0]]), more(unexpected))
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		got := sd[k]
		if got == nil || !SameShape(got.Shape, want[k].Shape) || len(got.Data) != len(want[k].Data) {
			return fmt.Errorf("convlstm: state_dict: key %q has shape %v, want %v", k, shapeOf(got), want[k].Shape)
		}
	}
	for _, k := range keys {
		copy(want[k].Data, sd[k].Data)
	}
	return nil
}

func more(keys []string) string {
	if len(keys) < 2 {
		return ""
	}
	return fmt.Sprintf(" and %d more: %s", len(keys)-1, strings.Join(keys[1:], ", "))
}

// LoadNPZ loads weights saved by numpy.savez of a PyTorch state_dict (see
// ReadNPZ) into the model, strictly (see LoadStateDict).
func (m *ConvLSTM) LoadNPZ(path string) error {
	sd, err := ReadNPZ(path)
	if err != nil {
		return err
	}
	if err := m.LoadStateDict(sd); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return nil
}

// SaveNPZ writes the model's state_dict to an .npz file that numpy.load
// reads and PyTorch's load_state_dict accepts after torch.from_numpy.
func (m *ConvLSTM) SaveNPZ(path string) error {
	return WriteNPZ(path, m.StateDict())
}
