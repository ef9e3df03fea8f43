package convlstm

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Tolerances of the gradient goldens: |go - torch| <= atol + rtol*|torch|.
const (
	gradAtol = 1e-4
	gradRtol = 1e-3
)

// trainPaths are the training implementations every gradient golden runs
// through, each as its own subtest TestGoldenGrad/<case>/<path>.
var trainPaths = []struct {
	name  string
	fast  bool
	level level // forced when not the CPU's level
}{
	{"naive", false, cpuLevel},
	{"fast", true, cpuLevel},
}

// The fast path again at each kernel level below the CPU's best one:
// TestGoldenGrad/<case>/fast-<level>.
func init() {
	for _, l := range lowerLevels() {
		trainPaths = append(trainPaths, struct {
			name  string
			fast  bool
			level level
		}{"fast-" + l.String(), true, l})
	}
}

// TestGoldenGrad checks Backward against the gradients PyTorch computed for
// loss = sum_k <layer_output.k, grad_output.k> (testdata/README.md), for
// every golden folder that has a grads.npz. ForwardTrain's outputs are
// checked against the forward goldens on the way.
func TestGoldenGrad(t *testing.T) {
	ran := 0
	for _, name := range goldenCases(t) {
		gradsPath := filepath.Join(goldenDir, name, "grads.npz")
		if _, err := os.Stat(gradsPath); err != nil {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
			gc := loadGolden(t, name)
			want, err := ReadNPZ(gradsPath)
			if err != nil {
				t.Fatal(err)
			}
			nOut := 1
			if gc.cfg.ReturnAllLayers {
				nOut = gc.cfg.NumLayers
			}
			gradOut := make([]*Tensor, nOut)
			for k := range gradOut {
				if gradOut[k] = want[fmt.Sprintf("grad_output.%d", k)]; gradOut[k] == nil {
					t.Fatalf("grad_output.%d missing from grads.npz", k)
				}
			}
			for _, p := range trainPaths {
				t.Run(p.name, func(t *testing.T) {
					if p.level != cpuLevel {
						useLevel(t, p.level)
					}
					m := gc.model(t)
					setTrainPath(m, p.fast)
					tape, outs, states, err := m.ForwardTrain(gc.tensors["input"], gc.hiddenState(t))
					if err != nil {
						t.Fatal(err)
					}
					if tape.Fast() != p.fast {
						t.Fatalf("tape.Fast() = %v, want %v", tape.Fast(), p.fast)
					}
					checkGoldenOutputs(t, gc, outs, states)
					g, err := m.Backward(tape, gradOut)
					if err != nil {
						t.Fatal(err)
					}
					compareTensor(t, "grad.input", g.Input, want["grad.input"], gradAtol, gradRtol)
					for k := range m.StateDict() {
						compareTensor(t, "grad."+k, g.Weights[k], want["grad."+k], gradAtol, gradRtol)
					}
					if len(g.Weights) != len(m.StateDict()) {
						t.Errorf("got %d weight gradients, want %d", len(g.Weights), len(m.StateDict()))
					}
					if gc.cfg.WithHiddenState {
						for l, s := range g.HiddenState {
							compareTensor(t, fmt.Sprintf("grad.hidden_state.%d.h", l), s.H, want[fmt.Sprintf("grad.hidden_state.%d.h", l)], gradAtol, gradRtol)
							compareTensor(t, fmt.Sprintf("grad.hidden_state.%d.c", l), s.C, want[fmt.Sprintf("grad.hidden_state.%d.c", l)], gradAtol, gradRtol)
						}
					}
				})
			}
		})
	}
	if ran == 0 {
		t.Fatalf("no grads.npz under %s", goldenDir)
	}
}
