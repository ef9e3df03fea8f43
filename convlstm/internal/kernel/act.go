package kernel

import "math"

// Float32 activations for the fast path's epilogue. The readable path
// evaluates sigmoid and tanh in float64 (sigmoid32, tanh32); here exp is
// computed in float32 with Cody-Waite range reduction and the degree-6
// polynomial of Cephes' Exp (relative error about 1e-7), which is far
// inside the golden tolerance and several times faster.
//
// Non-finite values behave as in PyTorch, whose float32 sigmoid is
// 1/(1+exp(-x)) with an exp that overflows to +Inf: a NaN stays NaN,
// sigmoid(+Inf) = 1, sigmoid(-Inf) = 0, tanh(±Inf) = ±1, and
// sigmoid(x) is exactly 0 once exp(-x) overflows (x < -88.72), which
// matters when it multiplies an infinite cell state (0*Inf = NaN).

// Exp returns e^x in float32 over the whole range: +Inf where it overflows
// float32 (x > ln(MaxFloat32) ≈ 88.72, and x = +Inf), a subnormal where it
// underflows, 0 below about -103.97 (and for -Inf), NaN for NaN.
func Exp(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	// Past 89 e^x is +Inf and below -104 it rounds to 0 in float32, so
	// the clamp changes no result and keeps n in [-150, 128]. Go's min and
	// max keep a NaN, which is returned at once (the conversions to int32
	// below are not defined for it).
	x = max(min(x, 89.0), -104.0)
	if x != x {
		return x
	}
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
	// 2^n as two factors 2^n1 * 2^n2, each a normal float32 (n1, n2 in
	// [-75, 64]): p * 2^n1 is exact, and the second product rounds once,
	// to +Inf on overflow and to a subnormal or 0 on underflow.
	n1 := int32(n) >> 1
	n2 := int32(n) - n1
	return p * pow2(n1) * pow2(n2)
}

// pow2 returns 2^n for n in [-126, 127], built in the exponent bits.
func pow2(n int32) float32 { return math.Float32frombits(uint32(n+127) << 23) }

// Sigmoid is 1/(1+e^-x) in float32.
func Sigmoid(x float32) float32 { return 1 / (1 + Exp(-x)) }

// Tanh is tanh(x) = 1 - 2/(e^{2x}+1) in float32; the absolute error is
// below 1e-7 everywhere (the relative error grows near 0, where tanh is
// tiny and the golden tolerance is absolute).
func Tanh(x float32) float32 { return 1 - 2/(Exp(2*x)+1) }
