"""Time the benchmarks of `make bench` in PyTorch on the CPU: the three forward
passes, one training step on the same shapes, and the next-frame model's
training step rate at 16x16 and 64x64.

The model is the seed's ConvLSTM as testdata/gen_golden.py defines it; the
shapes and the FLOP count are those of benchshape.Bench (convlstm/benchshape):
FLOPs = sum over layers of 2*(cin+hid)*4*hid*kh*kw*H*W*B*T.  Prints one line
per shape in the format of `go test -bench`, best of --reps runs after a
warm-up, so convlstm/internal/benchtable can put it beside the Go numbers.

    /usr/bin/python3 testdata/bench_torch.py [--threads 2] [--reps 5]
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_golden import ConvLSTM  # noqa: E402  (the seed's model)

SHAPES = [
    # name, B, T, C, H, W, hidden, kernel, batch_first
    ('mnist', 4, 10, 1, 64, 64, [16, 16], (3, 3), True),
    ('wide', 2, 10, 3, 32, 32, [64, 64], (5, 5), False),
    ('deep', 4, 10, 64, 64, 64, [16], (3, 3), False),
]


def flops(b, t, c, h, w, hidden, k):
    total, cin = 0, c
    for hid in hidden:
        total += 2 * (cin + hid) * 4 * hid * k[0] * k[1] * h * w * b * t
        cin = hid
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reps', type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print('# torch %s, %d threads, best of %d' % (torch.__version__, torch.get_num_threads(), args.reps))
    for name, b, t, c, h, w, hidden, k, bf in SHAPES:
        model = ConvLSTM(c, hidden, k, len(hidden), batch_first=bf, bias=True, return_all_layers=False).eval()
        x = torch.rand((b, t, c, h, w) if bf else (t, b, c, h, w)) * 2 - 1
        best = None
        with torch.no_grad():
            model(x)  # warm-up
            for _ in range(args.reps):
                start = time.perf_counter()
                model(x)
                d = time.perf_counter() - start
                best = d if best is None or d < best else best
        print('BenchmarkTorch/%s\t1\t%d ns/op\t%.2f GFLOP/s' % (name, best * 1e9, flops(b, t, c, h, w, hidden, k) / best / 1e9))
        sys.stdout.flush()

    # One training step on the same shapes (BenchmarkTrainStep of
    # convlstm/bptt): forward with autograd recording, then backward of the
    # weights only (the input needs no gradient), loss = <output, grad>
    # with a fixed upstream gradient; FLOPs = 3x the forward's convolutions.
    for name, b, t, c, h, w, hidden, k, bf in SHAPES:
        model = ConvLSTM(c, hidden, k, len(hidden), batch_first=bf, bias=True, return_all_layers=False)
        x = torch.rand((b, t, c, h, w) if bf else (t, b, c, h, w)) * 2 - 1

        def step():
            model.zero_grad(set_to_none=True)
            out = model(x)[0][0]
            out.backward(out.detach())

        step()  # warm-up
        best = None
        for _ in range(args.reps):
            start = time.perf_counter()
            step()
            d = time.perf_counter() - start
            best = d if best is None or d < best else best
        print('BenchmarkTorchTrainStep/%s\t1\t%d ns/op\t%.2f GFLOP/s' % (name, best * 1e9, 3 * flops(b, t, c, h, w, hidden, k) / best / 1e9))
        sys.stdout.flush()

    # The next-frame model of `make train` (convlstm/train): hidden [16], 3x3,
    # a 1x1 conv head with a sigmoid, batch 16, 10 frames (9 in, 9 targets),
    # MSE, Adam (lr 1e-2), gradient norm clipped to 1; steps per second at
    # 16x16 and 64x64 frames (BenchmarkNextFrameStep in convlstm/train).
    for size in (16, 64):
        rnn = ConvLSTM(1, [16], (3, 3), 1, batch_first=True, bias=True, return_all_layers=False)
        head = torch.nn.Conv2d(16, 1, 1)
        params = list(rnn.parameters()) + list(head.parameters())
        opt = torch.optim.Adam(params, lr=1e-2)
        frames = torch.rand(16, 10, 1, size, size)

        def train_step():
            opt.zero_grad(set_to_none=True)
            hseq = rnn(frames[:, :9])[0][0]  # (B, 9, 16, H, W)
            B, T, C, H, W = hseq.shape
            pred = torch.sigmoid(head(hseq.reshape(B * T, C, H, W))).reshape(B, T, 1, H, W)
            loss = ((pred - frames[:, 1:]) ** 2).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()

        train_step()  # warm-up
        n = 20 if size == 16 else 3
        best = None
        for _ in range(max(1, args.reps // 2)):
            start = time.perf_counter()
            for _ in range(n):
                train_step()
            d = (time.perf_counter() - start) / n
            best = d if best is None or d < best else best
        print('BenchmarkTorchNextFrameStep/%dx%d\t1\t%d ns/op\t%.2f steps/s' % (size, size, best * 1e9, 1 / best))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
