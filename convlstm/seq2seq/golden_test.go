package seq2seq

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/golden"
	"example.com/convlstm/convlstm/internal/kernel"
	"example.com/convlstm/convlstm/npz"
)

// goldenCase is one folder of testdata/golden_seq2seq, written by
// testdata/gen_golden_seq2seq.py.
type goldenCase struct {
	name string
	cfg  struct {
		Channels int   `json:"channels"`
		Hidden   []int `json:"hidden"`
		Kernel   int   `json:"kernel"`
		Patch    int   `json:"patch"`
		K        int   `json:"K"`
	}
	tensors, grads map[string]*convlstm.Tensor
}

// loadGoldens reads every case folder of testdata/golden_seq2seq.
func loadGoldens(t *testing.T) []*goldenCase {
	t.Helper()
	root, err := golden.Dir() // testdata/golden
	if err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(filepath.Dir(root), "golden_seq2seq")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		gc := &goldenCase{name: e.Name()}
		raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &gc.cfg); err != nil {
			t.Fatalf("%s/config.json: %v", dir, err)
		}
		if gc.tensors, err = npz.Read(filepath.Join(dir, "tensors.npz")); err != nil {
			t.Fatal(err)
		}
		if gc.grads, err = npz.Read(filepath.Join(dir, "grads.npz")); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, gc)
	}
	if len(cases) < 3 {
		t.Fatalf("%d golden cases in %s, want at least 3", len(cases), root)
	}
	return cases
}

// model builds the case's model and loads PyTorch's weights into it.
func (gc *goldenCase) model(t *testing.T) *Model {
	t.Helper()
	m, err := NewModel(Config{Channels: gc.cfg.Channels, Hidden: gc.cfg.Hidden, Kernel: gc.cfg.Kernel, Patch: gc.cfg.Patch}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sd := map[string]*convlstm.Tensor{}
	for k := range m.StateDict() {
		sd[k] = gc.tensors[k]
	}
	if err := m.LoadStateDict(sd); err != nil {
		t.Fatalf("%s: %v", gc.name, err)
	}
	return m
}

// paths are the training implementations every golden runs through: the
// readable BPTT, and the fast one at every kernel level the CPU has.
func paths() []struct {
	name     string
	readable bool
	level    kernel.Level
} {
	type path = struct {
		name     string
		readable bool
		level    kernel.Level
	}
	ps := []path{{"readable", true, kernel.Best()}, {"fast", false, kernel.Best()}}
	for _, l := range kernel.Levels() {
		if l != kernel.Best() {
			ps = append(ps, path{"fast-" + l.String(), false, l})
		}
	}
	return ps
}

// TestGolden checks the whole model against its PyTorch twin on every
// case and path: the predictions and the encoder's last states (forward,
// |go - torch| <= 1e-5 + 1e-4|torch|), then the gradients of
// loss = sum((pred - target)^2) with respect to every parameter and to the
// input frames (<= 1e-4 + 1e-3|torch|). The encoder's weights get their
// gradient only through the forecaster's initial states, so this checks
// BPTT through both stacks. Finally LossAndGrad (the mean, not the sum)
// must give the same gradients divided by the number of target values.
func TestGolden(t *testing.T) {
	for _, gc := range loadGoldens(t) {
		t.Run(gc.name, func(t *testing.T) {
			for _, p := range paths() {
				t.Run(p.name, func(t *testing.T) {
					t.Cleanup(kernel.Use(p.level))
					m := gc.model(t)
					m.Readable = p.readable
					frames, target := gc.tensors["frames"], gc.tensors["targets"]
					pass, err := m.Forward(frames, gc.cfg.K)
					if err != nil {
						t.Fatal(err)
					}
					var fwdMax, gradMax, ofTol float64 // the summary logged at the end
					compare := func(key string, got, want *convlstm.Tensor, atol, rtol float64, max *float64) {
						t.Helper()
						d, err := golden.Compare(key, got, want, atol, rtol)
						golden.Check(t, []golden.Diff{d}, err)
						*max, ofTol = math.Max(*max, d.MaxAbs), math.Max(ofTol, d.OfTol)
					}
					fwd := func(key string, got *convlstm.Tensor) {
						t.Helper()
						compare(key, got, gc.tensors[key], golden.ForwardAtol, golden.ForwardRtol, &fwdMax)
					}
					grad := func(key string, got *convlstm.Tensor) {
						t.Helper()
						compare(key, got, gc.grads[key], golden.GradAtol, golden.GradRtol, &gradMax)
					}
					defer func() {
						t.Logf("%s/%s: forward max abs error %.2e, gradient max abs error %.2e, worst error / tolerance %.3f",
							gc.name, p.name, fwdMax, gradMax, ofTol)
					}()
					fwd("predictions", pass.Pred)
					for l, s := range pass.EncoderStates {
						fwd(fmt.Sprintf("encoder_last_state.%d.h", l), s.H)
						fwd(fmt.Sprintf("encoder_last_state.%d.c", l), s.C)
					}
					// Predict (no tape) gives the same numbers.
					pred, err := m.Predict(frames, gc.cfg.K)
					if err != nil {
						t.Fatal(err)
					}
					fwd("predictions", pred)

					// loss = sum((pred - target)^2): dL/dpred = 2 (pred - target).
					dPred := convlstm.Zeros(pass.Pred.Shape...)
					loss := convlstm.Zeros(1)
					for k, v := range pass.Pred.Data {
						d := v - target.Data[k]
						loss.Data[0] += d * d
						dPred.Data[k] = 2 * d
					}
					var lossErr float64 // a sum of many terms: kept out of the forward maximum
					compare("loss", loss, gc.grads["loss"], golden.ForwardAtol, golden.ForwardRtol, &lossErr)
					g, err := m.Backward(pass, dPred)
					if err != nil {
						t.Fatal(err)
					}
					grad("grad.frames", g.Frames)
					keys := sortedKeys(m.StateDict())
					for _, k := range keys {
						grad("grad."+k, g.Weights[k])
					}
					if len(g.Weights) != len(keys) {
						t.Errorf("got %d weight gradients, want %d", len(g.Weights), len(keys))
					}

					// LossAndGrad: the mean, so gradients / n.
					mse, lg, err := m.LossAndGrad(frames, target)
					if err != nil {
						t.Fatal(err)
					}
					n := float64(len(target.Data))
					if want := float64(gc.grads["loss"].Data[0]) / n; !(math.Abs(mse-want) <= 1e-5+1e-4*want) {
						t.Errorf("LossAndGrad loss %g, PyTorch's sum / n = %g", mse, want)
					}
					for _, k := range keys {
						scaled := lg[k].Clone()
						for i := range scaled.Data {
							scaled.Data[i] *= float32(n)
						}
						grad("grad."+k, scaled)
					}
				})
			}
		})
	}
}

func sortedKeys(m map[string]*convlstm.Tensor) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
