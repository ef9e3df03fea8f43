//go:build race

package train

// raceEnabled: the race detector's bookkeeping allocates, so allocation
// counts are not measured under it.
const raceEnabled = true
