//go:build !amd64 || purego

package convlstm

// cpuLevel is the best kernel level this build can run: the portable Go
// kernels only.
const cpuLevel = levelGeneric

func installKernels(level) {}
