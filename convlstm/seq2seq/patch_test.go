package seq2seq

import (
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// TestPatchRoundTrip checks that DepthToSpace(SpaceToDepth(x)) is x, for
// several ranks and patch sizes, and the channel order of pixel_unshuffle.
func TestPatchRoundTrip(t *testing.T) {
	for _, c := range []struct {
		shape []int
		p     int
	}{{[]int{1, 4, 4}, 2}, {[]int{2, 3, 2, 8, 12}, 4}, {[]int{3, 2, 6, 6}, 3}, {[]int{2, 1, 1, 5, 7}, 1}} {
		x := convlstm.Zeros(c.shape...)
		for i := range x.Data {
			x.Data[i] = float32(i)
		}
		y, err := SpaceToDepth(x, c.p)
		if err != nil {
			t.Fatal(err)
		}
		r := len(c.shape)
		if y.Shape[r-3] != c.shape[r-3]*c.p*c.p || y.Shape[r-2] != c.shape[r-2]/c.p || y.Shape[r-1] != c.shape[r-1]/c.p {
			t.Errorf("SpaceToDepth(%v, %d) has shape %v", c.shape, c.p, y.Shape)
		}
		back, err := DepthToSpace(y, c.p)
		if err != nil {
			t.Fatal(err)
		}
		if !convlstm.SameShape(back.Shape, x.Shape) {
			t.Fatalf("round trip of %v gives shape %v", x.Shape, back.Shape)
		}
		for i := range x.Data {
			if back.Data[i] != x.Data[i] {
				t.Fatalf("round trip of %v with p=%d: element %d is %g, want %g", c.shape, c.p, i, back.Data[i], x.Data[i])
			}
		}
	}
	// pixel_unshuffle's order: out[c*p*p + i*p + j, y, x] = in[c, y*p+i, x*p+j].
	x := convlstm.Zeros(2, 4, 6) // C=2, H=4, W=6, p=2 -> (8, 2, 3)
	for i := range x.Data {
		x.Data[i] = float32(i)
	}
	y, _ := SpaceToDepth(x, 2)
	for c := 0; c < 2; c++ {
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				for yy := 0; yy < 2; yy++ {
					for xx := 0; xx < 3; xx++ {
						if got, want := y.At(c*4+i*2+j, yy, xx), x.At(c, yy*2+i, xx*2+j); got != want {
							t.Fatalf("SpaceToDepth[%d, %d, %d] = %g, want %g", c*4+i*2+j, yy, xx, got, want)
						}
					}
				}
			}
		}
	}
}

// TestPatchErrors checks that bad arguments are errors that name them.
func TestPatchErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", func() error { _, err := SpaceToDepth(nil, 2); return err }(), "at least 3 axes"},
		{"rank 2", func() error { _, err := SpaceToDepth(convlstm.Zeros(4, 4), 2); return err }(), "shape [4 4]"},
		{"p 0", func() error { _, err := SpaceToDepth(convlstm.Zeros(1, 4, 4), 0); return err }(), "patch size must be positive"},
		{"not a multiple", func() error { _, err := SpaceToDepth(convlstm.Zeros(1, 4, 6), 4); return err }(), "multiples of the patch size 4"},
		{"channels", func() error { _, err := DepthToSpace(convlstm.Zeros(3, 2, 2), 2); return err }(), "3 channels is not a multiple of patch² = 4"},
		{"data", func() error {
			_, err := DepthToSpace(&convlstm.Tensor{Shape: []int{4, 2, 2}, Data: make([]float32, 3)}, 2)
			return err
		}(), "but 3 values"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		} else {
			t.Logf("%s: %v", c.name, c.err)
		}
	}
}
