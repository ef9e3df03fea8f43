"""Time the three benchmark forward passes of `make bench` in PyTorch on the CPU.

The model is the seed's ConvLSTM as testdata/gen_golden.py defines it; the
shapes and the FLOP count are those of bench.Configs (convlstm/internal/bench):
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


if __name__ == '__main__':
    main()
