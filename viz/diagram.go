package viz

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the two diagrams of the notebooks, the cell
// (CellDiagram) and the layer loop (LayerLoopDiagram), with gonum/plot's
// canvas: boxes, arrows, and the tensor shape written on every arrow.

// Sizes of the diagram text.
const (
	boxTextSize  = 11
	edgeTextSize = 8
)

// Fill colours of diagram boxes: light tints, so that black text reads on
// them, from the Okabe-Ito hues.
var (
	fillInput = color.RGBA{R: 0xDD, G: 0xEE, B: 0xF8, A: 255} // light sky blue: tensors that come in or go out
	fillOp    = color.RGBA{R: 0xF2, G: 0xF2, B: 0xF2, A: 255} // light grey: concat, split
	fillConv  = color.RGBA{R: 0xFB, G: 0xE8, B: 0xC0, A: 255} // light orange: the convolution, the only weights
	fillGate  = color.RGBA{R: 0xF3, G: 0xDD, B: 0xEA, A: 255} // light purple: activations
	fillState = color.RGBA{R: 0xD6, G: 0xEA, B: 0xF5, A: 255} // light blue: the state update
)

// diagram collects boxes and arrows in centimetres from the bottom left.
type diagram struct {
	dc draw.Canvas
}

func cm(v float64) vg.Length { return vg.Length(v) * vg.Centimeter }

// pt returns the canvas point at (x, y) cm.
func (d diagram) pt(x, y float64) vg.Point {
	return vg.Point{X: d.dc.Min.X + cm(x), Y: d.dc.Min.Y + cm(y)}
}

// box draws a rounded-looking box centred at (x, y) of size w x h cm with
// lines of text.
func (d diagram) box(x, y, w, h float64, fill color.Color, lines ...string) {
	r := vg.Rectangle{Min: d.pt(x-w/2, y-h/2), Max: d.pt(x+w/2, y+h/2)}
	d.dc.SetColor(fill)
	d.dc.Fill(r.Path())
	d.dc.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(1)})
	d.dc.Stroke(r.Path())
	sty := textStyle(boxTextSize, false)
	lh := sty.Height("Xg") * 1.15
	top := d.pt(x, y).Y + lh*vg.Length(len(lines)-1)/2
	for k, s := range lines {
		st := sty
		if k == 0 {
			st = textStyle(boxTextSize, true)
		}
		d.dc.FillText(st, vg.Point{X: d.pt(x, y).X, Y: top - lh*vg.Length(k)}, s)
	}
}

// arrow draws a polyline through the points (x0, y0, x1, y1, ...) in cm
// with an arrow head at the end, and writes label next to segment seg
// (0 = the first), above it when horizontal, right of it when vertical.
func (d diagram) arrow(label string, seg int, dashed bool, xy ...float64) {
	var pts []vg.Point
	for k := 0; k+1 < len(xy); k += 2 {
		pts = append(pts, d.pt(xy[k], xy[k+1]))
	}
	ls := draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}
	if dashed {
		ls.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	d.dc.StrokeLines(ls, pts)
	// Arrow head on the last segment.
	a, b := pts[len(pts)-2], pts[len(pts)-1]
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	n := math.Hypot(dx, dy)
	if n > 0 {
		ux, uy := dx/n, dy/n
		l, w := float64(vg.Points(7)), float64(vg.Points(3.5))
		var head vg.Path
		head.Move(b)
		head.Line(vg.Point{X: b.X - vg.Length(l*ux-w*uy), Y: b.Y - vg.Length(l*uy+w*ux)})
		head.Line(vg.Point{X: b.X - vg.Length(l*ux+w*uy), Y: b.Y - vg.Length(l*uy-w*ux)})
		head.Close()
		d.dc.SetColor(color.Black)
		d.dc.Fill(head)
	}
	if label == "" {
		return
	}
	p, q := pts[seg], pts[seg+1]
	mid := vg.Point{X: (p.X + q.X) / 2, Y: (p.Y + q.Y) / 2}
	sty := textStyle(edgeTextSize, false)
	sty.Color = color.RGBA{R: 0x00, G: 0x4C, B: 0x7A, A: 255} // dark blue: shapes
	if math.Abs(float64(q.X-p.X)) >= math.Abs(float64(q.Y-p.Y)) {
		sty.YAlign = draw.YBottom
		mid.Y += vg.Points(2)
	} else {
		sty.XAlign = draw.XLeft
		mid.X += vg.Points(4)
	}
	d.dc.FillText(sty, mid, label)
}

