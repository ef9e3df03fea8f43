//go:build !amd64 || purego

package kernel

// Without assembly the transforms and the check are wino.go's Go code.

func winoInAsm(*Wino, []float32, int, []float32, int) bool { return false }

func winoOutAsm(*Wino, []float32, int, []float32, int, float32) bool { return false }

func winoFilterAsm(*Wino, []float32, []float32, int, int) bool { return false }

func allBelowAsm([]float32, float32) (ok, done bool) { return false, false }
