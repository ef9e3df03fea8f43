# Benchmarks of the fast path (included by the top-level Makefile).
#
#   make bench        naive vs fast GFLOP/s per shape, with the FMA peak; the
#                     training step (GFLOP/s) and the next-frame model (steps/s);
#                     the cost ladder of the training step in H*W, T and hidden
#   make bench-torch  the same with PyTorch (CPU, 2 threads) measured in the same run
#
# The naive forward passes take seconds each: they run once (-benchtime 1x);
# the fast ones run BENCH_FAST_N times per count and the table keeps the best.

BENCH_FAST_N ?= 5
BENCH_COUNT ?= 3
BENCH_OUT := build/bench.txt

.PHONY: bench bench-torch bench-go bench-torch-deps

bench-go:
	@mkdir -p build
	@echo "running BenchmarkForward (naive once per shape, then fast) ..."
	@{ $(GO) test -run '^$$' -bench 'BenchmarkForward/naive' -benchtime 1x ./convlstm/fast && \
	   $(GO) test -run '^$$' -bench 'BenchmarkForward/fast' -benchtime $(BENCH_FAST_N)x -count $(BENCH_COUNT) ./convlstm/fast && \
	   $(GO) test -run '^$$' -bench 'BenchmarkPeak|BenchmarkGemm$$|BenchmarkFusedStep' -benchtime 1x ./convlstm/fast && \
	   $(GO) test -run '^$$' -bench 'BenchmarkTrainStep$$' -benchtime $(BENCH_FAST_N)x -count $(BENCH_COUNT) ./convlstm/bptt && \
	   $(GO) test -run '^$$' -bench 'BenchmarkNextFrameStep' -benchtime 3x -count $(BENCH_COUNT) ./convlstm/train && \
	   $(GO) test -run '^$$' -bench 'BenchmarkTrainLadder' -benchtime 3x -count 2 ./convlstm/bptt; } > $(BENCH_OUT)

bench: bench-go
	@$(GO) run ./convlstm/internal/benchtable < $(BENCH_OUT)

bench-torch-deps:
	@$(PY) -c 'import torch' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  command -v apt-get >/dev/null || { echo "need Debian's python3-torch (apt-get not found)"; exit 1; }; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y python3-torch python3-numpy; }

bench-torch: bench-torch-deps bench-go
	@echo "running the same forward passes in PyTorch (CPU, 2 threads) ..."
	@$(PY) testdata/bench_torch.py --threads 2 --reps 5 >> $(BENCH_OUT)
	@$(GO) test -run '^$$' -bench 'BenchmarkForward/fast' -benchtime $(BENCH_FAST_N)x -count 1 ./convlstm/fast >> $(BENCH_OUT)
	@$(GO) test -run '^$$' -bench 'BenchmarkTrainStep$$' -benchtime $(BENCH_FAST_N)x -count 1 ./convlstm/bptt >> $(BENCH_OUT)
	@$(GO) test -run '^$$' -bench 'BenchmarkNextFrameStep' -benchtime 3x -count 1 ./convlstm/train >> $(BENCH_OUT)
	@$(GO) run ./convlstm/internal/benchtable < $(BENCH_OUT)