// text writes a line of text at (x, y) cm.
func (d diagram) text(x, y float64, size vg.Length, italic bool, align draw.XAlignment, s string) {
	sty := textStyle(size, false)
	sty.XAlign = align
	if italic {
		sty.Color = color.Gray{Y: 70}
	}
	d.dc.FillText(sty, d.pt(x, y), s)
}

// shape prints a tensor shape: (1, 4, 16, 20).
func shape(dims ...int) string {
	s := "("
	for k, v := range dims {
		if k > 0 {
			s += ", "
		}
		s += fmt.Sprint(v)
	}
	return s + ")"
}

// checkDims returns an error unless every named size is > 0.
func checkDims(fn string, names []string, values []int) error {
	for k, v := range values {
		if v <= 0 {
			return fmt.Errorf("viz: %s: %s = %d, want > 0", fn, names[k], v)
		}
	}
	return nil
}

// CellDiagram draws one step of a ConvLSTM cell as a data-flow diagram,
// with the shape of the tensor on every arrow for a batch of b samples,
// in input channels, hid hidden channels, frames of h x w pixels and a
// kh x kw kernel (odd sizes, padded by kh/2 and kw/2 so that h x w is
// kept):
//
//	x_t, h_{t-1} -> concat -> one conv -> split into i, f, o, g
//	-> sigmoid / tanh -> c_t = f*c_{t-1} + i*g, h_t = o*tanh(c_t)
//
// The picture is about 32 x 14 cm; viz.WritePNG saves it.
func CellDiagram(b, in, hid, h, w, kh, kw int) ([]byte, error) {
	const fn = "CellDiagram"
	if err := checkDims(fn, []string{"b", "in", "hid", "h", "w", "kh", "kw"}, []int{b, in, hid, h, w, kh, kw}); err != nil {
		return nil, err
	}
	if kh%2 == 0 || kw%2 == 0 {
		return nil, fmt.Errorf("viz: %s: kernel %d x %d, want odd sizes (padding kh/2, kw/2 keeps H and W)", fn, kh, kw)
	}
	state := shape(b, hid, h, w)
	return render(cm(33), cm(14.2), func(dc draw.Canvas) {
		d := diagram{dc: dc}
		d.text(16.5, 13.6, titleSize, false, draw.XCenter, "One step of a ConvLSTM cell (cell.Forward)")

		// Inputs on the left.
		d.box(1.8, 11.9, 2.6, 1.1, fillInput, "c_{t-1}", "memory")
		d.box(1.8, 9.6, 2.6, 1.1, fillInput, "x_t", "input frame")
		d.box(1.8, 7.4, 2.6, 1.1, fillInput, "h_{t-1}", "hidden state")

		// concat -> conv -> split.
		d.box(7.2, 8.5, 2.6, 1.6, fillOp, "concat", "channel axis 1")
		d.box(12.3, 8.5, 3.4, 2.2, fillConv, fmt.Sprintf("conv %dx%d", kh, kw),
			fmt.Sprintf("padding (%d, %d)", kh/2, kw/2), "W "+shape(4*hid, in+hid, kh, kw), fmt.Sprintf("bias (%d)", 4*hid))
		d.box(16.8, 8.7, 1.6, 7.4, fillOp, "split", "dim 1", fmt.Sprintf("%d each", hid))

		d.arrow(shape(b, in, h, w), 0, false, 3.1, 9.6, 5.4, 9.6, 5.9, 9.0)
		d.arrow(shape(b, hid, h, w), 0, false, 3.1, 7.4, 5.4, 7.4, 5.9, 8.0)
		d.arrow(shape(b, in+hid, h, w), 0, false, 8.5, 8.5, 10.6, 8.5)
		d.arrow(shape(b, 4*hid, h, w), 0, false, 14.0, 8.5, 16.0, 8.5)

		// The four blocks of channels and their activations.
		gates := []struct {
			name, act, what string
			y               float64
		}{
			{"i", "sigmoid", "input gate", 11.6},
			{"f", "sigmoid", "forget gate", 9.6},
			{"o", "sigmoid", "output gate", 7.6},
			{"g", "tanh", "candidate", 5.6},
		}
		for k, g := range gates {
			d.box(22.3, g.y, 2.6, 1.2, fillGate, g.name+" = "+g.act, g.what)
			label := fmt.Sprintf("ch %d-%d: %s", k*hid, (k+1)*hid-1, state)
			d.arrow(label, 0, false, 17.6, g.y, 21.0, g.y)
		}

		// The state update.
		d.box(27.4, 10.6, 3.8, 1.4, fillState, "c_t = f*c_{t-1} + i*g", "elementwise")
		d.box(27.4, 5.6, 3.8, 1.4, fillState, "h_t = o*tanh(c_t)", "elementwise")
		d.arrow("c_{t-1} "+state, 2, false, 3.1, 11.9, 3.6, 11.9, 3.6, 12.9, 26.3, 12.9, 26.3, 11.3)
		d.arrow("", 0, false, 23.6, 11.6, 25.5, 10.9)
		d.arrow("", 0, false, 23.6, 9.6, 25.5, 10.4)
		d.arrow("", 0, false, 23.6, 5.6, 25.5, 10.1)
		d.arrow("", 0, false, 23.6, 7.6, 25.5, 5.9)
		d.text(22.3, 4.5, edgeTextSize, false, draw.XCenter, "i, f, o, g: "+state+" each")
		d.arrow("c_t "+state, 0, false, 27.4, 9.9, 27.4, 6.3)

		// Outputs on the right.
		d.box(31.5, 10.6, 2.2, 1.1, fillInput, "c_t", "to step t+1")
		d.box(31.5, 5.6, 2.2, 1.1, fillInput, "h_t", "out, to t+1")
		d.arrow("", 0, false, 29.3, 10.6, 30.4, 10.6)
		d.arrow("", 0, false, 29.3, 5.6, 30.4, 5.6)
		d.text(31.5, 4.5, edgeTextSize, false, draw.XCenter, state+" each")

		// Legend of the notation.
		d.text(0.5, 2.6, edgeTextSize+2, false, draw.XLeft,
			fmt.Sprintf("Shapes are (B, channels, H, W) for B = %d, input_dim = %d, hidden_dim = %d, %d x %d frames.", b, in, hid, h, w))
		d.text(0.5, 1.9, edgeTextSize+2, false, draw.XLeft,
			"* is the elementwise product. The conv is the only step with weights; split, sigmoid, tanh and the update work per pixel and channel.")
		d.text(0.5, 1.2, edgeTextSize+2, false, draw.XLeft,
			"The four blocks of channels become gates only by what is done with them next: sigmoid or tanh, and where they enter c_t and h_t.")
	})
}

