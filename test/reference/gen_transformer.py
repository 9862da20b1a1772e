"""PyTorch 1.13's Transformer layers: initial weights after manual_seed, outputs and gradients, printed forms,
state-dict keys, and a 3-step AdamW training run of a tiny transformer (test/nn/transformer.test.ts).
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_transformer.py"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def enc(t):
    return {"values": t.detach().reshape(-1).tolist(), "shape": list(t.shape)}


out = {"torch": torch.__version__, "layers": []}
for name, norm_first, act in [("post-norm relu", False, "relu"), ("pre-norm gelu", True, "gelu")]:
    torch.manual_seed(21)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation=act, batch_first=True, norm_first=norm_first)
    x = torch.randn(2, 5, 8, requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    kpm = torch.tensor([[False] * 5, [False, False, False, False, True]])
    y = layer(x, src_mask=mask, src_key_padding_mask=kpm)
    g = torch.randn(y.shape)
    y.backward(g)
    out["layers"].append({"name": name, "normFirst": norm_first, "activation": act, "repr": repr(layer),
                          "keys": list(layer.state_dict().keys()), "params": {k: enc(v) for k, v in layer.state_dict().items()},
                          "x": enc(x), "y": enc(y), "g": enc(g), "dx": enc(x.grad),
                          "dlinear1": enc(layer.linear1.weight.grad), "dinproj": enc(layer.self_attn.in_proj_weight.grad)})

torch.manual_seed(22)
dec = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
tgt = torch.randn(2, 4, 8, requires_grad=True)
memory = torch.randn(2, 6, 8, requires_grad=True)
yd = dec(tgt, memory, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4))
gd = torch.randn(yd.shape)
yd.backward(gd)
out["decoder"] = {"keys": list(dec.state_dict().keys()), "params": {k: enc(v) for k, v in dec.state_dict().items()},
                  "tgt": enc(tgt), "memory": enc(memory), "y": enc(yd), "g": enc(gd), "dtgt": enc(tgt.grad), "dmemory": enc(memory.grad)}


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(16, 8)
        layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True, norm_first=True, activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
        self.head = nn.Linear(8, 16)

    def forward(self, idx):
        x = self.tok(idx)
        x = self.encoder(x, mask=nn.Transformer.generate_square_subsequent_mask(idx.shape[1]))
        return self.head(x)


torch.manual_seed(23)
model = Tiny()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
idx = torch.randint(0, 16, (3, 6))
tgt = torch.randint(0, 16, (3, 6))
losses = []
for step in range(3):
    logits = model(idx)
    loss = F.cross_entropy(logits.reshape(-1, 16), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
out["training"] = {"keys": list(model.state_dict().keys()), "idx": idx.reshape(-1).tolist(), "tgt": tgt.reshape(-1).tolist(), "losses": losses,
                   "repr": repr(model.encoder.layers[0])}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "transformer.json"), "w") as fh:
    json.dump(out, fh, allow_nan=False)
print(losses)
