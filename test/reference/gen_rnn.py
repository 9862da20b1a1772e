"""PyTorch 1.13's RNN/LSTM/GRU and cells: initial weights after manual_seed, outputs, final states and
gradients, printed forms, and a 3-step SGD run of an LSTM (test/nn/rnn.test.ts).
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_rnn.py"""
import json
import os

import torch
import torch.nn as nn


def enc(t):
    return {"values": t.detach().reshape(-1).tolist(), "shape": list(t.shape)}


cases = []


def case(name, seed, make, x_shape, with_state):
    torch.manual_seed(seed)
    m = make()
    sd = {k: enc(v) for k, v in m.state_dict().items()}
    torch.manual_seed(seed + 50)
    x = torch.randn(*x_shape, requires_grad=True)
    state = None
    if with_state:
        dirs = 2 if getattr(m, "bidirectional", False) else 1
        layers = getattr(m, "num_layers", 1)
        batched = len(x_shape) == 3
        n = x_shape[0] if getattr(m, "batch_first", False) else x_shape[1]
        shp = (layers * dirs, n, m.hidden_size) if batched else (layers * dirs, m.hidden_size)
        state = (torch.randn(*shp), torch.randn(*shp)) if isinstance(m, nn.LSTM) else torch.randn(*shp)
    out, hn = m(x, state) if state is not None else m(x)
    h, c = hn if isinstance(hn, tuple) else (hn, None)
    loss = out.pow(2).sum() + h.sum() + (c.sum() if c is not None else 0)
    loss.backward()
    w0 = [p for n_, p in m.named_parameters()][0]
    cases.append({"name": name, "seed": seed, "repr": repr(m), "keys": list(sd.keys()), "params": sd, "x": enc(x),
                  "state": None if state is None else ([enc(s) for s in state] if isinstance(state, tuple) else [enc(state)]),
                  "out": enc(out), "h": enc(h), "c": None if c is None else enc(c), "dx": enc(x.grad), "dw0": enc(w0.grad)})


case("LSTM 2 layers bidirectional batchFirst with state", 31, lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True), (2, 5, 3), True)
case("LSTM unbatched", 32, lambda: nn.LSTM(3, 4), (5, 3), False)
case("GRU 2 layers", 33, lambda: nn.GRU(3, 5, num_layers=2), (4, 2, 3), True)
case("GRU no bias bidirectional", 34, lambda: nn.GRU(2, 3, bias=False, bidirectional=True), (3, 2, 2), False)
case("RNN relu batchFirst", 35, lambda: nn.RNN(3, 4, nonlinearity="relu", batch_first=True), (2, 4, 3), True)
case("RNN tanh 3 layers", 36, lambda: nn.RNN(2, 3, num_layers=3), (3, 1, 2), False)

cells = []
for name, seed, make, n_state in [("LSTMCell", 41, lambda: nn.LSTMCell(3, 4), 2), ("GRUCell", 42, lambda: nn.GRUCell(3, 4), 1),
                                  ("RNNCell", 43, lambda: nn.RNNCell(3, 4), 1), ("RNNCell relu no bias", 44, lambda: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"), 1)]:
    torch.manual_seed(seed)
    m = make()
    sd = {k: enc(v) for k, v in m.state_dict().items()}
    x = torch.randn(2, 3, requires_grad=True)
    st = [torch.randn(2, 4) for _ in range(n_state)]
    r = m(x, tuple(st) if n_state == 2 else st[0])
    outs = list(r) if isinstance(r, tuple) else [r]
    sum(o.pow(2).sum() for o in outs).backward()
    cells.append({"name": name, "seed": seed, "repr": repr(m), "keys": list(sd.keys()), "params": sd, "x": enc(x), "state": [enc(s) for s in st],
                  "outs": [enc(o) for o in outs], "dx": enc(x.grad)})

torch.manual_seed(51)
lstm = nn.LSTM(4, 8, num_layers=2, batch_first=True)
head = nn.Linear(8, 3)
opt = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=0.1, momentum=0.9)
xs = torch.randn(5, 6, 4)
ys = torch.randint(0, 3, (5,))
losses = []
for _ in range(3):
    out, _ = lstm(xs)
    loss = nn.functional.cross_entropy(head(out[:, -1]), ys)
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
train = {"x": enc(xs), "y": ys.tolist(), "losses": losses}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "cases": cases, "cells": cells, "train": train}, fh, allow_nan=False)
print(losses)
