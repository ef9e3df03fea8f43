# `make train`: train the next-frame ConvLSTM on moving shapes for a bounded
# time (TRAIN_SECONDS of training, well under 5 minutes in all on 2 cores),
# then evaluate it on held-out sequences against the copy-last-frame
# baseline. Writes build/train/{metrics.json, model.npz, predictions.png};
# fails if the model's MSE is above 0.7x the baseline's.
# See convlstm/train/README.md.

GO ?= go
TRAIN_SECONDS ?= 120
TRAIN_FLAGS ?=

.PHONY: train
train:
	@mkdir -p build/train
	$(GO) build -o build/train/train ./convlstm/train/cmd/train
	./build/train/train -out build/train -seconds $(TRAIN_SECONDS) $(TRAIN_FLAGS)
