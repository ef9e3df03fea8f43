package nbtrain

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/train"
)

// lineProgress is the writer LineProgress returns.
type lineProgress struct {
	w       io.Writer
	every   time.Duration
	now     func() time.Time
	last    time.Time // when a line was last printed
	cur     string    // the latest redraw, without the carriage return
	printed bool      // cur has been printed already
}

// LineProgress returns a writer for train.Options.Progress that turns the
// progress bar of train.Train (one line redrawn with carriage returns
// several times a second) into plain lines on w: the first redraw, then
// the latest one every everySeconds seconds, and the last one when Train
// ends its bar with a newline. In a notebook the output then stays a
// dozen lines long instead of hundreds of redraws. everySeconds must be
// positive.
func LineProgress(w io.Writer, everySeconds float64) (io.Writer, error) {
	if w == nil {
		return nil, fmt.Errorf("nbtrain: LineProgress: w is nil")
	}
	if !(everySeconds > 0) {
		return nil, fmt.Errorf("nbtrain: LineProgress: everySeconds = %g, want > 0", everySeconds)
	}
	return &lineProgress{w: w, every: time.Duration(everySeconds * float64(time.Second)), now: time.Now}, nil
}

func (p *lineProgress) Write(b []byte) (int, error) {
	s := string(b)
	ended := strings.Contains(s, "\n")
	for _, part := range strings.Split(s, "\r") {
		part = strings.TrimRight(part, " \n")
		if part != "" {
			p.cur, p.printed = part, false
		}
	}
	now := p.now()
	if p.cur != "" && !p.printed && (ended || p.last.IsZero() || now.Sub(p.last) >= p.every) {
		p.last, p.printed = now, true
		if _, err := fmt.Fprintln(p.w, p.cur); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// Smooth returns the running mean of xs over the last window values (fewer
// at the start): out[k] = mean(xs[max(0, k-window+1) : k+1]). A loss curve
// of single batches is noisy; its running mean shows the trend. window
// must be positive.
func Smooth(xs []float64, window int) ([]float64, error) {
	if window <= 0 {
		return nil, fmt.Errorf("nbtrain: Smooth: window = %d, want > 0", window)
	}
	out := make([]float64, len(xs))
	var sum float64
	for k, x := range xs {
		sum += x
		if k >= window {
			sum -= xs[k-window]
		}
		out[k] = sum / float64(min(k+1, window))
	}
	return out, nil
}

// Clone returns a new model with a copy of m's weights (the ConvLSTM's and
// the head's) and the same configuration; training one does not change
// the other.
func Clone(m *train.Model) (*train.Model, error) {
	if m == nil || m.RNN == nil || m.HeadWeight == nil || m.HeadBias == nil {
		return nil, fmt.Errorf("nbtrain: Clone: m is nil or incomplete")
	}
	cfg := m.RNN.Config
	cfg.HiddenDim = append([]int(nil), cfg.HiddenDim...)
	cfg.KernelSize = append([][2]int(nil), cfg.KernelSize...)
	rnn, err := convlstm.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("nbtrain: Clone: %w", err)
	}
	c := &train.Model{RNN: rnn, HeadWeight: m.HeadWeight.Clone(), HeadBias: m.HeadBias.Clone(), Readable: m.Readable}
	if err := c.LoadStateDict(m.StateDict()); err != nil {
		return nil, fmt.Errorf("nbtrain: Clone: %w", err)
	}
	return c, nil
}

// Run runs m on frames (B, T, 1, H, W) once and returns the trace of its
// ConvLSTM (trace.Layers[l][t] holds the gates i, f, o, g and the states
// c, h of layer l at step t, each (B, hid, H, W)) and its predictions
// pred (B, T, 1, H, W), where pred[:, t] is the guess for frame t+1. It
// runs m.Predict, so the fast path (fast.Forward, which fills the trace
// like the readable m.RNN.Forward) unless m.Readable is set. The model's
// own Trace field is left as it was.
func Run(m *train.Model, frames *convlstm.Tensor) (*convlstm.Trace, *convlstm.Tensor, error) {
	if m == nil || m.RNN == nil {
		return nil, nil, fmt.Errorf("nbtrain: Run: m is nil")
	}
	if err := checkFrames("Run", frames, 1); err != nil {
		return nil, nil, err
	}
	saved := m.RNN.Trace
	tr := &convlstm.Trace{}
	m.RNN.Trace = tr
	pred, err := m.Predict(frames)
	m.RNN.Trace = saved
	if err != nil {
		return nil, nil, fmt.Errorf("nbtrain: Run: %w", err)
	}
	return tr, pred, nil
}

// checkFrames validates a (B, T, 1, H, W) batch with at least minT steps.
func checkFrames(fn string, x *convlstm.Tensor, minT int) error {
	if x == nil || x.Dim() != 5 || x.Shape[2] != 1 || len(x.Data) != x.Shape[0]*x.Shape[1]*x.Shape[3]*x.Shape[4] {
		var s []int
		if x != nil {
			s = x.Shape
		}
		return fmt.Errorf("nbtrain: %s: frames must be (B, T, 1, H, W), got shape %v", fn, s)
	}
	if x.Shape[1] < minT {
		return fmt.Errorf("nbtrain: %s: frames have T = %d, want at least %d", fn, x.Shape[1], minT)
	}
	return nil
}

// Frames returns frames t0..t1-1 of sample b of x (B, T, 1, H, W) as a
// (t1-t0, H, W) tensor, one row of viz.FrameRows. The values are copied.
func Frames(x *convlstm.Tensor, b, t0, t1 int) (*convlstm.Tensor, error) {
	if err := checkFrames("Frames", x, 1); err != nil {
		return nil, err
	}
	B, T, H, W := x.Shape[0], x.Shape[1], x.Shape[3], x.Shape[4]
	if b < 0 || b >= B {
		return nil, fmt.Errorf("nbtrain: Frames: b = %d, want 0 <= b < %d", b, B)
	}
	if t0 < 0 || t1 > T || t0 >= t1 {
		return nil, fmt.Errorf("nbtrain: Frames: t0, t1 = %d, %d, want 0 <= t0 < t1 <= %d", t0, t1, T)
	}
	hw := H * W
	out := convlstm.Zeros(t1-t0, H, W)
	copy(out.Data, x.Data[(b*T+t0)*hw:(b*T+t1)*hw])
	return out, nil
}

// NextFrame runs m on sample b of frames (B, T, 1, H, W) and returns three
// aligned (T-1, H, W) sequences: truth[t] is frame t+1, pred[t] is the
// model's guess of frame t+1 from frames 0..t, and last[t] is frame t, the
// copy-last-frame guess. The model's MSE over these T-1 targets is
// mean((pred-truth)^2), as train.Evaluate computes it over a batch.
func NextFrame(m *train.Model, frames *convlstm.Tensor, b int) (truth, pred, last *convlstm.Tensor, err error) {
	if m == nil {
		return nil, nil, nil, fmt.Errorf("nbtrain: NextFrame: m is nil")
	}
	if err := checkFrames("NextFrame", frames, 2); err != nil {
		return nil, nil, nil, err
	}
	T := frames.Shape[1]
	seq, err := Frames(frames, b, 0, T)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("nbtrain: NextFrame: %w", err)
	}
	in := &convlstm.Tensor{Shape: []int{1, T - 1, 1, seq.Shape[1], seq.Shape[2]}, Data: seq.Data[:(T-1)*seq.Shape[1]*seq.Shape[2]]}
	p, err := m.Predict(in)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("nbtrain: NextFrame: %w", err)
	}
	if truth, err = Frames(&convlstm.Tensor{Shape: []int{1, T, 1, seq.Shape[1], seq.Shape[2]}, Data: seq.Data}, 0, 1, T); err != nil {
		return nil, nil, nil, err
	}
	if last, err = Frames(in, 0, 0, T-1); err != nil {
		return nil, nil, nil, err
	}
	if pred, err = Frames(p, 0, 0, T-1); err != nil {
		return nil, nil, nil, err
	}
	return truth, pred, last, nil
}

// MSE returns the mean squared difference of two tensors with the same
// number of values.
func MSE(a, b *convlstm.Tensor) (float64, error) {
	if a == nil || b == nil || len(a.Data) != len(b.Data) || len(a.Data) == 0 {
		return 0, fmt.Errorf("nbtrain: MSE: want two non-empty tensors of the same size")
	}
	var s float64
	for k, v := range a.Data {
		d := float64(v - b.Data[k])
		s += d * d
	}
	return s / float64(len(a.Data)), nil
}

// sprintTable formats rows of cells as left-aligned columns.
func sprintTable(rows [][]string) string {
	width := map[int]int{}
	for _, r := range rows {
		for c, s := range r {
			width[c] = max(width[c], len(s))
		}
	}
	var buf bytes.Buffer
	for _, r := range rows {
		for c, s := range r {
			if c > 0 {
				buf.WriteString("  ")
			}
			fmt.Fprintf(&buf, "%*s", width[c], s)
		}
		buf.WriteString("\n")
	}
	return buf.String()
}
