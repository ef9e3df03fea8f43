//go:build amd64 && !purego

package kernel

// The AVX-512 transforms of wino.go, generated into wino_amd64.s by
// wino_gen.go.

//go:noescape
func winoIn3AVX512(src *float32, lds int, dst *float32, ldd int)

//go:noescape
func winoIn5AVX512(src *float32, lds int, dst *float32, ldd int)

//go:noescape
func winoOut3AVX512(src *float32, lds int, dst *float32, ldd int, bias float32)

//go:noescape
func winoOut5AVX512(src *float32, lds int, dst *float32, ldd int, bias float32)

//go:noescape
func winoFilter3AVX512(src, scratch, dst *float32, ldd, half int)

//go:noescape
func winoFilter5AVX512(src, scratch, dst *float32, ldd, half int)

//go:noescape
func allBelowAVX512(x *float32, n int, bound float32) bool

// winoInAsm runs the AVX-512 input transform after checking the bounds it
// relies on; false if w has none.
func winoInAsm(w *Wino, src []float32, lds int, dst []float32, ldd int) bool {
	a := w.Alpha
	_ = src[(a-1)*lds+2*WinoLanes+a-3]
	_ = dst[(a*a-1)*ldd+WinoLanes-1]
	switch w.R {
	case 3:
		winoIn3AVX512(&src[0], lds, &dst[0], ldd)
	case 5:
		winoIn5AVX512(&src[0], lds, &dst[0], ldd)
	default:
		return false
	}
	return true
}

// winoOutAsm runs the AVX-512 output transform after checking the bounds
// it relies on; false if w has none.
func winoOutAsm(w *Wino, src []float32, lds int, dst []float32, ldd int, bias float32) bool {
	a := w.Alpha
	_ = src[(a*a-1)*lds+WinoLanes-1]
	_ = dst[ldd+2*WinoLanes-1]
	switch w.R {
	case 3:
		winoOut3AVX512(&src[0], lds, &dst[0], ldd, bias)
	case 5:
		winoOut5AVX512(&src[0], lds, &dst[0], ldd, bias)
	default:
		return false
	}
	return true
}

// winoFilterAsm runs the AVX-512 filter transform of 16 filters (src: R*R
// vectors of 16) into slots of stride ldd, lanes 0-7 at dst[s*ldd:] and
// 8-15 at dst[s*ldd+half:]; false if w has none.
func winoFilterAsm(w *Wino, src []float32, dst []float32, ldd, half int) bool {
	a := w.Alpha
	_ = src[w.R*w.R*WinoLanes-1]
	_ = dst[(a*a-1)*ldd+half+7]
	var scratch [6 * 6 * WinoLanes]float32
	switch w.R {
	case 3:
		winoFilter3AVX512(&src[0], &scratch[0], &dst[0], ldd, half)
	case 5:
		winoFilter5AVX512(&src[0], &scratch[0], &dst[0], ldd, half)
	default:
		return false
	}
	return true
}

// allBelowAsm checks the whole vectors of x in assembly and the rest in
// Go.
func allBelowAsm(x []float32, bound float32) (ok, done bool) {
	n := len(x) &^ 15
	if n > 0 && !allBelowAVX512(&x[0], n, bound) {
		return false, true
	}
	for _, v := range x[n:] {
		if !(v <= bound && v >= -bound) {
			return false, true
		}
	}
	return true, true
}
