//go:build !amd64 || purego

package kernel

const fmaLoopFLOPs = fmaLoopGoFLOPs

func fmaLoop(n int) { fmaLoopGo(n) }
