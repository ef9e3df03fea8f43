#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Golden data for the Go encoder-forecaster (convlstm/seq2seq), written by PyTorch.

The model (Shi et al., 2015, section 3.3 and Fig. 3)
----------------------------------------------------
"The encoding network compresses the whole input sequence into a hidden state
tensor and the forecasting network unfolds this hidden state to give the final
prediction."  Here:

    frames (B, J, C, H, W)
      -> space-to-depth, p x p patches       (B, J, C*p*p, H/p, W/p)
      -> encoder  ConvLSTM (return_all_layers)  its last (h, c) of every layer
      -> forecaster ConvLSTM, same depth and hidden sizes, started from those
         states, run K steps on an all-zero one-channel input
      -> every layer's outputs concatenated along channels (B, K, sum(hidden), h, w)
      -> 1x1 conv to C*p*p channels, sigmoid, depth-to-space -> (B, K, C, H, W)

`EncoderForecaster` below is the PyTorch twin of the Go model; its
state_dict names (encoder.cell_list.<l>.conv.*, forecaster.cell_list.<l>.conv.*,
head.weight, head.bias) are the Go model's StateDict keys.  The ConvLSTM class is
imported from gen_golden.py (the seed's classes), and so are its helpers that
write deterministic .npz files.

What this script does
---------------------
For every case in CASES it seeds PyTorch, builds the twin, multiplies every
parameter by gen_golden.WEIGHT_SCALE (4: wide gate pre-activations, see
testdata/README.md), draws frames and targets in [0, 1) (torch.rand, in that
order), runs the forward and one backward of

    loss = sum((pred - target)^2)          (a sum, not a mean: larger gradients)

and writes testdata/golden_seq2seq/<case>/:

    config.json   the case's sizes
    tensors.npz   frames, targets, every parameter (state_dict names), the
                  encoder's last states (encoder_last_state.<l>.h/.c) and the
                  predictions (B, K, C, H, W)
    grads.npz     loss (shape (1,)), grad.frames and grad.<parameter> for
                  every parameter

The gradients flow through the head, BPTT over the forecaster, into the
encoder's last states and BPTT over the encoder: the encoder's weights get
their gradient only that way.

Usage (from the repository root, with Debian's interpreter, which has torch)::

    /usr/bin/python3 testdata/gen_golden_seq2seq.py           # (re)write all cases, then check
    /usr/bin/python3 testdata/gen_golden_seq2seq.py --check   # only verify the committed files

One thread, fixed zip timestamps: a rerun gives byte-identical files.
"""

import argparse
import io
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The seed's classes and the deterministic .npz writer (gen_golden.py runs
# nothing on import: its main is behind `if __name__ == '__main__'`).
from gen_golden import ConvLSTM, WEIGHT_SCALE, savez_deterministic, to_np  # noqa: E402

GOLDEN = os.path.join(HERE, 'golden_seq2seq')


class EncoderForecaster(nn.Module):
    """The encoder-forecaster of the paper (Fig. 3), the twin of seq2seq.Model."""

    def __init__(self, channels, hidden, kernel, patch):
        super().__init__()
        self.channels, self.patch = channels, patch
        cp = channels * patch * patch          # channels of a patch frame
        n = len(hidden)
        # Keyword arguments: robust to options added to ConvLSTM later.
        self.encoder = ConvLSTM(input_dim=cp, hidden_dim=list(hidden), kernel_size=(kernel, kernel),
                                num_layers=n, batch_first=True, bias=True, return_all_layers=True)
        # The forecaster has no input: it reads one all-zero channel.
        self.forecaster = ConvLSTM(input_dim=1, hidden_dim=list(hidden), kernel_size=(kernel, kernel),
                                   num_layers=n, batch_first=True, bias=True, return_all_layers=True)
        self.head = nn.Conv2d(sum(hidden), cp, 1)

    def forward(self, frames, future):
        B, J, C, H, W = frames.shape                           # (B, J, C, H, W)
        p = self.patch
        h, w = H // p, W // p
        x = F.pixel_unshuffle(frames.reshape(B * J, C, H, W), p).reshape(B, J, C * p * p, h, w)
        _, states = self.encoder(x)                            # [(h, c)] per layer
        zeros = x.new_zeros(B, future, 1, h, w)                # (B, K, 1, h, w)
        outs, _ = self.forecaster(zeros, states)               # [(B, K, hid_l, h, w)]
        hcat = torch.cat(outs, dim=2)                          # (B, K, sum(hidden), h, w)
        z = self.head(hcat.reshape(B * future, -1, h, w))      # (B*K, C*p*p, h, w)
        pred = F.pixel_shuffle(torch.sigmoid(z), p)            # (B*K, C, H, W)
        return pred.reshape(B, future, C, H, W), states


# name, seed, channels, hidden, kernel, patch, B, J (frames in), K (frames out), H, W
CASES = [
    dict(name='l1_p1', seed=101, channels=1, hidden=[4], kernel=3, patch=1, B=2, J=3, K=3, H=6, W=5),
    dict(name='l2_p2', seed=102, channels=1, hidden=[4, 3], kernel=3, patch=2, B=2, J=4, K=3, H=8, W=6),
    dict(name='l2_p4_k5', seed=103, channels=1, hidden=[3, 5], kernel=5, patch=4, B=1, J=2, K=4, H=12, W=8),
    dict(name='l1_p2_c2', seed=104, channels=2, hidden=[5], kernel=3, patch=2, B=2, J=2, K=2, H=4, W=6),
]


def config_of(case):
    keys = ['channels', 'hidden', 'kernel', 'patch', 'B', 'J', 'K', 'H', 'W', 'seed']
    cfg = {k: case[k] for k in keys}
    cfg['loss'] = 'sum((pred - target)^2)'
    return cfg


def run_case(case):
    """Build the twin, run forward and backward; return (tensors, grads)."""
    torch.manual_seed(case['seed'])
    model = EncoderForecaster(case['channels'], case['hidden'], case['kernel'], case['patch'])
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(WEIGHT_SCALE)
    B, J, K, C, H, W = case['B'], case['J'], case['K'], case['channels'], case['H'], case['W']
    frames = torch.rand(B, J, C, H, W).requires_grad_(True)
    targets = torch.rand(B, K, C, H, W)
    pred, states = model(frames, K)
    loss = ((pred - targets) ** 2).sum()
    loss.backward()

    tensors = {'frames': to_np(frames), 'targets': to_np(targets), 'predictions': to_np(pred)}
    for k, v in model.state_dict().items():
        tensors[k] = to_np(v)
    for l, (h, c) in enumerate(states):
        tensors['encoder_last_state.%d.h' % l] = to_np(h)
        tensors['encoder_last_state.%d.c' % l] = to_np(c)
    grads = {'loss': np.array([loss.item()], dtype=np.float32), 'grad.frames': to_np(frames.grad)}
    for k, p in model.named_parameters():
        grads['grad.' + k] = to_np(p.grad)
    return tensors, grads


def write_case(case, root):
    d = os.path.join(root, case['name'])
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    tensors, grads = run_case(case)
    with open(os.path.join(d, 'config.json'), 'w') as f:
        json.dump(config_of(case), f, indent=2, sort_keys=True)
        f.write('\n')
    savez_deterministic(os.path.join(d, 'tensors.npz'), tensors)
    savez_deterministic(os.path.join(d, 'grads.npz'), grads)
    return tensors, grads


def check(root):
    """Regenerate every case into a temporary folder and compare bytes."""
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            tensors, grads = write_case(case, tmp)
            for fname in ['config.json', 'tensors.npz', 'grads.npz']:
                a = os.path.join(root, case['name'], fname)
                b = os.path.join(tmp, case['name'], fname)
                same = os.path.exists(a) and open(a, 'rb').read() == open(b, 'rb').read()
                if not same:
                    print('%s/%s: differs from a fresh run' % (case['name'], fname))
                    bad += 1
            g = np.abs(np.concatenate([v.ravel() for k, v in grads.items() if k.startswith('grad.')]))
            print('%-10s hidden %-7s patch %d  B %d J %d K %d  %2dx%-2d  loss %9.4f  pred in [%.3f, %.3f]  max|grad| %.3g'
                  % (case['name'], case['hidden'], case['patch'], case['B'], case['J'], case['K'],
                     case['H'], case['W'], grads['loss'][0], tensors['predictions'].min(),
                     tensors['predictions'].max(), g.max()))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--check', action='store_true', help='only verify the committed files')
    args = ap.parse_args()
    torch.set_num_threads(1)  # one thread: a fixed summation order, identical bits
    if not args.check:
        os.makedirs(GOLDEN, exist_ok=True)
        names = {c['name'] for c in CASES}
        for d in os.listdir(GOLDEN):
            if d not in names and os.path.isdir(os.path.join(GOLDEN, d)):
                shutil.rmtree(os.path.join(GOLDEN, d))
        for case in CASES:
            write_case(case, GOLDEN)
    bad = check(GOLDEN)
    print('%d cases in %s: %s' % (len(CASES), os.path.relpath(GOLDEN),
                                  'all byte-identical to a fresh run' if bad == 0 else '%d files differ' % bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
