package nbtrain

import (
	"fmt"
	"math"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/train"
	"example.com/convlstm/viz"
)

// The four kinds of pixel GateStats averages over, at a step t >= 1 of a
// sequence x with values in [0, 1]:
//
//	Shape    x[t] >= 0.5                    a shape covers the pixel now
//	Entered  x[t] >= 0.5 and x[t-1] < 0.1   ... and did not one step before (leading edge)
//	Left     x[t-1] >= 0.5 and x[t] < 0.1   a shape covered it one step before and has moved on (trailing edge)
//	Empty    x[t] < 0.05 and x[t-1] < 0.05  nothing there, now or one step before
//
// Entered pixels are Shape pixels too; the anti-aliased rims of the shapes
// (values between the thresholds) belong to none of them.
const (
	Shape = iota
	Entered
	Left
	Empty
	numRegions
)

// RegionNames names the regions in the order of their constants.
var RegionNames = []string{"shape", "entered", "left", "empty"}

// ChannelStats holds the mean of every gate of one hidden channel over
// each kind of pixel: F[Shape] is the mean forget gate over the pixels a
// shape covers, and so on (indices Shape, Entered, Left, Empty). A region
// with no pixels has NaN means.
type ChannelStats struct {
	Channel int
	// HeadWeight is the weight of this channel in the model's 1x1 output
	// head (the last layer's channels only; 0 for other layers): how much
	// the channel's h moves the predicted pixel.
	HeadWeight float64
	I, F, O, G [numRegions]float64
}

// Stats is what GateStats returns.
type Stats struct {
	// Layer is the ConvLSTM layer the channels belong to; Last reports
	// whether it is the last one (the one the head reads).
	Layer int
	Last  bool
	// Pixels counts the (sample, step, pixel) triples of each region.
	Pixels   [numRegions]int
	Channels []ChannelStats
}

// GateStats runs m on frames (B, T, 1, H, W) with a trace and averages the
// gates i, f, o, g of every hidden channel of the given layer over the
// pixels of each region (Shape, Entered, Left, Empty, defined above by the
// input frames), over all samples and all steps t >= 1. Step 0 is left out:
// its previous cell state is zero, so its forget gate has nothing to act on.
func GateStats(m *train.Model, frames *convlstm.Tensor, layer int) (*Stats, error) {
	if err := checkFrames("GateStats", frames, 2); err != nil {
		return nil, err
	}
	tr, _, err := Run(m, frames)
	if err != nil {
		return nil, fmt.Errorf("nbtrain: GateStats: %w", err)
	}
	if layer < 0 || layer >= len(tr.Layers) {
		return nil, fmt.Errorf("nbtrain: GateStats: layer = %d, want 0 <= layer < %d", layer, len(tr.Layers))
	}
	steps := tr.Layers[layer]
	B, T, HW := frames.Shape[0], frames.Shape[1], frames.Shape[3]*frames.Shape[4]
	hid := steps[0].I.Shape[1]
	s := &Stats{Layer: layer, Last: layer == len(tr.Layers)-1, Channels: make([]ChannelStats, hid)}
	var sums [4][]float64 // gate -> [channel*numRegions + region]
	for g := range sums {
		sums[g] = make([]float64, hid*numRegions)
	}
	regions := make([]int, 0, 2)
	for b := 0; b < B; b++ {
		for t := 1; t < T; t++ {
			st := steps[t]
			gates := [4]*convlstm.Tensor{st.I, st.F, st.O, st.G}
			for p := 0; p < HW; p++ {
				cur, prev := frames.Data[(b*T+t)*HW+p], frames.Data[(b*T+t-1)*HW+p]
				regions = regions[:0]
				if cur >= 0.5 {
					regions = append(regions, Shape)
					if prev < 0.1 {
						regions = append(regions, Entered)
					}
				} else if prev >= 0.5 && cur < 0.1 {
					regions = append(regions, Left)
				} else if cur < 0.05 && prev < 0.05 {
					regions = append(regions, Empty)
				}
				for _, r := range regions {
					s.Pixels[r]++
					for ch := 0; ch < hid; ch++ {
						k := (b*hid+ch)*HW + p
						for g, gt := range gates {
							sums[g][ch*numRegions+r] += float64(gt.Data[k])
						}
					}
				}
			}
		}
	}
	for ch := range s.Channels {
		c := &s.Channels[ch]
		c.Channel = ch
		if s.Last {
			c.HeadWeight = float64(m.HeadWeight.Data[ch])
		}
		for r := 0; r < numRegions; r++ {
			n := float64(s.Pixels[r])
			dst := [4]*[numRegions]float64{&c.I, &c.F, &c.O, &c.G}
			for g := range dst {
				dst[g][r] = sums[g][ch*numRegions+r] / n // NaN when n == 0
			}
		}
	}
	return s, nil
}

