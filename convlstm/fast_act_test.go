package convlstm

import (
	"math"
	"testing"
)

func TestFastActivations(t *testing.T) {
	var worstExp, worstSig, worstTanh float64
	for v := -100.0; v <= 100; v += 0.001 {
		x := float32(v)
		if x > -87 && x < 88 {
			want := math.Exp(float64(x))
			worstExp = max(worstExp, math.Abs(float64(expf(x))-want)/want)
		}
		worstSig = max(worstSig, math.Abs(float64(sigmoidf(x))-1/(1+math.Exp(-float64(x)))))
		worstTanh = max(worstTanh, math.Abs(float64(tanhf(x))-math.Tanh(float64(x))))
	}
	t.Logf("max rel err exp %.3g, max abs err sigmoid %.3g, tanh %.3g", worstExp, worstSig, worstTanh)
	if worstExp > 3e-7 || worstSig > 2e-7 || worstTanh > 3e-7 {
		t.Errorf("activations too inexact: exp %.3g, sigmoid %.3g, tanh %.3g", worstExp, worstSig, worstTanh)
	}
}
