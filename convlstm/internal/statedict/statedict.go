// Package statedict compares the names and shapes of a state_dict with
// those a model wants, as PyTorch's load_state_dict(strict=True) does. The
// core's LoadParams and package npz (before it decodes an archive) share it.
package statedict

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Check compares the names and shapes of a state_dict found (in an
// archive, before its data is decoded, or in memory) with those a model
// wants, strictly like PyTorch's load_state_dict(strict=True): the first
// missing key, then the first unexpected one, then the first shape that
// differs, in sorted order. When every missing key is found under a common
// prefix, such as "module." from nn.DataParallel, it names the prefix.
func Check(want, found map[string][]int) error {
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
		if p := prefix(missing, unexpected); p != "" {
			return fmt.Errorf("state_dict: keys carry the prefix %q: strip it (want %q, found %q; a model wrapped in nn.DataParallel saves module.<key>: save model.module.state_dict())", p, missing[0], p+missing[0])
		}
		return fmt.Errorf("state_dict: missing key %q (want shape %v)%s", missing[0], want[missing[0]], more(missing))
	}
	if len(unexpected) > 0 {
		return fmt.Errorf("state_dict: unexpected key %q (shape %v)%s", unexpected[0], found[unexpected[0]], more(unexpected))
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(found[k], want[k]) {
			return fmt.Errorf("state_dict: key %q has shape %v, want %v", k, found[k], want[k])
		}
	}
	return nil
}

// prefix returns p if every missing key k was found as p+k, else "".
func prefix(missing, unexpected []string) string {
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

// more lists the keys after the first.
func more(keys []string) string {
	if len(keys) < 2 {
		return ""
	}
	return fmt.Sprintf(" and %d more: %s", len(keys)-1, strings.Join(keys[1:], ", "))
}
