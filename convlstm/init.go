package convlstm

import (
	"math"
	"math/rand"
	"sync"
)

// The package generator plays the part of PyTorch's global generator: fresh
// cells draw their weights from it, and ManualSeed resets it, as
// torch.manual_seed does. The numbers differ from PyTorch's (a different
// generator), but the distribution is the same.
var (
	rngMu sync.Mutex
	rng   = rand.New(rand.NewSource(0))
)

// ManualSeed reseeds the generator used to initialise new cells, like
// torch.manual_seed: after ManualSeed(s), building the same model again gives
// the same weights. Safe for concurrent use.
func ManualSeed(seed int64) {
	rngMu.Lock()
	defer rngMu.Unlock()
	rng = rand.New(rand.NewSource(seed))
}

// uniformInit fills data with U(-bound, bound) from the package generator,
// where bound = 1/sqrt(fanIn). This is what nn.Conv2d.reset_parameters does:
// kaiming_uniform_(weight, a=sqrt(5)) has bound gain*sqrt(3/fan_in) with
// gain = sqrt(2/(1+5)), which is 1/sqrt(fan_in); the bias uses the same
// bound. fanIn is in_channels*kh*kw.
func uniformInit(data []float32, fanIn int) {
	bound := 1 / math.Sqrt(float64(fanIn))
	rngMu.Lock()
	defer rngMu.Unlock()
	for i := range data {
		data[i] = float32((2*rng.Float64() - 1) * bound)
	}
}
