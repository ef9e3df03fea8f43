// Package nbfast holds the compiled helpers of the notebook
// notebooks/04-fast-path.ipynb, which explains why the readable
// convolution of package convlstm is slow and how its fast path works.
//
// The fast path (package example.com/convlstm/convlstm/fast, fast.Forward)
// never builds the im2col matrix: for layers with fewer than 16 hidden
// channels it writes it straight into the packed strips its micro-kernel
// reads (and never builds cat[x, h]), and for the others it does not pack
// at all, but sums over the kernel taps on a zero-padded band of rows that
// holds cat[x, h]. To show the pictures
// anyway, this package builds the plain matrices, for teaching and for
// small inputs only:
//
//   - Im2col turns a (Cin, H, W) image into the (Cin*kh*kw, H*W) matrix
//     whose column p holds every input value that output pixel p reads;
//     WeightMatrix views a conv weight (Cout, Cin, kh, kw) as the
//     (Cout, Cin*kh*kw) matrix; MatMul multiplies them (three plain loops),
//     and ConvByIm2col puts the three together: conv(x) = W . im2col(x) + b.
//   - SplitWeight cuts the seed's weight along its input-channel axis into
//     the x half and the h half, CatChannels is torch.cat(dim=1) of two
//     (B, C, H, W) tensors, and Add and MaxAbsDiff check the algebra
//     conv(cat[x, h]) = conv_x(x) + conv_h(h) (these three are nbutil's
//     Cat1, Add and MaxAbsDiff, under the names this notebook uses).
//   - TileMap draws how the fast path cuts one frame's gate matrix
//     (4*hidden rows, H*W columns) into the micro-kernel's 8 x 48 tiles.
//   - PaddedPlane lays one channel out as the taps path stores it (rows of
//     kw/2 zeros then W pixels, zero rows above and below), TapOffset is
//     the fixed offset of a kernel tap in that flat plane, TapWindow marks
//     the stretch of the plane one tap reads, and ConvByTaps computes the
//     conv as that sum over taps, equal to convlstm.Conv2d.
//
// The notebook runs in the gophernotes interpreter, which handles generic
// code and types declared in cells badly, so the loops live here behind a
// plain API on *convlstm.Tensor. Every function checks its arguments and
// returns an error naming the argument and the shape it expected.
package nbfast
