package kernel

import "math"

// Float32 activations for the fast path's epilogue. The readable path
// evaluates sigmoid and tanh in float64 (sigmoid32, tanh32); here exp is
// computed in float32 with Cody-Waite range reduction and the degree-6
// polynomial of Cephes' Exp (relative error about 1e-7), which is far
// inside the golden tolerance and several times faster.

// Exp returns e^x for x in float32, clamped to the finite range.
func Exp(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	x = max(min(x, 88.0), -87.0)
	n := float32(int32(x*log2e + 0.5))
	if x*log2e+0.5 < 0 && n != x*log2e+0.5 {
		n-- // floor for negative arguments
	}
	r := x - n*ln2hi - n*ln2lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// Sigmoid is 1/(1+e^-x) in float32.
func Sigmoid(x float32) float32 { return 1 / (1 + Exp(-x)) }

// Tanh is tanh(x) = 1 - 2/(e^{2x}+1) in float32; the absolute error is
// below 1e-7 everywhere (the relative error grows near 0, where tanh is
// tiny and the golden tolerance is absolute).
func Tanh(x float32) float32 { return 1 - 2/(Exp(2*x)+1) }
