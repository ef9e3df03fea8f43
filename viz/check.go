package viz

import (
	"fmt"
	"strings"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/viz/argcheck"
)

// checkTensor returns an error unless t is a well-formed tensor with as
// many axes as names has (names are only used in the message, e.g.
// "(H, W)"). fn and arg name the function and argument for the message.
func checkTensor(fn, arg string, t *convlstm.Tensor, names string) error {
	return argcheck.Tensor("viz: "+fn, arg, t, strings.Count(names, ",")+1, names)
}

// checkIndex returns an error unless 0 <= i < n.
func checkIndex(fn, arg string, i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("viz: %s: %s = %d is out of range, want 0 <= %s < %d", fn, arg, i, arg, n)
	}
	return nil
}
