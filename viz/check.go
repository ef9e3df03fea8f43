package viz

import (
	"fmt"
	"strings"

	"example.com/convlstm/convlstm"
)

// checkTensor returns an error unless t is a well-formed tensor with as
// many axes as names has (names are only used in the message, e.g.
// "(H, W)"). fn and arg name the function and argument for the message.
func checkTensor(fn, arg string, t *convlstm.Tensor, names string) error {
	dims := strings.Count(names, ",") + 1
	if t == nil {
		return fmt.Errorf("viz: %s: %s is nil, want a tensor of shape %s", fn, arg, names)
	}
	if len(t.Shape) != dims {
		return fmt.Errorf("viz: %s: %s has shape %v, want %d axes %s", fn, arg, t.Shape, dims, names)
	}
	n := 1
	for _, s := range t.Shape {
		if s <= 0 {
			return fmt.Errorf("viz: %s: %s has shape %v, want every size > 0", fn, arg, t.Shape)
		}
		n *= s
	}
	if len(t.Data) != n {
		return fmt.Errorf("viz: %s: %s has shape %v but %d values, want %d", fn, arg, t.Shape, len(t.Data), n)
	}
	return nil
}

// checkIndex returns an error unless 0 <= i < n.
func checkIndex(fn, arg string, i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("viz: %s: %s = %d is out of range, want 0 <= %s < %d", fn, arg, i, arg, n)
	}
	return nil
}
