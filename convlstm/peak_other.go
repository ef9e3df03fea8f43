//go:build !amd64 || purego

package convlstm

const fmaLoopFLOPs = fmaLoopGoFLOPs

func fmaLoop(n int) { fmaLoopGo(n) }
