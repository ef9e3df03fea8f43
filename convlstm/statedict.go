package convlstm

import (
	"fmt"
	"maps"
	"slices"
	"strings"
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
	if err := CheckStateDict(want, found); err != nil {
		return err
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

// CheckStateDict compares the names and shapes of a state_dict found (in an
// archive, before its data is decoded, or in memory) with those a model
// wants, strictly like PyTorch's load_state_dict(strict=True): the first
// missing key, then the first unexpected one, then the first shape that
// differs, in sorted order. When every missing key is found under a common
// prefix, such as "module." from nn.DataParallel, it names the prefix.
// LoadParams checks with it, and package npz before it decodes an archive.
func CheckStateDict(want, found map[string][]int) error {
	var missing, unexpected []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if _, ok := found[k]; !ok {
			missing = append(missing, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(found)) {
		if _, ok := want[k]; !ok {
			unexpected = append(unexpected, k)
		}
	}
	if len(missing) > 0 {
		if p := keyPrefix(missing, unexpected); p != "" {
			return fmt.Errorf("convlstm: state_dict: keys carry the prefix %q: strip it (want %q, found %q; a model wrapped in nn.DataParallel saves module.<key>: save model.module.state_dict())", p, missing[0], p+missing[0])
		}
		return fmt.Errorf("convlstm: state_dict: missing key %q (want shape %v)%s", missing[0], want[missing[0]], moreKeys(missing))
	}
	if len(unexpected) > 0 {
		return fmt.Errorf("convlstm: state_dict: unexpected key %q (shape %v)%s", unexpected[0], found[unexpected[0]], moreKeys(unexpected))
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(found[k], want[k]) {
			return fmt.Errorf("convlstm: state_dict: key %q has shape %v, want %v", k, found[k], want[k])
		}
	}
	return nil
}

// keyPrefix returns p if every missing key k was found as p+k, else "".
func keyPrefix(missing, unexpected []string) string {
	for _, u := range unexpected {
		p, ok := strings.CutSuffix(u, missing[0])
		for _, k := range missing {
			ok = ok && p != "" && slices.Contains(unexpected, p+k)
		}
		if ok {
			return p
		}
	}
	return ""
}

// moreKeys lists the keys after the first.
func moreKeys(keys []string) string {
	if len(keys) < 2 {
		return ""
	}
	return fmt.Sprintf(" and %d more: %s", len(keys)-1, strings.Join(keys[1:], ", "))
}
