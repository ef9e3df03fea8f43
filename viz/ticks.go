package viz

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels a linear axis at round numbers, 1, 2 or 5 times a power
// of ten apart, with three to six labels, all printed with the same number
// of decimals (0, 0.5, 1, 1.5 rather than gonum's 0.25, 1.25, 2.25).
type niceTicks struct{}

// Ticks returns the tick marks for the range [lo, hi]; it implements
// plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	// The step is the smallest of 1, 2, 5, 10 times a power of ten that
	// gives at most six intervals.
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step))))

	var ticks []plot.Tick
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ticks
}

// pixelTicks labels whole pixel indices 0, step, 2*step, ... below n, with
// a round step that gives at most 8 labels: never half a row.
type pixelTicks struct{ n int }

// Ticks returns the tick marks; it implements plot.Ticker.
func (pt pixelTicks) Ticks(_, _ float64) []plot.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500} {
		step = s
		if pt.n <= 8*s {
			break
		}
	}
	var ticks []plot.Tick
	for i := 0; i < pt.n; i += step {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: strconv.Itoa(i)})
	}
	return ticks
}

// logTicks labels a logarithmic axis at every power of ten in the range
// and marks 2, 3, ..., 9 times each power without a label.
type logTicks struct{}

// Ticks returns the tick marks for the range [lo, hi], lo > 0; it
// implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	// The small margins keep exact powers of ten (1e-9 off after Log10) in.
	for e := math.Floor(math.Log10(lo) + 1e-9); e <= math.Ceil(math.Log10(hi)-1e-9); e++ {
		p := math.Pow(10, e)
		ticks = append(ticks, plot.Tick{Value: p, Label: strconv.FormatFloat(p, 'g', -1, 64)})
		for m := 2.0; m < 10 && m*p <= hi; m++ {
			ticks = append(ticks, plot.Tick{Value: m * p})
		}
	}
	return ticks
}

// useLogY puts the y axis of p on a logarithmic scale with labels at the
// powers of ten. Call wholeDecades once the data is added.
func useLogY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
}

// wholeDecades widens the range of a logarithmic axis to powers of ten, so
// that both ends have a label (the values must be > 0).
func wholeDecades(a *plot.Axis) {
	a.Min = math.Pow(10, math.Floor(math.Log10(a.Min)))
	a.Max = math.Pow(10, math.Ceil(math.Log10(a.Max)))
	if a.Max == a.Min {
		a.Max *= 10 // all values are the same power of ten
	}
}
