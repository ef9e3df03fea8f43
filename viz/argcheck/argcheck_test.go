package argcheck

import (
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

func TestTensor(t *testing.T) {
	ok := convlstm.Zeros(2, 3)
	for _, c := range []struct {
		t    *convlstm.Tensor
		dims int
		want string // "" for no error
	}{
		{ok, 2, ""},
		{ok, -1, ""},
		{nil, 2, "f: x is nil, want a 2-D tensor (H, W)"},
		{nil, -1, "f: x is nil, want a tensor"},
		{ok, 3, "f: x has shape [2 3], want 3-D (H, W)"},
		{&convlstm.Tensor{Shape: []int{0, 3}}, 2, "f: x has shape [0 3], every size must be positive"},
		{&convlstm.Tensor{Shape: []int{2, 3}, Data: make([]float32, 5)}, -1, "f: x has 5 values, shape [2 3] needs 6"},
	} {
		err := Tensor("f", "x", c.t, c.dims, "(H, W)")
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("Tensor(%v, dims %d) = %v, want %q", c.t, c.dims, err, c.want)
		}
	}
}