// MotionChannel returns the channel whose forget gate differs most between
// shape and empty pixels, |F[Shape] - F[Empty]|, weighted by how strongly
// the output head reads it, |HeadWeight| (for a layer other than the last
// the contrast alone counts): a channel that both tells a moving shape
// from empty space in what it keeps and matters for the prediction.
func MotionChannel(s *Stats) (int, error) {
	if s == nil || len(s.Channels) == 0 {
		return 0, fmt.Errorf("nbtrain: MotionChannel: no channel statistics")
	}
	best, bestScore := -1, -1.0
	for _, c := range s.Channels {
		score := math.Abs(c.F[Shape] - c.F[Empty])
		if s.Last {
			score *= math.Abs(c.HeadWeight)
		}
		if score > bestScore { // NaN scores never win
			best, bestScore = c.Channel, score
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("nbtrain: MotionChannel: no channel has a finite score (empty regions?)")
	}
	return best, nil
}

// StatsTable formats s as a table: per channel the head weight, the mean
// forget gate f and input gate i over shape, entered, left and empty
// pixels, and the means of o and g over shape and empty pixels.
func StatsTable(s *Stats) string {
	if s == nil {
		return "<nil>\n"
	}
	f2 := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	rows := [][]string{{"ch", "head w",
		"f shape", "f enter", "f left", "f empty",
		"i shape", "i enter", "i left", "i empty",
		"o shape", "o empty", "g shape", "g empty"}}
	for _, c := range s.Channels {
		r := []string{fmt.Sprint(c.Channel), fmt.Sprintf("%+.2f", c.HeadWeight)}
		for _, g := range [][numRegions]float64{c.F, c.I} {
			for k := 0; k < numRegions; k++ {
				r = append(r, f2(g[k]))
			}
		}
		r = append(r, f2(c.O[Shape]), f2(c.O[Empty]), fmt.Sprintf("%+.2f", c.G[Shape]), fmt.Sprintf("%+.2f", c.G[Empty]))
		rows = append(rows, r)
	}
	return fmt.Sprintf("layer %d; pixels: shape %d, entered %d, left %d, empty %d\n",
		s.Layer, s.Pixels[Shape], s.Pixels[Entered], s.Pixels[Left], s.Pixels[Empty]) + sprintTable(rows)
}

// StatsBars draws the mean of one gate ("i", "f", "o" or "g") of every
// channel as grouped bars, one bar per region (shape, entered, left,
// empty), with viz.BarsWith.
func StatsBars(s *Stats, gate, title string) ([]byte, error) {
	if s == nil || len(s.Channels) == 0 {
		return nil, fmt.Errorf("nbtrain: StatsBars: no channel statistics")
	}
	var labels []string
	values := make([][]float64, numRegions)
	for _, c := range s.Channels {
		labels = append(labels, fmt.Sprint(c.Channel))
		var g [numRegions]float64
		switch gate {
		case "i":
			g = c.I
		case "f":
			g = c.F
		case "o":
			g = c.O
		case "g":
			g = c.G
		default:
			return nil, fmt.Errorf("nbtrain: StatsBars: gate = %q, want \"i\", \"f\", \"o\" or \"g\"", gate)
		}
		for r := 0; r < numRegions; r++ {
			values[r] = append(values[r], g[r])
		}
	}
	return viz.BarsWith(viz.BarOptions{Title: title, XLabel: "hidden channel", YLabel: "mean " + gate},
		labels, RegionNames, values)
}

// CrossedPixel returns a pixel (y, x) of sample b of frames (B, T, 1, H, W)
// that a shape passes over: empty (< 0.1) at first, covered (>= 0.5) from
// step arrive on, empty again from step leave on. Of all such pixels it
// picks the one with the most empty steps on both sides, min(arrive,
// T-leave), then the longest covered; ok is false if no pixel qualifies.
func CrossedPixel(frames *convlstm.Tensor, b int) (y, x, arrive, leave int, ok bool, err error) {
	if err := checkFrames("CrossedPixel", frames, 3); err != nil {
		return 0, 0, 0, 0, false, err
	}
	B, T, H, W := frames.Shape[0], frames.Shape[1], frames.Shape[3], frames.Shape[4]
	if b < 0 || b >= B {
		return 0, 0, 0, 0, false, fmt.Errorf("nbtrain: CrossedPixel: b = %d, want 0 <= b < %d", b, B)
	}
	hw := H * W
	bestRoom, bestLen := -1, -1
	for p := 0; p < hw; p++ {
		v := func(t int) float32 { return frames.Data[(b*T+t)*hw+p] }
		if v(0) >= 0.1 {
			continue
		}
		a := 1
		for a < T && v(a) < 0.5 {
			a++
		}
		l := a
		for l < T && v(l) >= 0.1 {
			l++
		}
		if a >= T || l >= T {
			continue
		}
		room, n := min(a, T-l), l-a
		if room > bestRoom || (room == bestRoom && n > bestLen) {
			bestRoom, bestLen = room, n
			y, x, arrive, leave, ok = p/W, p%W, a, l, true
		}
	}
	return y, x, arrive, leave, ok, nil
}

// PixelSeries returns, for pixel (y, x) of sample b and hidden channel ch
// of one layer of a trace, the values of i, f, o, g, c and h at every step
// (series[k][t], in the order of the names returned), ready for viz.Lines.
func PixelSeries(tr *convlstm.Trace, layer, b, ch, y, x int) (names []string, series [][]float64, err error) {
	if tr == nil || layer < 0 || layer >= len(tr.Layers) || len(tr.Layers[layer]) == 0 {
		return nil, nil, fmt.Errorf("nbtrain: PixelSeries: no layer %d in the trace", layer)
	}
	sh := tr.Layers[layer][0].I.Shape // (B, hid, H, W)
	if b < 0 || b >= sh[0] || ch < 0 || ch >= sh[1] || y < 0 || y >= sh[2] || x < 0 || x >= sh[3] {
		return nil, nil, fmt.Errorf("nbtrain: PixelSeries: (b, ch, y, x) = (%d, %d, %d, %d) outside %v", b, ch, y, x, sh)
	}
	k := ((b*sh[1]+ch)*sh[2]+y)*sh[3] + x
	names = []string{"i", "f", "o", "g", "c", "h"}
	series = make([][]float64, len(names))
	for _, st := range tr.Layers[layer] {
		for g, t := range []*convlstm.Tensor{st.I, st.F, st.O, st.G, st.C, st.H} {
			series[g] = append(series[g], float64(t.Data[k]))
		}
	}
	return names, series, nil
}

// PixelInput returns the input value at pixel (y, x) of sample b of frames
// (B, T, 1, H, W) at every step, to plot beside PixelSeries.
func PixelInput(frames *convlstm.Tensor, b, y, x int) ([]float64, error) {
	if err := checkFrames("PixelInput", frames, 1); err != nil {
		return nil, err
	}
	B, T, H, W := frames.Shape[0], frames.Shape[1], frames.Shape[3], frames.Shape[4]
	if b < 0 || b >= B || y < 0 || y >= H || x < 0 || x >= W {
		return nil, fmt.Errorf("nbtrain: PixelInput: (b, y, x) = (%d, %d, %d) outside (%d, %d, %d)", b, y, x, B, H, W)
	}
	out := make([]float64, T)
	for t := range out {
		out[t] = float64(frames.Data[((b*T+t)*H+y)*W+x])
	}
	return out, nil
}
