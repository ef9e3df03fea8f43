//go:build !amd64 || purego

package convlstm

// useAsm tells whether the assembly kernels are in use: never on this
// build, which uses the portable Go kernels.
const useAsm = false
