//go:build solution

// Package padding is exercise 01: the "same" padding of the seed's conv and
// the output size of a convolution. This file is the reference solution.
package padding

import (
	"fmt"

	"example.com/convlstm/exercises/internal/check"
)

// ErrNotImplemented is returned by the stubs until they are written.
var ErrNotImplemented = check.ErrNotImplemented

// SamePadding returns (kh//2, kw//2), the seed's padding.
func SamePadding(kernelSize [2]int) ([2]int, error) {
	kh, kw := kernelSize[0], kernelSize[1]
	if kh <= 0 || kw <= 0 {
		return [2]int{}, fmt.Errorf("padding: kernel size must be positive, got (%d, %d)", kh, kw)
	}
	// py: self.padding = kernel_size[0] // 2, kernel_size[1] // 2
	// Go's / truncates toward zero, which is Python's // for positive ints.
	return [2]int{kh / 2, kw / 2}, nil
}

// OutputSize is floor((in + 2*pad - kernel) / stride) + 1, the nn.Conv2d
// formula with dilation 1.
func OutputSize(in, kernel, pad, stride int) (int, error) {
	if in <= 0 || kernel <= 0 || stride <= 0 || pad < 0 {
		return 0, fmt.Errorf("padding: need in, kernel, stride > 0 and pad >= 0, got in=%d kernel=%d pad=%d stride=%d", in, kernel, pad, stride)
	}
	span := in + 2*pad - kernel // how far the kernel can slide
	if span < 0 {
		return 0, fmt.Errorf("padding: kernel %d does not fit into the padded input %d+2*%d", kernel, in, pad)
	}
	return span/stride + 1, nil
}

// KeepsSize: with pad = k//2 the output is in + 2*(k//2) - k + 1, which is
// in for an odd k and in+1 for an even k.
func KeepsSize(in, kernel int) (bool, error) {
	p, err := SamePadding([2]int{kernel, kernel})
	if err != nil {
		return false, err
	}
	out, err := OutputSize(in, kernel, p[0], 1)
	if err != nil {
		return false, err
	}
	return out == in, nil
}
