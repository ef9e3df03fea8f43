//go:build race

package bptt

const raceEnabled = true
