package main

import (
	"fmt"
	"io"
	"strings"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/atomicfile"
	"example.com/convlstm/convlstm/npz"
	"example.com/convlstm/convlstm/optim"
	"example.com/convlstm/convlstm/seq2seq"
)

// A checkpoint is one .npz archive, so that it is written (atomically) as
// a whole: the model's state_dict under its own names, Adam's moments
// under "adam.m.<name>" and "adam.v.<name>", and "train.state".
const (
	adamM    = "adam.m."
	adamV    = "adam.v."
	stateKey = "train.state"
)

// The values of train.state, in order.
const (
	stateSteps = iota
	stateAdamSteps
	stateSeconds
	stateNextSeq
	stateBatch
	stateSeed
	stateLen
)

// progress is where a run stands.
type progress struct {
	Steps, AdamSteps, NextSeq int
	Seconds                   float64 // training time so far
}

// saveCheckpoint writes the checkpoint to path atomically: until the new
// file is complete and synced, the previous one stays as it was.
func saveCheckpoint(path string, m *seq2seq.Model, adam *optim.Adam, p progress, c Config) error {
	t := map[string]*convlstm.Tensor{}
	for k, v := range m.StateDict() {
		t[k] = v
	}
	mm, vv := adam.Moments()
	for k, x := range mm {
		t[adamM+k] = &convlstm.Tensor{Shape: []int{len(x)}, Data: x}
		t[adamV+k] = &convlstm.Tensor{Shape: []int{len(x)}, Data: vv[k]}
	}
	st := make([]float32, stateLen)
	st[stateSteps], st[stateAdamSteps], st[stateSeconds] = float32(p.Steps), float32(adam.Steps), float32(p.Seconds)
	st[stateNextSeq], st[stateBatch], st[stateSeed] = float32(p.NextSeq), float32(c.Batch), float32(c.Seed)
	t[stateKey] = &convlstm.Tensor{Shape: []int{stateLen}, Data: st}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return npz.Encode(w, t) })
}

// loadCheckpoint restores m and adam from path and returns the progress.
// The checkpoint must come from the same model settings (shapes), batch
// size and seed; nothing is changed on error.
func loadCheckpoint(path string, m *seq2seq.Model, adam *optim.Adam, c Config) (progress, error) {
	t, err := npz.Read(path)
	if err != nil {
		return progress{}, err
	}
	st, ok := t[stateKey]
	if !ok || len(st.Data) != stateLen {
		return progress{}, fmt.Errorf("%s: no %s of %d values: not a train-mnist checkpoint", path, stateKey, stateLen)
	}
	s := st.Data
	if int(s[stateBatch]) != c.Batch || int64(s[stateSeed]) != c.Seed {
		return progress{}, fmt.Errorf("%s was made with -batch %d -seed %d, this run has -batch %d -seed %d: use the same flags, or -fresh to start again",
			path, int(s[stateBatch]), int64(s[stateSeed]), c.Batch, c.Seed)
	}
	weights := map[string]*convlstm.Tensor{}
	mm, vv := map[string][]float32{}, map[string][]float32{}
	for k, x := range t {
		switch {
		case strings.HasPrefix(k, adamM):
			mm[strings.TrimPrefix(k, adamM)] = x.Data
		case strings.HasPrefix(k, adamV):
			vv[strings.TrimPrefix(k, adamV)] = x.Data
		case k != stateKey:
			weights[k] = x
		}
	}
	for k := range mm {
		if w, ok := weights[k]; !ok || len(w.Data) != len(mm[k]) {
			return progress{}, fmt.Errorf("%s: Adam's state for %q matches no weight of its size", path, k)
		}
	}
	// Check both before changing either (LoadStateDict and SetMoments
	// leave their targets as they were on error).
	trial := optim.NewAdam()
	if err := trial.SetMoments(mm, vv); err != nil {
		return progress{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := m.LoadStateDict(weights); err != nil {
		return progress{}, fmt.Errorf("%s: the model's settings (-hidden, -kernel, -patch) differ from the checkpoint's: %w", path, err)
	}
	adam.SetMoments(mm, vv)
	adam.Steps = int(s[stateAdamSteps])
	return progress{Steps: int(s[stateSteps]), AdamSteps: int(s[stateAdamSteps]), Seconds: float64(s[stateSeconds]), NextSeq: int(s[stateNextSeq])}, nil
}
