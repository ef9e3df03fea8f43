package convlstm

import (
	"fmt"

	"example.com/convlstm/convlstm/internal/statedict"
)

// StateDict returns the model's parameters under their PyTorch names,
// cell_list.<l>.conv.weight (4*hid, in+hid, kh, kw), with bias
// cell_list.<l>.conv.bias (4*hid), and in a peephole model
// cell_list.<l>.W_ci, .W_cf and .W_co (hid, H, W). The tensors are the
// model's own (not copies), as in PyTorch. A nil model, cell or conv has
// no entries (Check names what is missing; the loaders refuse it). Package
// convlstm/npz saves and loads it as numpy's .npz.
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
	want, found := map[string][]int{}, map[string][]int{}
	for k, w := range params {
		if err := checkTensor(k, w); err != nil {
			return err
		}
		want[k] = w.Shape
	}
	for k, t := range sd {
		found[k] = shapeOf(t)
	}
	if err := statedict.Check(want, found); err != nil {
		return fmt.Errorf("convlstm: %w", err)
	}
	for k, w := range params {
		if err := checkTensor(fmt.Sprintf("state_dict key %q", k), sd[k], w.Shape...); err != nil {
			return err
		}
	}
	for k, w := range params {
		copy(w.Data, sd[k].Data)
	}
	return nil
}
