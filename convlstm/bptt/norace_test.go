//go:build !race

package bptt

const raceEnabled = false
