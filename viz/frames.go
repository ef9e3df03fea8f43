package viz

import (
	"fmt"

	"example.com/convlstm/convlstm"
)

// FrameRows draws sequences of frames as rows of small images, one column
// per time step: for example the input sequence above the predicted one.
// Each seqs[k] is a (T, H, W) tensor (see Sequence to take one out of a
// (B, T, C, H, W) batch) and labels[k] is the title of its row. The
// sequences may have different lengths T, up to 24, but their frames must
// all be (H, W).
//
// All frames share one colour scale, so that rows can be compared: the
// sequential scale on [0, max] for non-negative data, otherwise the
// diverging scale on [-m, m].
func FrameRows(title string, labels []string, seqs []*convlstm.Tensor) ([]byte, error) {
	const fn = "FrameRows"
	if len(seqs) == 0 {
		return nil, fmt.Errorf("viz: %s: seqs is empty, want at least one (T, H, W) tensor", fn)
	}
	if len(labels) != len(seqs) {
		return nil, fmt.Errorf("viz: %s: %d labels for %d seqs, want one label per sequence", fn, len(labels), len(seqs))
	}
	var steps int
	var all [][]float32
	for k, s := range seqs {
		arg := fmt.Sprintf("seqs[%d]", k)
		if err := checkTensor(fn, arg, s, "(T, H, W)"); err != nil {
			return nil, err
		}
		if s.Shape[1] != seqs[0].Shape[1] || s.Shape[2] != seqs[0].Shape[2] {
			return nil, fmt.Errorf("viz: %s: %s has frames of %dx%d, want %dx%d like seqs[0]",
				fn, arg, s.Shape[1], s.Shape[2], seqs[0].Shape[1], seqs[0].Shape[2])
		}
		if s.Shape[0] > maxColumns {
			return nil, fmt.Errorf("viz: %s: %s has %d time steps, want at most %d", fn, arg, s.Shape[0], maxColumns)
		}
		steps = max(steps, s.Shape[0])
		all = append(all, s.Data)
	}
	h, w := seqs[0].Shape[1], seqs[0].Shape[2]
	scale := autoScale("value", all...)

	g := &tileGrid{title: title, rowTitles: labels, h: h, w: w, scales: []*colourScale{scale}}
	for t := range steps {
		g.colTitles = append(g.colTitles, fmt.Sprintf("t = %d", t))
	}
	for _, s := range seqs {
		row := make([]tile, steps) // steps past the end of s stay blank
		for t := range s.Shape[0] {
			row[t] = tile{data: s.Data[t*h*w : (t+1)*h*w], scale: scale}
		}
		g.tiles = append(g.tiles, row)
	}
	return g.png()
}
