package runcmd

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
	"example.com/convlstm/convlstm/train"
)

// Scores is the part of metrics.json both commands write.
type Scores struct {
	BaselineMSE float64 `json:"baseline_mse"`
	ModelMSE    float64 `json:"model_mse"`
	Ratio       float64 `json:"ratio"`
	Bound       float64 `json:"bound"`
	Seconds     float64 `json:"seconds"`
	Steps       int     `json:"steps"`
	FinalLoss   float64 `json:"final_train_loss"`
}

// NewScores fills Scores from the held-out MSEs and the training result.
func NewScores(modelMSE, baselineMSE, bound float64, res *train.Result) Scores {
	s := Scores{BaselineMSE: baselineMSE, ModelMSE: modelMSE, Ratio: modelMSE / baselineMSE, Bound: bound,
		Seconds: res.Seconds, Steps: res.Steps}
	if n := len(res.Losses); n > 0 {
		s.FinalLoss = res.Losses[n-1]
	}
	return s
}

// Results names the files Finish writes.
var Results = []string{"metrics.json", "model.npz", "predictions.png"}

// Prepare checks, before any work, that the results and the CPU profile
// can be written (CheckOut; the profile's folder must exist).
func (c *Common) Prepare() error {
	if c.CPUProfile != "" {
		if info, err := os.Stat(filepath.Dir(c.CPUProfile)); err != nil || !info.IsDir() {
			return fmt.Errorf("-cpuprofile %s: its folder does not exist", c.CPUProfile)
		}
	}
	return CheckOut(c.Out, Results)
}

// Finish writes metrics.json (metrics, indented), model.npz (sd) and
// predictions.png (png) to c.Out as one group (WriteAll), then fails if
// the model's MSE is above c.Bound times the baseline's.
func Finish(c *Common, s Scores, metrics any, sd map[string]*convlstm.Tensor, png []byte) error {
	js, err := json.MarshalIndent(metrics, "", "  ")
	if err != nil {
		return err
	}
	err = WriteAll(c.Out, []Output{
		Bytes(Results[0], append(js, '\n')),
		{Name: Results[1], Write: func(w io.Writer) error { return npz.Encode(w, sd) }},
		Bytes(Results[2], png),
	})
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s/{metrics.json, model.npz, predictions.png}\n", c.Out)
	if !(s.Ratio <= c.Bound) {
		return fmt.Errorf("model MSE %.5f is %.3f x the baseline's %.5f: above the %g bound", s.ModelMSE, s.Ratio, s.BaselineMSE, c.Bound)
	}
	return nil
}