// LayerLoopDiagram draws the layer-major loop of ConvLSTM.forward for a
// stack of layers with hidden[l] channels: one row per layer (layer 0 at
// the bottom), one column per time step, and in every box the order in
// which the seed computes it. Arrows carry the shapes: the frames
// x[:, t] of (b, c, h, w) into layer 0, each layer's h_t up into the next
// layer, and the state (h, c) from step t to t+1. At most 4 steps are
// drawn; for longer sequences the third column stands for the middle
// steps and the fourth is step steps-1.
func LayerLoopDiagram(b, steps, c, h, w int, hidden []int) ([]byte, error) {
	const fn = "LayerLoopDiagram"
	if err := checkDims(fn, []string{"b", "steps", "c", "h", "w"}, []int{b, steps, c, h, w}); err != nil {
		return nil, err
	}
	if len(hidden) == 0 || len(hidden) > 4 {
		return nil, fmt.Errorf("viz: %s: %d layers, want 1 to 4", fn, len(hidden))
	}
	for l, v := range hidden {
		if v <= 0 {
			return nil, fmt.Errorf("viz: %s: hidden[%d] = %d, want > 0", fn, l, v)
		}
	}
	layers := len(hidden)
	var cols []int // the time step of each column; -1 is "..."
	switch {
	case steps <= 4:
		for t := range steps {
			cols = append(cols, t)
		}
	default:
		cols = []int{0, 1, -1, steps - 1}
	}
	colW, rowH := 7.0, 3.3
	x0, y0 := 3.0, 3.0 // centre of layer 0, column 0 is x0+1.2, y0
	width := x0 + colW*float64(len(cols)-1) + 1.2 + 4.0
	height := y0 + rowH*float64(layers-1) + 3.6
	return render(cm(width), cm(height), func(dc draw.Canvas) {
		d := diagram{dc: dc}
		d.text(width/2, height-0.7, titleSize, false, draw.XCenter,
			"ConvLSTM.forward: the layer-major loop (numbers: order of the cell calls)")
		bw, bh := 2.6, 1.3
		for l := range layers {
			y := y0 + rowH*float64(l)
			in := c
			if l > 0 {
				in = hidden[l-1]
			}
			d.text(0.3, y+0.25, boxTextSize, false, draw.XLeft, fmt.Sprintf("layer %d", l))
			d.text(0.3, y-0.35, edgeTextSize, true, draw.XLeft, fmt.Sprintf("%d -> %d ch", in, hidden[l]))
			st := shape(b, hidden[l], h, w)
			for k, t := range cols {
				x := x0 + colW*float64(k) + 1.2
				if t < 0 {
					d.text(x, y, titleSize, false, draw.XCenter, ". . .")
					continue
				}
				order := l*steps + t + 1
				d.box(x, y, bw, bh, fillState, fmt.Sprintf("cell_list[%d]", l), fmt.Sprintf("t = %d  (#%d)", t, order))
				// Input from below.
				label := shape(b, in, h, w)
				if l == 0 {
					label = "x[:, t] " + label
				} else {
					label = "h " + label
				}
				d.arrow(label, 0, false, x, y-rowH+bh/2, x, y-bh/2)
				// State to the next column.
				if k+1 < len(cols) {
					if cols[k+1] < 0 {
						d.arrow("", 0, false, x+bw/2, y, x+colW*0.75-bw/2, y)
					} else {
						d.arrow("(h, c) "+st+" each", 0, false, x+bw/2, y, x+colW-bw/2, y)
					}
				}
				if t == 0 {
					d.arrow("zeros", 0, false, x-bw/2-1.1, y, x-bw/2, y)
				}
			}
			if cols[len(cols)-1] >= 0 && len(cols) > 2 && cols[len(cols)-2] < 0 {
				x := x0 + colW*float64(len(cols)-1) + 1.2
				d.arrow("", 0, false, x-colW*0.55, y, x-bw/2, y)
			}
			// The last state of the layer.
			xl := x0 + colW*float64(len(cols)-1) + 1.2
			d.arrow("", 0, false, xl+bw/2, y, xl+bw/2+0.9, y)
			d.text(xl+bw/2+1.0, y+0.2, edgeTextSize, false, draw.XLeft, "last_state")
			d.text(xl+bw/2+1.0, y-0.35, edgeTextSize, false, draw.XLeft, "[h, c]")
		}
		// The stacked output of the top layer.
		top := y0 + rowH*float64(layers-1)
		for k, t := range cols {
			if t < 0 {
				continue
			}
			x := x0 + colW*float64(k) + 1.2
			d.arrow("", 0, true, x, top+bh/2, x, top+bh/2+0.55)
		}
		d.text(x0+1.2-bw/2, top+bh/2+0.85, edgeTextSize, false, draw.XLeft,
			fmt.Sprintf("each layer: layer_output = torch.stack([h_0 ... h_%d], dim=1), the next layer's input; here, on top: %s",
				steps-1, shape(b, steps, hidden[layers-1], h, w)))
	})
}
