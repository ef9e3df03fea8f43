// Package argcheck holds the one check of a tensor argument that the
// notebook helpers (notebooks/nbutil, notebooks/nbfast) and viz share, so
// that their messages read alike.
package argcheck

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// Tensor returns an error unless t is non-nil, has dims axes (any number
// when dims < 0), each of positive size, and holds exactly as many values
// as its shape says. The message starts with where (e.g. "viz: Heatmap"),
// names the argument arg and shows layout, the expected axes (e.g.
// "(H, W)"), when one is given.
func Tensor(where, arg string, t *convlstm.Tensor, dims int, layout string) error {
	if t == nil {
		if dims < 0 {
			return fmt.Errorf("%s: %s is nil, want a tensor", where, arg)
		}
		return fmt.Errorf("%s: %s is nil, want a %d-D tensor %s", where, arg, dims, layout)
	}
	if dims >= 0 && len(t.Shape) != dims {
		return fmt.Errorf("%s: %s has shape %v, want %d-D %s", where, arg, t.Shape, dims, layout)
	}
	n := 1
	for _, s := range t.Shape {
		if s <= 0 {
			return fmt.Errorf("%s: %s has shape %v, every size must be positive", where, arg, t.Shape)
		}
		n *= s
	}
	if len(t.Data) != n {
		return fmt.Errorf("%s: %s has %d values, shape %v needs %d", where, arg, len(t.Data), t.Shape, n)
	}
	return nil
}
