package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
	"example.com/convlstm/convlstm/optim"
	"example.com/convlstm/convlstm/seq2seq"
)

// TestMain runs the command itself when TRAIN_MNIST_ARGS is set (the
// subprocess of TestSIGINT). The tests read small idx files of made-up
// digits through MNIST_DIR (the real ones are movingmnist's tests'
// business): loading MNIST's 70000 digits under the race detector would
// take most of the test time.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("TRAIN_MNIST_ARGS"); ok {
		os.Args = append(os.Args[:1], strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "train-mnist-digits-")
	if err != nil {
		panic(err)
	}
	if err := writeDigits(dir); err != nil {
		panic(err)
	}
	os.Setenv("MNIST_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// writeDigits writes the four MNIST file names with 40 training and 20
// test digits of pseudo-random strokes, gzipped idx as MNIST's are.
func writeDigits(dir string) error {
	for _, f := range []struct {
		prefix string
		n      int
	}{{"train", 40}, {"t10k", 20}} {
		pix := make([]byte, f.n*28*28)
		for i := range pix {
			if (i*7919)%11 < 2 {
				pix[i] = byte(i * 37)
			}
		}
		labels := make([]byte, f.n)
		for i := range labels {
			labels[i] = byte(i % 10)
		}
		for name, body := range map[string][]byte{
			f.prefix + "-images-idx3-ubyte.gz": idx([]uint32{uint32(f.n), 28, 28}, pix),
			f.prefix + "-labels-idx1-ubyte.gz": idx([]uint32{uint32(f.n)}, labels),
		} {
			var b bytes.Buffer
			z := gzip.NewWriter(&b)
			z.Write(body)
			z.Close()
			if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// idx encodes an idx file of unsigned bytes.
func idx(dims []uint32, data []byte) []byte {
	b := []byte{0, 0, 8, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// tiny is a small run: 32x32 frames, 3 in and 3 predicted, one layer of 4.
func tiny() Config {
	return Config{Size: 32, In: 3, Out: 3, Batch: 2, Kernel: 3, Patch: 4, EvalSequences: 4, Hidden: []int{4},
		LR: 1e-2, ClipNorm: 1, BudgetSeconds: 1e9, Bound: 1e9, Seed: 1}
}

const tinyArgs = "-size 32 -in 3 -out-frames 3 -batch 2 -hidden 4 -eval 4 -bound 1e9"

func runTiny(t *testing.T, ctx context.Context, dir string, steps int) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(ctx, dir, tiny(), runOpts{MaxSteps: steps, Every: 1e9}, &stdout, &stderr)
	if err == nil && !strings.Contains(stderr.String(), "\rtrain-mnist [") {
		t.Errorf("no progress bar on stderr: %q", stderr.String())
	}
	return stdout.String(), err
}

func readModel(t *testing.T, path string) map[string]*convlstm.Tensor {
	t.Helper()
	sd, err := npz.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return sd
}

// Two steps, a stop, and two more steps from the checkpoint give the same
// weights, bit for bit, as four steps in one run: the checkpoint holds the
// weights, Adam's state and the position in the data.
func TestResumeMatchesUninterrupted(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	if _, err := runTiny(t, context.Background(), one, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := runTiny(t, context.Background(), two, 2); err != nil {
		t.Fatal(err)
	}
	out, err := runTiny(t, context.Background(), two, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "resuming from "+filepath.Join(two, "checkpoint.npz")+": step 2") {
		t.Errorf("the second run did not say it resumed from step 2:\n%s", out)
	}
	a, b := readModel(t, filepath.Join(one, "model.npz")), readModel(t, filepath.Join(two, "model.npz"))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("model.npz has %d and %d tensors", len(a), len(b))
	}
	for k, x := range a {
		if !slices.Equal(x.Data, b[k].Data) {
			t.Errorf("%s differs between 4 steps in one run and 2 + 2 resumed", k)
		}
	}
	for _, f := range []string{"metrics.json", "predictions.png", "checkpoint.npz"} {
		if _, err := os.Stat(filepath.Join(two, f)); err != nil {
			t.Error(err)
		}
	}
	// A finished run resumes and only re-evaluates.
	out, err = runTiny(t, context.Background(), two, 4)
	if err != nil || !strings.Contains(out, "step 4") {
		t.Errorf("third run: %v\n%s", err, out)
	}
}

// A cancelled run (what SIGINT does) writes the checkpoint of where it
// stopped, returns errInterrupted, and writes no metrics.
func TestInterruptWritesCheckpoint(t *testing.T) {
	dir := t.TempDir()
	if _, err := runTiny(t, context.Background(), dir, 2); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "metrics.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := runTiny(t, ctx, dir, 10)
	if !errors.Is(err, errInterrupted) || !strings.Contains(err.Error(), "after step 2") {
		t.Fatalf("cancelled run: got %v, want errInterrupted after step 2", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "metrics.json")); !os.IsNotExist(err) {
		t.Errorf("an interrupted run wrote metrics.json (%v)", err)
	}
	m, _ := seq2seq.NewModel(seq2seq.Config{Hidden: []int{4}, Patch: 4}, 1)
	p, err := loadCheckpoint(filepath.Join(dir, "checkpoint.npz"), m, optim.NewAdam(), tiny())
	if err != nil || p.Steps != 2 || p.NextSeq != 4 {
		t.Errorf("checkpoint after the interrupt: %+v, %v; want step 2, next sequence 4", p, err)
	}
}

// A checkpoint of other settings, or a damaged one, is refused with an
// error that says why, and nothing is overwritten.
func TestCheckpointErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := runTiny(t, context.Background(), dir, 1); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "checkpoint.npz")
	good, _ := os.ReadFile(ckpt)
	c := tiny()
	c.Batch = 3
	if err := run(context.Background(), dir, c, runOpts{MaxSteps: 2, Every: 1e9}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "-fresh") {
		t.Errorf("another batch size: got %v, want an error that names -fresh", err)
	}
	c = tiny()
	c.Hidden = []int{5}
	if err := run(context.Background(), dir, c, runOpts{MaxSteps: 2, Every: 1e9}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "-hidden") {
		t.Errorf("another model: got %v, want an error that names -hidden", err)
	}
	if now, _ := os.ReadFile(ckpt); !bytes.Equal(now, good) {
		t.Error("a refused resume changed checkpoint.npz")
	}
	os.WriteFile(ckpt, good[:len(good)/2], 0o644)
	if _, err := runTiny(t, context.Background(), dir, 2); err == nil {
		t.Error("a truncated checkpoint: no error")
	}
	// -fresh starts again and replaces it.
	if err := run(context.Background(), dir, tiny(), runOpts{MaxSteps: 1, Every: 1e9, Fresh: true}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("-fresh over a damaged checkpoint: %v", err)
	}
}

// The command as a user runs it: SIGINT during training exits with 130,
// says where the checkpoint is, and a second run resumes from it.
func TestSIGINT(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRAIN_MNIST_ARGS=-out "+dir+" -seconds 300 -checkpoint-every 1000 "+tinyArgs)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = &bytes.Buffer{}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the progress bar (drawn after the first step), then press
	// Ctrl-C.
	r := bufio.NewReader(stderr)
	var seen strings.Builder
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(seen.String(), "\rtrain-mnist [") {
		b, err := r.ReadByte()
		if err != nil || time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress before %v (%v): %q", deadline, err, seen.String())
		}
		seen.WriteByte(b)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := bufio.NewReader(r).ReadString(0)
	seen.WriteString(rest)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit status 130; stderr %q", err, seen.String())
	}
	if !strings.Contains(seen.String(), "checkpoint written to "+filepath.Join(dir, "checkpoint.npz")) {
		t.Errorf("stderr does not say where the checkpoint is: %q", seen.String())
	}
	m, _ := seq2seq.NewModel(seq2seq.Config{Hidden: []int{4}, Patch: 4}, 1)
	p, err := loadCheckpoint(filepath.Join(dir, "checkpoint.npz"), m, optim.NewAdam(), tiny())
	if err != nil || p.Steps < 1 {
		t.Fatalf("checkpoint after SIGINT: %+v, %v; want at least 1 step", p, err)
	}
	out, err := runTiny(t, context.Background(), dir, p.Steps+1)
	if err != nil || !strings.Contains(out, "resuming from") {
		t.Errorf("resume after SIGINT: %v\n%s", err, out)
	}
}
