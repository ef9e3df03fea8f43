# `make train-seq2seq`: train the encoder-forecaster ConvLSTM (paper §3.3,
# Fig. 3) on moving shapes, predicting 10 frames from 10, for a bounded
# time (TRAIN_SEQ2SEQ_SECONDS of training, under 5 minutes in all on 2
# cores), then evaluate it on held-out sequences against copy-last-frame
# over all 10 predicted frames. Writes build/train-seq2seq/{metrics.json,
# model.npz, predictions.png}; fails if the model's MSE is above 0.8x the
# baseline's. `make goldens-seq2seq` regenerates its PyTorch golden cases.
# See convlstm/seq2seq/README.md.

GO ?= go
PY ?= /usr/bin/python3
TRAIN_SEQ2SEQ_SECONDS ?= 200
TRAIN_SEQ2SEQ_FLAGS ?=

.PHONY: train-seq2seq goldens-seq2seq
train-seq2seq:
	@mkdir -p build/train-seq2seq
	$(GO) build -o build/train-seq2seq/train-seq2seq ./convlstm/seq2seq/cmd/train-seq2seq
	./build/train-seq2seq/train-seq2seq -out build/train-seq2seq -seconds $(TRAIN_SEQ2SEQ_SECONDS) $(TRAIN_SEQ2SEQ_FLAGS)

# Regenerate testdata/golden_seq2seq with PyTorch (committed; tests need no
# Python). A rerun gives byte-identical files.
goldens-seq2seq:
	$(PY) testdata/gen_golden_seq2seq.py
