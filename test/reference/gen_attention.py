"""PyTorch 1.13's nn.MultiheadAttention (initial weights after manual_seed, outputs, attention weights and
gradients) for test/nn/attention.test.ts. scaled_dot_product_attention is newer than 1.13: its reference is
its definition in torch ops. Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_attention.py"""
import json
import math
import os

import torch
import torch.nn as nn


def enc(t):
    if t is None:
        return None
    vals = [v if math.isfinite(v) else ("-Infinity" if v < 0 else "Infinity" if v > 0 else "NaN") for v in t.detach().reshape(-1).tolist()]
    return {"values": vals, "shape": list(t.shape)}


cases = []


def mha_case(name, seed, ctor, inputs, fwd, self_attn=False):
    torch.manual_seed(seed)
    m = nn.MultiheadAttention(**ctor)
    params = {n: enc(p) for n, p in m.named_parameters()}
    torch.manual_seed(seed + 100)
    q = inputs["q"]().requires_grad_(True)
    k = q if self_attn else inputs["k"]().requires_grad_(True)
    v = q if self_attn else inputs["v"]().requires_grad_(True)
    masks = {n: f() for n, f in inputs.get("masks", {}).items()}
    out, w = m(q, k, v, **{**fwd, **masks})
    g = torch.randn(out.shape)
    out.backward(g)
    cases.append({
        "name": name, "seed": seed, "ctor": ctor, "fwd": fwd, "selfAttn": self_attn, "repr": repr(m), "params": params,
        "q": enc(q), "k": enc(k), "v": enc(v), "masks": {n: {**enc(t), "dtype": "bool" if t.dtype == torch.bool else "float32"} for n, t in masks.items()},
        "out": enc(out), "weights": enc(w), "g": enc(g), "dq": enc(q.grad),
        "dInProj": enc(m.in_proj_weight.grad) if m.in_proj_weight is not None else enc(m.q_proj_weight.grad),
        "dOutProj": enc(m.out_proj.weight.grad),
        "names": [n for n, _ in m.named_parameters()],
    })


L, S, N, E = 4, 5, 2, 8
causal = torch.triu(torch.full((L, L), float("-inf")), 1)
mha_case("self-attention, batchFirst, causal float mask", 1, dict(embed_dim=E, num_heads=2, batch_first=True),
         {"q": lambda: torch.randn(N, L, E), "masks": {"attn_mask": lambda: causal}}, {}, self_attn=True)
mha_case("cross-attention, key padding mask, per-head weights", 2, dict(embed_dim=E, num_heads=4),
         {"q": lambda: torch.randn(L, N, E), "k": lambda: torch.randn(S, N, E), "v": lambda: torch.randn(S, N, E),
          "masks": {"key_padding_mask": lambda: torch.tensor([[False, False, False, True, True], [False] * 5])}},
         {"average_attn_weights": False})
mha_case("kdim/vdim differ, bool attn mask", 3, dict(embed_dim=E, num_heads=2, kdim=6, vdim=3, batch_first=True),
         {"q": lambda: torch.randn(N, L, E), "k": lambda: torch.randn(N, S, 6), "v": lambda: torch.randn(N, S, 3),
          "masks": {"attn_mask": lambda: torch.rand(L, S) > 0.7}}, {})
mha_case("no bias, need_weights false", 4, dict(embed_dim=E, num_heads=1, bias=False),
         {"q": lambda: torch.randn(L, N, E), "k": lambda: torch.randn(S, N, E), "v": lambda: torch.randn(S, N, E)},
         {"need_weights": False})

torch.manual_seed(9)
q, k, v = torch.randn(2, 3, 4, 6), torch.randn(2, 3, 5, 6), torch.randn(2, 3, 5, 6)
q.requires_grad_(True)
scores = q @ k.transpose(-2, -1) / math.sqrt(6)
mask = torch.rand(4, 5) > 0.3
mask[:, 0] = True
o = torch.softmax(scores.masked_fill(~mask, float("-inf")), -1) @ v
go = torch.randn(o.shape)
o.backward(go)
sdpa = {"q": enc(q), "k": enc(k), "v": enc(v), "mask": enc(mask.float()), "out": enc(o), "g": enc(go), "dq": enc(q.grad)}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "attention.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "mha": cases, "sdpa": sdpa}, fh, allow_nan=False)
print(len(cases), "cases")
