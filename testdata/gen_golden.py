#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Golden data for the Go port of ConvLSTM, written by PyTorch itself.

What this script does
---------------------
For every case in CASES below it

  1. seeds PyTorch (torch.manual_seed, one seed per case),
  2. builds the ConvLSTM model defined in this file (a faithful copy of the
     seed's ``convlstm.py``, see the two classes below), or for the peep_*
     cases PeepholeConvLSTM (the paper's peephole cell, written from its
     equations),
  3. scales the default-initialised weights up by WEIGHT_SCALE = 4 (see the note
     there), sets the peephole weights (if any) to U(-1, 1), draws an input
     (and, for some cases, an initial hidden state) from torch.randn,
  4. runs the forward pass and one backward pass of a simple loss, and
  5. writes everything to ``testdata/golden/<case>/`` as

        config.json   the constructor arguments, expanded to one entry per layer
        tensors.npz   input, weights, (hidden state), outputs and last states
        grads.npz     the upstream gradients used and the resulting gradients

The Go tests read these files; they need neither Python nor PyTorch.

Usage (run from the repository root, with Debian's interpreter, which has torch)::

    /usr/bin/python3 testdata/gen_golden.py           # (re)write all cases, then check them
    /usr/bin/python3 testdata/gen_golden.py --check   # only verify the committed files

Everything is float32, computed exactly as PyTorch computes it on the CPU,
single-threaded so that the summation order (and hence every bit) is the same
from one run to the next.  See testdata/README.md for the file format.
"""

import argparse
import json
import os
import shutil
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn


# ============================================================================
# The model: a faithful copy of ndrplz/ConvLSTM_pytorch convlstm.py
# ============================================================================
#
# The two classes below follow the seed line by line.  The only change is in
# ConvLSTM.forward: the seed raises NotImplementedError when a hidden_state is
# passed; here a list of (h, c) per layer is accepted and used as the initial
# state.  Everything else is kept, including the quirks the Go port must
# reproduce:
#   * outputs are always (B, T, C, H, W), even when batch_first=False;
#   * with return_all_layers=False both returned lists are cut to their last
#     element (length 1);
#   * kernel_size must be a tuple or a list of tuples (a bare int is rejected).


class ConvLSTMCell(nn.Module):
    """One ConvLSTM cell: a single time step of a single layer."""

    def __init__(self, input_dim, hidden_dim, kernel_size, bias):
        """
        Parameters
        ----------
        input_dim: int
            Number of channels of the input tensor (for layer 0 the number of
            channels of the data, for deeper layers the hidden_dim of the
            layer below).
        hidden_dim: int
            Number of channels of the hidden state h (and of the cell state c).
        kernel_size: (int, int)
            Size of the convolutional kernel (kh, kw).
        bias: bool
            Whether or not to add the bias.
        """
        super(ConvLSTMCell, self).__init__()

        self.input_dim = input_dim
        self.hidden_dim = hidden_dim

        self.kernel_size = kernel_size
        # "Same" padding: with an odd kernel, padding k//2 on each side keeps
        # the spatial size H x W unchanged, so h and c keep the input's size.
        # (With an even kernel the output grows by one pixel and the cell
        # fails later with a size mismatch: upstream issue #27.)
        self.padding = kernel_size[0] // 2, kernel_size[1] // 2
        self.bias = bias

        # ONE convolution computes all four gates at once.  It sees the input
        # and the previous hidden state stacked along the channel axis, and it
        # outputs 4 * hidden_dim channels: hidden_dim channels for each of the
        # gates i, f, o and for the candidate g.  That is why an LSTM cell has
        # four times as many output channels as its hidden state.
        self.conv = nn.Conv2d(in_channels=self.input_dim + self.hidden_dim,
                              out_channels=4 * self.hidden_dim,
                              kernel_size=self.kernel_size,
                              padding=self.padding,
                              bias=self.bias)

    def forward(self, input_tensor, cur_state):
        # input_tensor: (B, input_dim, H, W), one time step (no T axis here).
        # cur_state:    [h_cur, c_cur], each (B, hidden_dim, H, W); at t = 0
        #               these come from init_hidden (zeros) or from the caller.
        h_cur, c_cur = cur_state

        # Concatenate along the channel axis: input channels first, then the
        # hidden channels.  A convolution, unlike a linear layer, does not
        # care about the spatial layout here; only the channel counts must
        # match the weight.
        combined = torch.cat([input_tensor, h_cur], dim=1)  # (B, input_dim + hidden_dim, H, W)

        combined_conv = self.conv(combined)                 # (B, 4 * hidden_dim, H, W)
        # Split the 4 * hidden_dim channels into the four gates, in this
        # order: input gate i, forget gate f, output gate o, candidate g.
        cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
        i = torch.sigmoid(cc_i)  # (B, hidden_dim, H, W)
        f = torch.sigmoid(cc_f)
        o = torch.sigmoid(cc_o)
        g = torch.tanh(cc_g)

        c_next = f * c_cur + i * g         # next cell state
        h_next = o * torch.tanh(c_next)    # next hidden state

        return h_next, c_next

    def init_hidden(self, batch_size, image_size):
        # The initial (h, c): zeros of shape (B, hidden_dim, H, W), on the
        # same device as the weights.
        height, width = image_size
        return (torch.zeros(batch_size, self.hidden_dim, height, width, device=self.conv.weight.device),
                torch.zeros(batch_size, self.hidden_dim, height, width, device=self.conv.weight.device))


class ConvLSTM(nn.Module):
    """

    Parameters:
        input_dim: Number of channels in input
        hidden_dim: Number of hidden channels
        kernel_size: Size of kernel in convolutions
        num_layers: Number of LSTM layers stacked on each other
        batch_first: Whether or not dimension 0 is the batch or not
        bias: Bias or no bias in Convolution
        return_all_layers: Return the list of computations for all layers
        Note: Will do same padding.

    Input:
        A tensor of size B, T, C, H, W or T, B, C, H, W
    Output:
        A tuple of two lists of length num_layers (or length 1 if return_all_layers is False).
            0 - layer_output_list is the list of lists of length T of each output
            1 - last_state_list is the list of last states
                    each element of the list is a tuple (h, c) for hidden state and memory
    Example:
        >> x = torch.rand((32, 10, 64, 128, 128))
        >> convlstm = ConvLSTM(64, 16, 3, 1, True, True, False)
        >> _, last_states = convlstm(x)
        >> h = last_states[0][0]  # 0 for layer index, 0 for h index

    (Note: the example passes kernel_size=3, which _check_kernel_size_consistency
    rejects; it has to be written (3, 3).)
    """

    def __init__(self, input_dim, hidden_dim, kernel_size, num_layers,
                 batch_first=False, bias=True, return_all_layers=False):
        super(ConvLSTM, self).__init__()

        self._check_kernel_size_consistency(kernel_size)

        # Make sure that both `kernel_size` and `hidden_dim` are lists having len == num_layers:
        # the model loops num_layers times and needs one entry per layer.
        kernel_size = self._extend_for_multilayer(kernel_size, num_layers)
        hidden_dim = self._extend_for_multilayer(hidden_dim, num_layers)
        if not len(kernel_size) == len(hidden_dim) == num_layers:
            raise ValueError('Inconsistent list length.')

        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.kernel_size = kernel_size
        self.num_layers = num_layers
        self.batch_first = batch_first
        self.bias = bias
        # True: return the outputs and last states of every layer;
        # False: only those of the last layer.
        self.return_all_layers = return_all_layers

        cell_list = []
        for i in range(0, self.num_layers):
            # Layer 0 reads the data (input_dim channels); layer i > 0 reads
            # the hidden states of layer i-1 (hidden_dim[i-1] channels).
            cur_input_dim = self.input_dim if i == 0 else self.hidden_dim[i - 1]

            cell_list.append(ConvLSTMCell(input_dim=cur_input_dim,
                                          hidden_dim=self.hidden_dim[i],
                                          kernel_size=self.kernel_size[i],
                                          bias=self.bias))

        # nn.ModuleList registers the cells as sub-modules, so their weights
        # appear in state_dict() as cell_list.<i>.conv.weight / .bias.
        self.cell_list = nn.ModuleList(cell_list)

    def forward(self, input_tensor, hidden_state=None):
        """

        Parameters
        ----------
        input_tensor:
            5-D Tensor either of shape (t, b, c, h, w) or (b, t, c, h, w)
        hidden_state:
            None (start every layer from zeros), or a list with one (h, c)
            per layer, each of shape (b, hidden_dim[layer], h, w).
            [The seed raises NotImplementedError here; this is the one change.]

        Returns
        -------
        layer_output_list, last_state_list
        """
        if not self.batch_first:
            # (t, b, c, h, w) -> (b, t, c, h, w)
            input_tensor = input_tensor.permute(1, 0, 2, 3, 4)

        b, _, _, h, w = input_tensor.size()

        # Implement stateful ConvLSTM
        if hidden_state is not None:
            # CHANGE from the seed (which raises NotImplementedError): use
            # the caller's initial state, after checking it fits the model.
            hidden_state = self._check_hidden_state(hidden_state, b, h, w)
        else:
            # Since the init is done in forward. Can send image size here
            hidden_state = self._init_hidden(batch_size=b,
                                             image_size=(h, w))

        layer_output_list = []
        last_state_list = []

        seq_len = input_tensor.size(1)
        cur_layer_input = input_tensor

        # The loop is layer-major: the WHOLE sequence goes through layer 0,
        # then the whole sequence of layer-0 outputs goes through layer 1, ...
        for layer_idx in range(self.num_layers):

            # This layer's initial (h, c).
            h, c = hidden_state[layer_idx]
            output_inner = []
            for t in range(seq_len):
                h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :],
                                                 cur_state=[h, c])
                output_inner.append(h)  # keep every time step's h

            # Stack the T hidden states on dim 1: (b, t, hidden_dim, h, w),
            # the same layout as the (batch-first) input.  This 5-D tensor is
            # the input of the next layer.
            layer_output = torch.stack(output_inner, dim=1)
            cur_layer_input = layer_output

            layer_output_list.append(layer_output)
            # The state after the last time step, as a list [h, c].
            last_state_list.append([h, c])

        if not self.return_all_layers:
            # Keep only the last layer (lists of length 1).
            layer_output_list = layer_output_list[-1:]
            last_state_list = last_state_list[-1:]

        return layer_output_list, last_state_list

    def _init_hidden(self, batch_size, image_size):
        # One zero (h, c) per layer, built by each cell (ConvLSTMCell.init_hidden).
        init_states = []
        for i in range(self.num_layers):
            init_states.append(self.cell_list[i].init_hidden(batch_size, image_size))
        return init_states

    def _check_hidden_state(self, hidden_state, batch_size, height, width):
        # Part of the one change: validate a caller-supplied initial state.
        if len(hidden_state) != self.num_layers:
            raise ValueError('hidden_state must have one (h, c) per layer: got %d, want %d'
                             % (len(hidden_state), self.num_layers))
        states = []
        for i, state in enumerate(hidden_state):
            h, c = state
            want = (batch_size, self.hidden_dim[i], height, width)
            if tuple(h.shape) != want or tuple(c.shape) != want:
                raise ValueError('hidden_state[%d]: h %s, c %s, want %s'
                                 % (i, tuple(h.shape), tuple(c.shape), want))
            states.append((h, c))
        return states

    @staticmethod
    def _check_kernel_size_consistency(kernel_size):
        if not (isinstance(kernel_size, tuple) or
                (isinstance(kernel_size, list) and all([isinstance(elem, tuple) for elem in kernel_size]))):
            raise ValueError('`kernel_size` must be tuple or list of tuples')

    @staticmethod
    def _extend_for_multilayer(param, num_layers):
        # Anything that is not a list is repeated once per layer.
        if not isinstance(param, list):
            param = [param] * num_layers
        return param


# ============================================================================
# The peephole model: written from the paper, not from the seed
# ============================================================================
#
# Shi et al. 2015 (arXiv 1506.04214), eq. 3, with * the convolution and o the
# Hadamard (elementwise) product:
#
#   i_t = sigmoid(W_xi * X_t + W_hi * H_{t-1} + W_ci o C_{t-1} + b_i)
#   f_t = sigmoid(W_xf * X_t + W_hf * H_{t-1} + W_cf o C_{t-1} + b_f)
#   C_t = f_t o C_{t-1} + i_t o tanh(W_xc * X_t + W_hc * H_{t-1} + b_c)
#   o_t = sigmoid(W_xo * X_t + W_ho * H_{t-1} + W_co o C_t + b_o)
#   H_t = o_t o tanh(C_t)
#
# The convolutions are the seed's one conv over cat[x, h], split i, f, o, g
# (bias included).  W_ci, W_cf, W_co have one weight per hidden channel and
# pixel, (hidden_dim, H, W), so the model is built for one image size.  They
# are nn.Parameters, so they are in state_dict() (cell_list.<l>.W_ci, ...) and
# they train (automan000's version allocated plain tensors, which never do).
# The paper does not say how to initialise them: zeros, so that an untrained
# peephole cell is the seed's cell.


class PeepholeConvLSTMCell(ConvLSTMCell):
    """The seed's cell with the paper's peephole terms."""

    def __init__(self, input_dim, hidden_dim, kernel_size, bias, image_size):
        super(PeepholeConvLSTMCell, self).__init__(input_dim, hidden_dim, kernel_size, bias)
        height, width = image_size
        self.W_ci = nn.Parameter(torch.zeros(hidden_dim, height, width))
        self.W_cf = nn.Parameter(torch.zeros(hidden_dim, height, width))
        self.W_co = nn.Parameter(torch.zeros(hidden_dim, height, width))

    def forward(self, input_tensor, cur_state):
        h_cur, c_cur = cur_state                                  # H_{t-1}, C_{t-1}
        combined = torch.cat([input_tensor, h_cur], dim=1)
        cc_i, cc_f, cc_o, cc_g = torch.split(self.conv(combined), self.hidden_dim, dim=1)
        # (hidden_dim, H, W) * (B, hidden_dim, H, W) broadcasts over the batch.
        i = torch.sigmoid(cc_i + self.W_ci * c_cur)               # i_t
        f = torch.sigmoid(cc_f + self.W_cf * c_cur)               # f_t
        c_next = f * c_cur + i * torch.tanh(cc_g)                 # C_t
        o = torch.sigmoid(cc_o + self.W_co * c_next)              # o_t: the NEW state
        h_next = o * torch.tanh(c_next)                           # H_t
        return h_next, c_next


class PeepholeConvLSTM(ConvLSTM):
    """ConvLSTM whose cells are PeepholeConvLSTMCell, for frames of image_size (H, W)."""

    def __init__(self, input_dim, hidden_dim, kernel_size, num_layers, image_size,
                 batch_first=False, bias=True, return_all_layers=False):
        super(PeepholeConvLSTM, self).__init__(input_dim, hidden_dim, kernel_size, num_layers,
                                               batch_first, bias, return_all_layers)
        # Replace the seed's cells (their convs were drawn and are dropped;
        # the new cells draw their own, in the same order).
        self.cell_list = nn.ModuleList([
            PeepholeConvLSTMCell(c.input_dim, c.hidden_dim, c.kernel_size, c.bias, image_size)
            for c in self.cell_list])


# ============================================================================
# The cases
# ============================================================================
#
# Each case: a name (the folder), a seed, the constructor arguments exactly as
# they are passed to ConvLSTM (so a single tuple kernel / int hidden_dim also
# exercises _extend_for_multilayer), the data sizes, and whether an initial
# hidden state is passed to forward.
#
# Sizes are kept SMALL: the Go tests run a naive convolution under -race.
# The forward cost of a case, in multiply-adds, is
#     sum over layers l of  T * B * H * W * (4*hid_l) * (in_l + hid_l) * kh_l * kw_l
# and the backward pass costs about twice that; MAX_TOTAL_MACS bounds the sum.

MAX_TOTAL_MACS = 2_000_000   # forward + backward (~3x forward) per case

# Default nn.Conv2d init is U(-1/sqrt(fan_in), 1/sqrt(fan_in)).  With it the
# gate pre-activations (the conv outputs) of these small cases have a standard
# deviation of only 0.2 ... 0.4 (the hidden half of the conv input is h, which
# is well inside (-1, 1)), so every sigmoid sits near 0.5 and a port that
# mixes up the gate order, or sigmoid and tanh, could still look almost right.
# Scaling all weights and biases by 4 spreads the pre-activations to a std of
# about 0.7 ... 1.7 (most sigmoids well away from 0.5, almost none saturated:
# the summary table prints the numbers).  A power of two keeps the scaling
# exact in float32: golden weight / 4 is exactly PyTorch's init for the seed.
WEIGHT_SCALE = 4.0

NAN, INF = float('nan'), float('inf')

CASES = [
    # --- one layer -----------------------------------------------------------
    dict(name='l1_k3x3_bf', seed=101,
         input_dim=3, hidden_dim=4, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=6, W=6, with_hidden_state=False),
    dict(name='l1_k1x1_tf', seed=102,
         input_dim=3, hidden_dim=5, kernel_size=(1, 1), num_layers=1,
         batch_first=False, bias=True, return_all_layers=False,
         B=2, T=4, H=5, W=7, with_hidden_state=False),
    dict(name='l1_k5x3_nobias_h7w5', seed=103,
         input_dim=2, hidden_dim=4, kernel_size=(5, 3), num_layers=1,
         batch_first=True, bias=False, return_all_layers=False,
         B=2, T=3, H=7, W=5, with_hidden_state=False),
    dict(name='l1_k3x5_b1_h5w8_rall', seed=104,
         input_dim=2, hidden_dim=3, kernel_size=(3, 5), num_layers=1,
         batch_first=True, bias=True, return_all_layers=True,
         B=1, T=4, H=5, W=8, with_hidden_state=False),
    dict(name='l1_t1_hs_tf', seed=105,
         input_dim=3, hidden_dim=4, kernel_size=(3, 3), num_layers=1,
         batch_first=False, bias=True, return_all_layers=False,
         B=3, T=1, H=5, W=6, with_hidden_state=True),
    dict(name='l1_k3x3_h1w9_in1', seed=106,    # a one-pixel-high image: padding on both sides of every row
         input_dim=1, hidden_dim=2, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=4, H=1, W=9, with_hidden_state=False),
    dict(name='l1_hid16_hs_tf', seed=107,      # hid >= 16: the Go fast path's conv-by-taps kernel
         input_dim=2, hidden_dim=16, kernel_size=(3, 3), num_layers=1,
         batch_first=False, bias=True, return_all_layers=False,
         B=2, T=2, H=3, W=5, with_hidden_state=True),
    # --- two layers ----------------------------------------------------------
    dict(name='l2_k3x3_rall', seed=201,
         input_dim=3, hidden_dim=[4, 6], kernel_size=(3, 3), num_layers=2,
         batch_first=True, bias=True, return_all_layers=True,
         B=2, T=3, H=6, W=5, with_hidden_state=False),
    dict(name='l2_k5x3_k3x5_tf_nobias', seed=202,
         input_dim=2, hidden_dim=[3, 4], kernel_size=[(5, 3), (3, 5)], num_layers=2,
         batch_first=False, bias=False, return_all_layers=False,
         B=2, T=3, H=7, W=6, with_hidden_state=False),
    dict(name='l2_hs_rall', seed=203,
         input_dim=4, hidden_dim=[5, 3], kernel_size=[(3, 3), (1, 1)], num_layers=2,
         batch_first=True, bias=True, return_all_layers=True,
         B=2, T=3, H=5, W=5, with_hidden_state=True),
    dict(name='l2_hs_tf_last', seed=204,
         input_dim=3, hidden_dim=4, kernel_size=(3, 3), num_layers=2,
         batch_first=False, bias=True, return_all_layers=False,
         B=2, T=2, H=4, W=6, with_hidden_state=True),
    dict(name='l2_k5x5_hid8_b1', seed=205,
         input_dim=2, hidden_dim=[8, 2], kernel_size=[(5, 5), (3, 3)], num_layers=2,
         batch_first=True, bias=True, return_all_layers=True,
         B=1, T=2, H=5, W=6, with_hidden_state=False),
    # --- three layers --------------------------------------------------------
    dict(name='l3_mixed_hs_rall', seed=301,
         input_dim=2, hidden_dim=[4, 8, 3], kernel_size=[(3, 3), (1, 1), (5, 3)], num_layers=3,
         batch_first=True, bias=True, return_all_layers=True,
         B=2, T=3, H=6, W=5, with_hidden_state=True),
    dict(name='l3_k3x3_last', seed=302,
         input_dim=3, hidden_dim=[6, 4, 2], kernel_size=(3, 3), num_layers=3,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=5, W=5, with_hidden_state=False),
    dict(name='l3_mixed_tf_nobias_rall', seed=303,
         input_dim=2, hidden_dim=[3, 5, 4], kernel_size=[(3, 5), (5, 3), (1, 1)], num_layers=3,
         batch_first=False, bias=False, return_all_layers=True,
         B=2, T=3, H=4, W=7, with_hidden_state=False),
    dict(name='l3_k1x1_b1_t1_hs_tf', seed=304,
         input_dim=3, hidden_dim=[2, 4, 3], kernel_size=(1, 1), num_layers=3,
         batch_first=False, bias=True, return_all_layers=True,
         B=1, T=1, H=3, W=4, with_hidden_state=True),
    # --- the docstring example, scaled down ----------------------------------
    # ConvLSTM(64, 16, 3, 1, True, True, False) on x = (32, 10, 64, 128, 128)
    # becomes ConvLSTM(8, 4, (3, 3), 1, True, True, False) on x = (2, 3, 8, 6, 6).
    dict(name='seed_docstring', seed=0,
         input_dim=8, hidden_dim=4, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=6, W=6, with_hidden_state=False),
    # --- non-finite values ---------------------------------------------------
    # PyTorch propagates NaN and infinities by IEEE rules (NaN in, NaN out;
    # 0 * Inf = NaN; Inf - Inf = NaN); the port must do the same on every
    # path.  These cases overwrite a few values after all the random draws
    # (so the draws are those of a finite case with the same seed), listed
    # in 'nonfinite' as (index, value) for the input (indices in the input's
    # own layout) and (layer, 'h' or 'c', index, value) for the hidden state.
    #
    # nf_nan_input: NaN in batch item 0 only, one at an edge pixel.  Item 1
    # stays finite in the forward and in grad.input; the weight gradients
    # sum over both items, so they are NaN.
    dict(name='nf_nan_input', seed=401,
         input_dim=2, hidden_dim=3, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=7, W=8, with_hidden_state=False,
         nonfinite=dict(input=[((0, 1, 0, 3, 2), NAN), ((0, 2, 1, 0, 7), NAN)])),
    # nf_inf_input: +Inf and -Inf in a time-first input, one pair side by
    # side (a conv window over both sums +Inf and -Inf: NaN).  Infinite gate
    # pre-activations saturate the gates (sigmoid 0 or 1, tanh -1 or 1), so
    # much of the forward stays finite, while the backward multiplies
    # infinite inputs by gradients that are exactly 0 there (NaN).
    dict(name='nf_inf_input', seed=402,
         input_dim=3, hidden_dim=4, kernel_size=(3, 3), num_layers=1,
         batch_first=False, bias=True, return_all_layers=False,
         B=2, T=3, H=6, W=7, with_hidden_state=False,
         nonfinite=dict(input=[((0, 0, 0, 2, 3), INF), ((1, 1, 2, 5, 0), -INF),
                               ((2, 0, 1, 1, 1), INF), ((2, 0, 1, 1, 2), -INF)])),
    # nf_inf_input_finite_fwd: one +Inf and one -Inf, in different channels
    # and steps.  The forward stays finite (the gates in their windows
    # saturate), but there the gate gradients are exactly 0, and the weight
    # gradient of their channels sums 0 * Inf = NaN; the other channels'
    # weight gradients, the bias gradient and grad.input stay finite.
    dict(name='nf_inf_input_finite_fwd', seed=404,
         input_dim=2, hidden_dim=[4, 3], kernel_size=(3, 3), num_layers=2,
         batch_first=True, bias=True, return_all_layers=False,
         B=1, T=2, H=6, W=6, with_hidden_state=False,
         nonfinite=dict(input=[((0, 0, 1, 1, 1), INF), ((0, 1, 0, 4, 4), -INF)])),
    # nf_inf_state_hs: infinite c (f * Inf stays infinite, tanh(c) = +-1, so h
    # stays finite), an infinite h (infinite gate pre-activations in its
    # window) and a NaN c in the second layer.
    dict(name='nf_inf_state_hs', seed=403,
         input_dim=2, hidden_dim=[3, 2], kernel_size=[(3, 3), (1, 1)], num_layers=2,
         batch_first=True, bias=True, return_all_layers=True,
         B=2, T=2, H=5, W=5, with_hidden_state=True,
         nonfinite=dict(hidden_state=[(0, 'c', (0, 1, 2, 2), INF), (0, 'c', (1, 0, 0, 4), -INF),
                                      (0, 'h', (1, 2, 3, 1), INF), (1, 'c', (0, 0, 1, 1), NAN)])),
    # --- the peephole cell (Shi et al. 2015, eq. 3) ---------------------------
    # 'peephole': True builds PeepholeConvLSTM for the case's (H, W); after the
    # x4 scaling every W_ci, W_cf, W_co (zero at init) is set to U(-1, 1), so
    # that the peephole terms matter in every number.
    dict(name='peep_l1_k3x3_bf', seed=501, peephole=True,
         input_dim=3, hidden_dim=4, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=6, W=5, with_hidden_state=False),
    dict(name='peep_l1_hid16_hs_tf', seed=502, peephole=True,    # the Go fast path's taps kernel
         input_dim=2, hidden_dim=16, kernel_size=(3, 3), num_layers=1,
         batch_first=False, bias=True, return_all_layers=False,
         B=2, T=2, H=3, W=5, with_hidden_state=True),
    dict(name='peep_l1_h12w16_in1', seed=503, peephole=True,     # 192 pixels: several tiles of the fast path
         input_dim=1, hidden_dim=3, kernel_size=(3, 3), num_layers=1,
         batch_first=True, bias=True, return_all_layers=False,
         B=2, T=3, H=12, W=16, with_hidden_state=False),
    dict(name='peep_l2_hs_tf_rall', seed=504, peephole=True,
         input_dim=2, hidden_dim=[4, 3], kernel_size=[(3, 3), (1, 1)], num_layers=2,
         batch_first=False, bias=True, return_all_layers=True,
         B=2, T=3, H=5, W=6, with_hidden_state=True),
    dict(name='peep_l2_k5x3_k3x5_nobias_hs', seed=505, peephole=True,
         input_dim=2, hidden_dim=[3, 5], kernel_size=[(5, 3), (3, 5)], num_layers=2,
         batch_first=True, bias=False, return_all_layers=False,
         B=1, T=4, H=7, W=5, with_hidden_state=True),
    dict(name='peep_l3_mixed_rall', seed=506, peephole=True,
         input_dim=2, hidden_dim=[4, 6, 2], kernel_size=[(3, 3), (1, 1), (3, 5)], num_layers=3,
         batch_first=True, bias=True, return_all_layers=True,
         B=2, T=3, H=4, W=7, with_hidden_state=False),
]


# ============================================================================
# Helpers
# ============================================================================

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'golden')


def expanded(case):
    """Per-layer lists of hidden_dim and kernel_size, as the model stores them."""
    n = case['num_layers']
    hid = case['hidden_dim'] if isinstance(case['hidden_dim'], list) else [case['hidden_dim']] * n
    ker = case['kernel_size'] if isinstance(case['kernel_size'], list) else [case['kernel_size']] * n
    return hid, [tuple(k) for k in ker]


def config_of(case):
    """The config.json content: constructor arguments, one entry per layer."""
    hid, ker = expanded(case)
    cfg = {
        'input_dim': case['input_dim'],
        'hidden_dim': hid,
        'kernel_size': [list(k) for k in ker],
        'num_layers': case['num_layers'],
        'batch_first': case['batch_first'],
        'bias': case['bias'],
        'return_all_layers': case['return_all_layers'],
        'with_hidden_state': case['with_hidden_state'],
    }
    if case.get('peephole'):
        cfg['peephole'] = True
        cfg['image_size'] = [case['H'], case['W']]
    return cfg


def forward_macs(case):
    """Multiply-adds of one forward pass (the convolutions only)."""
    hid, ker = expanded(case)
    total, cin = 0, case['input_dim']
    for l in range(case['num_layers']):
        kh, kw = ker[l]
        total += case['T'] * case['B'] * case['H'] * case['W'] * 4 * hid[l] * (cin + hid[l]) * kh * kw
        cin = hid[l]
    return total


def returned_layers(case):
    """Indices of the layers whose outputs the model returns."""
    n = case['num_layers']
    return list(range(n)) if case['return_all_layers'] else [n - 1]


def to_np(t):
    """A tensor as a float32, C-ordered numpy array."""
    return np.ascontiguousarray(t.detach().cpu().numpy(), dtype=np.float32)


def savez_deterministic(path, arrays):
    """Write `arrays` exactly as numpy.savez does (an uncompressed zip of
    <key>.npy files, zip64 forced), but with a fixed timestamp in the zip
    headers, so that regenerating unchanged data gives identical bytes and
    git sees no change."""
    with zipfile.ZipFile(path, mode='w', compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, val in arrays.items():
            info = zipfile.ZipInfo(key + '.npy', date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            with zf.open(info, 'w', force_zip64=True) as fid:
                np.lib.format.write_array(fid, np.ascontiguousarray(val), allow_pickle=False)


def build_model(case):
    """Seed, build the model from the case's constructor arguments, scale its weights."""
    torch.manual_seed(case['seed'])
    args = (case['input_dim'], case['hidden_dim'], case['kernel_size'], case['num_layers'])
    kwargs = dict(batch_first=case['batch_first'], bias=case['bias'],
                  return_all_layers=case['return_all_layers'])
    if case.get('peephole'):
        model = PeepholeConvLSTM(*args, image_size=(case['H'], case['W']), **kwargs)
    else:
        model = ConvLSTM(*args, **kwargs)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(WEIGHT_SCALE)
        # The peephole weights start at zero: give them values that matter
        # (drawn after the scaling, in state_dict order, before the input).
        for name, p in model.named_parameters():
            if '.W_c' in name:
                p.copy_(torch.rand_like(p) * 2 - 1)
    return model


def gate_spread(model, inp, hidden_state):
    """Standard deviation of all gate pre-activations (the conv outputs) and
    the fraction of sigmoid gates outside [0.4, 0.6]: evidence that the test
    is not passing with every gate sitting at 0.5."""
    pre = []
    hooks = [cell.conv.register_forward_hook(lambda m, a, out: pre.append((out.detach(), m.out_channels)))
             for cell in model.cell_list]
    with torch.no_grad():
        model(inp, hidden_state)
    for hk in hooks:
        hk.remove()
    allpre = torch.cat([p.flatten() for p, _ in pre])
    sig = torch.cat([torch.sigmoid(p[:, : 3 * (c // 4)]).flatten() for p, c in pre])
    return allpre.std().item(), ((sig - 0.5).abs() > 0.1).float().mean().item()


def run_case(case):
    """Build, run forward and backward; return (model, tensors dict, grads dict, stats)."""
    model = build_model(case)
    hid, _ = expanded(case)
    B, T, H, W, C = case['B'], case['T'], case['H'], case['W'], case['input_dim']

    # The random draws, in a fixed order after the weights: input, hidden state, upstream grads.
    shape = (B, T, C, H, W) if case['batch_first'] else (T, B, C, H, W)
    inp = torch.randn(*shape, dtype=torch.float32).requires_grad_(True)

    hidden_state = None
    if case['with_hidden_state']:
        hidden_state = []
        for l in range(case['num_layers']):
            # h is the output of a tanh-gated product, so keep it in (-1, 1);
            # c is unbounded.
            h0 = torch.tanh(torch.randn(B, hid[l], H, W)).requires_grad_(True)
            c0 = torch.randn(B, hid[l], H, W).requires_grad_(True)
            hidden_state.append((h0, c0))

    # The non-finite cases: overwrite the listed values (no random draw).
    nonfinite = case.get('nonfinite', {})
    with torch.no_grad():
        for idx, val in nonfinite.get('input', []):
            inp[idx] = val
        for l, which, idx, val in nonfinite.get('hidden_state', []):
            hidden_state[l][0 if which == 'h' else 1][idx] = val

    layer_outputs, last_states = model(inp, hidden_state)

    grad_outputs = [torch.randn_like(y) for y in layer_outputs]
    # loss = sum_k <layer_output_k, grad_output_k>, so d loss / d layer_output_k = grad_output_k.
    loss = sum((y * g).sum() for y, g in zip(layer_outputs, grad_outputs))
    loss.backward()

    tensors = {'input': to_np(inp)}
    for key, val in model.state_dict().items():        # cell_list.<l>.conv.weight / .bias
        tensors[key] = to_np(val)
    if hidden_state is not None:
        for l, (h0, c0) in enumerate(hidden_state):
            tensors['hidden_state.%d.h' % l] = to_np(h0)
            tensors['hidden_state.%d.c' % l] = to_np(c0)
    # k numbers the RETURNED layers: 0..num_layers-1 with return_all_layers,
    # otherwise only k = 0, which is the last layer.
    for k, y in enumerate(layer_outputs):
        tensors['layer_output.%d' % k] = to_np(y)
    for k, (h, c) in enumerate(last_states):
        tensors['last_state.%d.h' % k] = to_np(h)
        tensors['last_state.%d.c' % k] = to_np(c)

    grads = {}
    for k, g in enumerate(grad_outputs):
        grads['grad_output.%d' % k] = to_np(g)
    grads['grad.input'] = to_np(inp.grad)
    for name, p in model.named_parameters():
        grads['grad.' + name] = to_np(p.grad)
    if hidden_state is not None:
        for l, (h0, c0) in enumerate(hidden_state):
            grads['grad.hidden_state.%d.h' % l] = to_np(h0.grad)
            grads['grad.hidden_state.%d.c' % l] = to_np(c0.grad)

    std, frac = gate_spread(model, inp.detach(), None if hidden_state is None else
                            [(h0.detach(), c0.detach()) for h0, c0 in hidden_state])
    return tensors, grads, {'pre_std': std, 'gates_off_half': frac, 'loss': loss.item()}


def expected_shapes(case):
    """Every key of tensors.npz and grads.npz with its shape, from the config alone."""
    hid, ker = expanded(case)
    B, T, H, W, C = case['B'], case['T'], case['H'], case['W'], case['input_dim']
    t, g = {}, {}
    t['input'] = (B, T, C, H, W) if case['batch_first'] else (T, B, C, H, W)
    g['grad.input'] = t['input']
    cin = C
    for l in range(case['num_layers']):
        kh, kw = ker[l]
        t['cell_list.%d.conv.weight' % l] = (4 * hid[l], cin + hid[l], kh, kw)
        if case['bias']:
            t['cell_list.%d.conv.bias' % l] = (4 * hid[l],)
        if case.get('peephole'):
            for n in ('W_ci', 'W_cf', 'W_co'):
                t['cell_list.%d.%s' % (l, n)] = (hid[l], H, W)
        if case['with_hidden_state']:
            t['hidden_state.%d.h' % l] = t['hidden_state.%d.c' % l] = (B, hid[l], H, W)
        cin = hid[l]
    for k, l in enumerate(returned_layers(case)):
        t['layer_output.%d' % k] = (B, T, hid[l], H, W)     # always batch-first
        t['last_state.%d.h' % k] = t['last_state.%d.c' % k] = (B, hid[l], H, W)
        g['grad_output.%d' % k] = (B, T, hid[l], H, W)
    for key in list(t):
        if key.startswith('cell_list.') or key.startswith('hidden_state.'):
            g['grad.' + key] = t[key]
    return t, g


# ============================================================================
# Write and check
# ============================================================================

def write_case(case):
    tensors, grads, stats = run_case(case)
    d = os.path.join(GOLDEN, case['name'])
    if os.path.isdir(d):
        shutil.rmtree(d)               # overwrite: no stale files survive
    os.makedirs(d)
    with open(os.path.join(d, 'config.json'), 'w') as f:
        json.dump(config_of(case), f, indent=2)
        f.write('\n')
    savez_deterministic(os.path.join(d, 'tensors.npz'), tensors)
    savez_deterministic(os.path.join(d, 'grads.npz'), grads)
    return stats


def check_case(case):
    """Reload one case from disk and verify it: config, keys, shapes, dtype,
    internal consistency, and that PyTorch reproduces every stored number.
    Returns (max |forward diff|, max |grad diff|); raises AssertionError."""
    d = os.path.join(GOLDEN, case['name'])
    with open(os.path.join(d, 'config.json')) as f:
        cfg = json.load(f)
    assert cfg == config_of(case), '%s: config.json differs from CASES' % case['name']

    want_t, want_g = expected_shapes(case)
    for fname, want in (('tensors.npz', want_t), ('grads.npz', want_g)):
        with np.load(os.path.join(d, fname), allow_pickle=False) as z:
            got = {k: z[k] for k in z.files}
        assert set(got) == set(want), '%s/%s: keys %s, want %s' % (
            case['name'], fname, sorted(got), sorted(want))
        for k, v in got.items():
            assert v.dtype == np.float32, '%s/%s %s: dtype %s' % (case['name'], fname, k, v.dtype)
            assert v.shape == tuple(want[k]), '%s/%s %s: shape %s, want %s' % (
                case['name'], fname, k, v.shape, want[k])
            if 'nonfinite' not in case:
                assert np.isfinite(v).all(), '%s/%s %s: not finite' % (case['name'], fname, k)
        if fname == 'tensors.npz':
            stored_t = got
        else:
            stored_g = got

    # Internal consistency: the last time step of each returned layer output
    # is that layer's last h.
    for k in range(len(returned_layers(case))):
        assert np.array_equal(stored_t['layer_output.%d' % k][:, -1], stored_t['last_state.%d.h' % k],
                              equal_nan=True), \
            '%s: layer_output.%d[:, -1] != last_state.%d.h' % (case['name'], k, k)

    # The non-finite cases hold their listed values (NaN where NaN was set).
    nonfinite = case.get('nonfinite', {})
    for idx, val in nonfinite.get('input', []):
        got = stored_t['input'][idx]
        assert got == val or (np.isnan(got) and np.isnan(val)), '%s: input%s = %g, want %g' % (
            case['name'], idx, got, val)
    for l, which, idx, val in nonfinite.get('hidden_state', []):
        got = stored_t['hidden_state.%d.%s' % (l, which)][idx]
        assert got == val or (np.isnan(got) and np.isnan(val)), '%s: hidden_state.%d.%s%s = %g, want %g' % (
            case['name'], l, which, idx, got, val)

    # Reproduce: the stored weights must be WEIGHT_SCALE x PyTorch's init for
    # the seed (the peephole weights: their U(-1, 1) draw), and a fresh run
    # must give the same numbers.
    tensors, grads, _ = run_case(case)
    for name in want_t:
        if name.startswith('cell_list.'):
            assert np.array_equal(stored_t[name], tensors[name]), '%s: %s differs' % (case['name'], name)

    def maxdiff(stored, fresh):
        worst = 0.0
        for k in stored:
            a, b = stored[k], fresh[k]
            # Bit-identical on the machine that wrote them; allow a little
            # slack for another CPU (other SIMD kernels, other rounding).
            # NaN must match NaN and an infinity the same infinity.
            assert np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True), \
                '%s: %s does not reproduce (max diff %g)' % (case['name'], k, np.nanmax(np.abs(a - b)))
            fin = np.isfinite(a) & np.isfinite(b)
            if fin.any():
                worst = max(worst, float(np.abs(a[fin] - b[fin]).max()))
        return worst

    return maxdiff(stored_t, tensors), maxdiff(stored_g, grads)


def describe(case):
    hid, ker = expanded(case)
    shape = 'x' .join(str(s) for s in expected_shapes(case)[0]['input'])
    return [
        case['name'],
        str(case['num_layers']),
        ','.join(map(str, hid)),
        ','.join('%dx%d' % k for k in ker),
        ('BTCHW ' if case['batch_first'] else 'TBCHW ') + shape,
        'y' if case['bias'] else 'n',
        'y' if case['return_all_layers'] else 'n',
        'y' if case['with_hidden_state'] else 'n',
        'y' if case.get('peephole') else 'n',
        str(3 * forward_macs(case)),
    ]


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: '  '.join(str(c).ljust(w) for c, w in zip(r, widths))
    print(line(header))
    print('  '.join('-' * w for w in widths))
    for r in rows:
        print(line(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='do not write anything: reload the golden files and verify them')
    args = ap.parse_args()

    torch.set_num_threads(1)           # one thread: a fixed summation order, identical bits
    torch.set_default_dtype(torch.float32)

    names = [c['name'] for c in CASES]
    assert len(set(names)) == len(names), 'duplicate case names'
    for c in CASES:
        macs = 3 * forward_macs(c)
        assert macs <= MAX_TOTAL_MACS, '%s: %d multiply-adds (forward+backward), limit %d' % (
            c['name'], macs, MAX_TOTAL_MACS)

    stats = {}
    if not args.check:
        os.makedirs(GOLDEN, exist_ok=True)
        # Remove case folders that are no longer in CASES.
        for d in sorted(os.listdir(GOLDEN)):
            if d not in names and os.path.isfile(os.path.join(GOLDEN, d, 'config.json')):
                print('removing stale case', d)
                shutil.rmtree(os.path.join(GOLDEN, d))
        for c in CASES:
            stats[c['name']] = write_case(c)

    # Always check what is on disk (after writing, this verifies the writer).
    header = ['case', 'layers', 'hidden', 'kernels', 'input', 'bias', 'all', 'hs', 'peep',
              'MACs f+b', 'KB', 'max|dfwd|', 'max|dgrad|']
    if stats:
        header += ['pre-act std', 'gates off 0.5']
    rows, total = [], 0
    for c in CASES:
        dfwd, dgrad = check_case(c)
        d = os.path.join(GOLDEN, c['name'])
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        total += size
        row = describe(c) + ['%.1f' % (size / 1024), '%.1e' % dfwd, '%.1e' % dgrad]
        if stats:
            s = stats[c['name']]
            row += ['%.2f' % s['pre_std'], '%.0f%%' % (100 * s['gates_off_half'])]
        rows.append(row)
    print()
    print_table(header, rows)
    print()
    print('%d cases, %.1f KB in %s; %s' % (len(CASES), total / 1024, os.path.relpath(GOLDEN),
                                           'written and checked' if stats else 'checked'))
    print('torch %s, numpy %s, weight scale %g' % (torch.__version__, np.__version__, WEIGHT_SCALE))


if __name__ == '__main__':
    sys.exit(main())
