//go:build !amd64 || purego

package kernel

// best is the best kernel Level this build can run: the portable Go
// kernels only.
const best = Generic

func installKernels(Level) {}
