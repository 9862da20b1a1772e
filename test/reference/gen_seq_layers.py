"""PyTorch 1.13's values and gradients for the activation and normalisation layers of sequence models
(test/nn/seq-layers.test.ts). Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_seq_layers.py"""
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(5)
cases = []


def enc(t):
    return {"values": t.detach().reshape(-1).tolist(), "shape": list(t.shape)}


def act(name, module, x):
    xi = x.clone().requires_grad_(True)
    y = module(xi)
    g = torch.randn(y.shape)
    y.backward(g)
    cases.append({"name": name, "repr": repr(module), "x": enc(x), "y": enc(y), "g": enc(g), "dx": enc(xi.grad)})


x = torch.randn(3, 5) * 3
act("GELU", nn.GELU(), x)
act("GELU tanh", nn.GELU(approximate="tanh"), x)
act("SiLU", nn.SiLU(), x)
act("Mish", nn.Mish(), x)
act("Softplus", nn.Softplus(), x * 10)
act("Softplus beta 2 threshold 10", nn.Softplus(beta=2, threshold=10), x * 3)
act("LogSoftmax dim 1", nn.LogSoftmax(1), x)

norms = []
for shape, ns, affine, eps in [([4, 6], [6], True, 1e-5), ([2, 3, 4], [3, 4], True, 1e-6), ([5, 3], [3], False, 1e-5)]:
    ln = nn.LayerNorm(ns, eps=eps, elementwise_affine=affine)
    if affine:
        with torch.no_grad():
            ln.weight.copy_(torch.randn(ns))
            ln.bias.copy_(torch.randn(ns))
    xi = (torch.randn(shape) * 2 + 1).requires_grad_(True)
    y = ln(xi)
    g = torch.randn(y.shape)
    y.backward(g)
    norms.append({"shape": ns, "affine": affine, "eps": eps, "repr": repr(ln), "x": enc(xi), "y": enc(y), "g": enc(g), "dx": enc(xi.grad),
                  "w": enc(ln.weight) if affine else None, "b": enc(ln.bias) if affine else None,
                  "dw": enc(ln.weight.grad) if affine else None, "db": enc(ln.bias.grad) if affine else None})

# RMSNorm is newer than 1.13: its reference is its definition, x·rsqrt(mean(x²) + eps)·w, in torch ops.
xr = torch.randn(4, 6).requires_grad_(True)
wr = torch.randn(6).requires_grad_(True)
eps = torch.finfo(torch.float32).eps
yr = xr * torch.rsqrt(xr.pow(2).mean(-1, keepdim=True) + eps) * wr
gr = torch.randn(yr.shape)
yr.backward(gr)
rms = {"x": enc(xr), "w": enc(wr), "y": enc(yr), "g": enc(gr), "dx": enc(xr.grad), "dw": enc(wr.grad)}

torch.manual_seed(11)
emb = nn.Embedding(7, 3, padding_idx=2)
idx = torch.tensor([[0, 2, 5], [2, 6, 0]])
ye = emb(idx)
ge = torch.randn(ye.shape)
ye.backward(ge)
embedding = {"seed": 11, "weight": enc(emb.weight), "idx": enc(idx), "y": enc(ye), "g": enc(ge), "dw": enc(emb.weight.grad), "repr": repr(emb)}

out = {"torch": torch.__version__, "activations": cases, "layerNorm": norms, "rmsNorm": rms, "embedding": embedding}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seq_layers.json"), "w") as fh:
    json.dump(out, fh, allow_nan=False)
print("ok")
