package seq2seq

import (
	"fmt"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
)

// The paper's patch trick (§4.1): "we transform the 64 x 64 frames into
// 16 x 16 x 16 tensors by dividing each frame into non-overlapping 4 x 4
// patches". Each p x p block of pixels becomes one pixel of p² channels,
// in the order of PyTorch's pixel_unshuffle (space-to-depth):
//
//	out[..., c*p*p + i*p + j, y, x] = in[..., c, y*p + i, x*p + j]
//
// and pixel_shuffle (depth-to-space) is its inverse. The ConvLSTMs then run
// on an (H/p) x (W/p) grid: p² times fewer pixels per step.

// SpaceToDepth is torch.nn.functional.pixel_unshuffle(x, p) over the last
// three axes of x (..., C, H, W) -> (..., C*p*p, H/p, W/p); leading axes
// (batch, time) are kept. H and W must be multiples of p. p = 1 returns a
// copy.
func SpaceToDepth(x *convlstm.Tensor, p int) (*convlstm.Tensor, error) {
	if err := checkPatchArgs("SpaceToDepth", x, p); err != nil {
		return nil, err
	}
	r := x.Dim()
	H, W := x.Shape[r-2], x.Shape[r-1]
	if H%p != 0 || W%p != 0 {
		return nil, fmt.Errorf("seq2seq: SpaceToDepth: x has shape %v: height %d and width %d must be multiples of the patch size %d", x.Shape, H, W, p)
	}
	return spaceToDepth(nil, x, p), nil
}

// spaceToDepth is SpaceToDepth of a checked x, into dst when it has the
// shape.
func spaceToDepth(dst, x *convlstm.Tensor, p int) *convlstm.Tensor {
	r := x.Dim()
	C, H, W := x.Shape[r-3], x.Shape[r-2], x.Shape[r-1]
	var buf [8]int
	out := frameops.Reuse(dst, append(append(buf[:0], x.Shape[:r-3]...), C*p*p, H/p, W/p))
	shuffle(out.Data, x.Data, C, H, W, p, true)
	return out
}

// shuffle moves every pixel between the space layout (C, H, W) and the
// depth layout (C*p*p, H/p, W/p) of each image, toDepth saying which way:
//
//	depth[c*p*p + i*p + j, y, x] = space[c, y*p + i, x*p + j]
func shuffle(dst, src []float32, C, H, W, p int, toDepth bool) {
	h, w := H/p, W/p
	n := len(src) / (C * H * W) // images: the product of the leading axes
	for img := 0; img < n; img++ {
		off := img * C * H * W
		for c := 0; c < C; c++ {
			for i := 0; i < p; i++ {
				for j := 0; j < p; j++ {
					d := off + ((c*p+i)*p+j)*h*w // channel c*p*p + i*p + j
					for y := 0; y < h; y++ {
						for xx := 0; xx < w; xx++ {
							sp := off + (c*H+y*p+i)*W + xx*p + j
							if toDepth {
								dst[d+y*w+xx] = src[sp]
							} else {
								dst[sp] = src[d+y*w+xx]
							}
						}
					}
				}
			}
		}
	}
}

// DepthToSpace is torch.nn.functional.pixel_shuffle(x, p) over the last
// three axes of x (..., C*p*p, h, w) -> (..., C, h*p, w*p), the inverse of
// SpaceToDepth. The channel count must be a multiple of p*p.
func DepthToSpace(x *convlstm.Tensor, p int) (*convlstm.Tensor, error) {
	if err := checkPatchArgs("DepthToSpace", x, p); err != nil {
		return nil, err
	}
	Cp := x.Shape[x.Dim()-3]
	if Cp%(p*p) != 0 {
		return nil, fmt.Errorf("seq2seq: DepthToSpace: x has shape %v: %d channels is not a multiple of patch² = %d", x.Shape, Cp, p*p)
	}
	return depthToSpace(nil, x, p), nil
}

// depthToSpace is DepthToSpace of a checked x, into dst when it has the
// shape.
func depthToSpace(dst, x *convlstm.Tensor, p int) *convlstm.Tensor {
	r := x.Dim()
	C, H, W := x.Shape[r-3]/(p*p), x.Shape[r-2]*p, x.Shape[r-1]*p
	var buf [8]int
	out := frameops.Reuse(dst, append(append(buf[:0], x.Shape[:r-3]...), C, H, W))
	shuffle(out.Data, x.Data, C, H, W, p, false)
	return out
}

// checkPatchArgs validates a tensor of rank >= 3 and a positive patch size.
func checkPatchArgs(fn string, x *convlstm.Tensor, p int) error {
	if x == nil || x.Dim() < 3 {
		var s []int
		if x != nil {
			s = x.Shape
		}
		return fmt.Errorf("seq2seq: %s: x must have at least 3 axes (..., C, H, W), got shape %v", fn, s)
	}
	n := 1
	for _, d := range x.Shape {
		if d <= 0 {
			return fmt.Errorf("seq2seq: %s: x has shape %v: every size must be positive", fn, x.Shape)
		}
		n *= d
	}
	if len(x.Data) != n {
		return fmt.Errorf("seq2seq: %s: x has shape %v but %d values", fn, x.Shape, len(x.Data))
	}
	if p < 1 {
		return fmt.Errorf("seq2seq: %s: patch size must be positive, got %d", fn, p)
	}
	return nil
}
