# The reference ConvLSTM for Go. `make help` lists the targets.
#
# Quick start (see README.md):
#   make notebooks   # installs Jupyter + the gophernotes kernel, runs every notebook, writes HTML
#   make test        # vet, gofmt, go test -race, golden cases, exercises, notebooks

SHELL := /bin/bash
GO ?= go
# Debian's interpreter: the one that has python3-torch and Jupyter.
PY ?= /usr/bin/python3

# Targets that `make test` runs; the fragments included below add theirs.
TEST_TARGETS := fmt-check vet unit unit-purego

.PHONY: help test fmt-check vet unit unit-purego goldens test-notebooks fuzz

help:
	@echo "make notebooks  install Jupyter + gophernotes + chromium, execute notebooks/*.ipynb (01-06, appendix A1), write build/notebooks/*.html (maths rendered offline)"
	@echo "make test       gofmt, go vet, go test -race ./... (golden cases), exercises, notebooks"
	@echo "make goldens    regenerate testdata/golden with PyTorch (installs python3-torch if missing)"
	@echo "make bench      naive vs fast GFLOP/s table;  make bench-torch: side by side with PyTorch"
	@echo "make exercises  progress table of the course exercises;  make exercise N=03"
	@echo "make lab        open the notebooks in Jupyter"
	@echo "make train      train the next-frame model on moving shapes (about 2 minutes)"
	@echo "make train-seq2seq  train the encoder-forecaster (10 frames in, 10 predicted; 3.4 minutes in a run on 2026-12-02);  make goldens-seq2seq: its PyTorch goldens"
	@echo "make train-mnist  the encoder-forecaster on Moving MNIST with real digits (12 minutes of training; resumable, Ctrl-C keeps the checkpoint)"
	@echo "make fuzz       fuzz the config validation, the .npz loader, the ops and cell step, fast vs readable forward and backward, a Trainer vs ForwardFast+BackwardStates, the idx reader, the moving-shapes settings (FUZZTIME=30s each)"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The unit tests, golden cases included, under the race detector.
unit:
	$(GO) test -race -count=1 ./...

# The fast path built with the portable Go kernels only (the `purego` tag
# turns the AVX2 and AVX-512 assembly off), so they too pass every golden case,
# forward and gradients.
unit-purego:
	$(GO) test -tags purego -count=1 ./convlstm/...

# Fuzz the validators, the .npz loader, the fast path against the
# readable one, and a Trainer (shapes changing, states fed back) against
# ForwardFast+BackwardStates, for FUZZTIME each (the seed corpora
# also run as ordinary tests in `make test`).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzConfig$$' -fuzztime $(FUZZTIME) ./convlstm
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./convlstm/npz
	$(GO) test -run '^$$' -fuzz '^FuzzOps$$' -fuzztime $(FUZZTIME) ./convlstm
	$(GO) test -run '^$$' -fuzz '^FuzzFastVsReadable$$' -fuzztime $(FUZZTIME) ./convlstm/fast
	$(GO) test -run '^$$' -fuzz '^FuzzBackwardFastVsReadable$$' -fuzztime $(FUZZTIME) ./convlstm/bptt
	$(GO) test -run '^$$' -fuzz '^FuzzTrainer$$' -fuzztime $(FUZZTIME) ./convlstm/bptt
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeIDX$$' -fuzztime $(FUZZTIME) ./convlstm/movingmnist
	$(GO) test -run '^$$' -fuzz '^FuzzConfig$$' -fuzztime $(FUZZTIME) ./convlstm/movingshapes

# Regenerate the PyTorch golden data (committed; tests need no Python).
goldens:
	@$(PY) -c 'import torch, numpy' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  command -v apt-get >/dev/null || { echo "need Debian's python3-torch and python3-numpy (apt-get not found)"; exit 1; }; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y python3-torch python3-numpy; }
	$(PY) testdata/gen_golden.py

-include notebooks/notebooks.mk
-include exercises/exercises.mk
-include convlstm/bench.mk
-include convlstm/train.mk
-include convlstm/seq2seq.mk
-include convlstm/mnist.mk

# The notebooks run last: they need the set-up (Jupyter, the kernel) and are
# the slowest step. A cell that errs, a cell that did not run or a notebook
# without an image fails the check.
test-notebooks: notebooks
	@$(MAKE) --no-print-directory notebooks-check
TEST_TARGETS += test-notebooks

test: $(TEST_TARGETS)
	@echo "make test: all checks passed"
