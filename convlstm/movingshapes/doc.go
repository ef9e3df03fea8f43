// Package movingshapes generates Moving-MNIST-like sequences with no
// download: squares, discs and digits (from a small built-in 5x7 font)
// bouncing inside square frames.
//
// Every sequence comes from a seeded generator, so the same seed gives the
// same data on every machine. Pixel values are in [0, 1]; shapes are drawn
// with anti-aliased edges at sub-pixel positions (bilinear resampling of a
// sprite), and overlapping shapes combine with max, as in Moving MNIST.
//
//	gen, _ := movingshapes.New(movingshapes.Config{Size: 16, Frames: 10}, 1)
//	batch := gen.Batch(32) // (32, 10, 1, 16, 16), batch first
package movingshapes
