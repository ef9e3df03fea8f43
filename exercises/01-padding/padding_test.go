package padding

import (
	"fmt"
	"math/rand"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/exercises/internal/check"
)

const ex = check.Exercise("01-padding")

// Kernels with odd, even and mixed sizes, square and not.
var kernels = [][2]int{{1, 1}, {3, 3}, {5, 3}, {3, 5}, {7, 1}, {1, 5}, {2, 2}, {4, 3}, {3, 6}}

func TestSamePadding(t *testing.T) {
	for _, k := range kernels {
		got, err := SamePadding(k)
		ex.NoError(t, fmt.Sprintf("SamePadding(%v)", k), err, 1)
		want := [2]int{k[0] / 2, k[1] / 2}
		if k[0]%2 == 1 && k[1]%2 == 1 {
			// The project's cell stores the padding it gives its conv.
			cell, err := convlstm.NewCell(2, 3, k, true)
			if err != nil {
				t.Fatal(err)
			}
			want = cell.Padding
		}
		if got != want {
			t.Fatalf("SamePadding(%v): want %v, got %v\n    hint: %s", k, want, got, ex.Hint(1))
		}
	}
}

func TestSamePaddingRejectsBadKernels(t *testing.T) {
	for _, k := range [][2]int{{0, 3}, {3, 0}, {-1, 3}, {3, -3}} {
		_, err := SamePadding(k)
		ex.Started(t, fmt.Sprintf("SamePadding(%v)", k), err)
		if err == nil {
			t.Fatalf("SamePadding(%v): want an error for a non-positive kernel size, got nil\n    hint: %s", k, ex.Hint(1))
		}
	}
}

// TestOutputSizeMatchesConv runs the project's convolution (padding k//2,
// stride 1) on random data and compares the size of what comes out.
func TestOutputSizeMatchesConv(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	sizes := [][2]int{{6, 6}, {5, 8}, {7, 5}, {1, 9}, {4, 3}}
	for _, k := range kernels {
		for _, hw := range sizes {
			x := check.Rand(rng, 1, 2, hw[0], hw[1])
			w := check.Rand(rng, 3, 2, k[0], k[1])
			y, err := convlstm.Conv2d(x, w, nil)
			if err != nil {
				t.Fatal(err)
			}
			for axis, name := range []string{"height", "width"} {
				in, kk := hw[axis], k[axis]
				got, err := OutputSize(in, kk, kk/2, 1)
				ex.NoError(t, "OutputSize", err, 2)
				want := y.Shape[2+axis]
				if got != want {
					t.Fatalf("OutputSize(in=%d, kernel=%d, pad=%d, stride=1), the %s of a %dx%d input under a %dx%d kernel: want %d (the project's Conv2d gives shape %v), got %d\n    hint: %s",
						in, kk, kk/2, name, hw[0], hw[1], k[0], k[1], want, y.Shape, got, ex.Hint(2))
				}
			}
		}
	}
}

// TestOutputSizeStride covers what the seed never uses: no padding and
// strides above 1 (the Moving MNIST encoders of other ConvLSTM code do).
func TestOutputSizeStride(t *testing.T) {
	// Stride 1 first (Hint 2 covers it), then the strides (Hint 3).
	cases := []struct{ in, kernel, pad, stride, want int }{
		{5, 5, 0, 1, 1},
		{64, 5, 2, 1, 64},
		{6, 2, 1, 1, 7},
		{9, 3, 0, 1, 7},
		{7, 3, 1, 2, 4},
		{8, 3, 1, 2, 4},
		{10, 4, 0, 3, 3},
		{28, 5, 0, 2, 12},
	}
	for _, c := range cases {
		got, err := OutputSize(c.in, c.kernel, c.pad, c.stride)
		ex.NoError(t, "OutputSize", err, 2)
		if got != c.want {
			hint := 3
			if c.stride == 1 {
				hint = 2
			}
			t.Fatalf("OutputSize(in=%d, kernel=%d, pad=%d, stride=%d): want %d, got %d\n    hint: %s",
				c.in, c.kernel, c.pad, c.stride, c.want, got, ex.Hint(hint))
		}
	}
}

func TestOutputSizeRejectsBadArguments(t *testing.T) {
	cases := []struct{ in, kernel, pad, stride int }{
		{0, 3, 1, 1}, {5, 0, 0, 1}, {5, 3, -1, 1}, {5, 3, 1, 0}, {2, 5, 0, 1}, {3, 9, 2, 1},
	}
	for _, c := range cases {
		got, err := OutputSize(c.in, c.kernel, c.pad, c.stride)
		ex.Started(t, "OutputSize", err)
		if err == nil {
			t.Fatalf("OutputSize(in=%d, kernel=%d, pad=%d, stride=%d): want an error, got %d and nil\n    hint: %s",
				c.in, c.kernel, c.pad, c.stride, got, ex.Hint(3))
		}
	}
}

func TestKeepsSize(t *testing.T) {
	for _, in := range []int{1, 5, 8, 64} {
		for k := 1; k <= 7; k++ {
			got, err := KeepsSize(in, k)
			ex.NoError(t, "KeepsSize", err, 2)
			want := k%2 == 1
			if got != want {
				t.Fatalf("KeepsSize(in=%d, kernel=%d): want %v, got %v\n    hint: %s", in, k, want, got, ex.Hint(2))
			}
		}
	}
}
