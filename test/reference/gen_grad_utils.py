"""PyTorch 1.13's clip_grad_norm_ / clip_grad_value_ on fixed gradients, for test/nn/grad-utils.test.ts.
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_grad_utils.py"""
import json
import math
import os

import torch

torch.manual_seed(0)
shapes = [[3, 4], [4], [2, 2, 2]]
grads = [torch.randn(s) * 3 for s in shapes]
cases = []
for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.5), (math.inf, 0.5), (3.0, 100.0), (2.0, 0.0)]:
    ps = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
    cases.append({"normType": "inf" if norm_type == math.inf else norm_type, "maxNorm": max_norm, "total": total.item(),
                  "grads": [p.grad.reshape(-1).tolist() for p in ps]})
ps = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
for p, g in zip(ps, grads):
    p.grad = g.clone()
torch.nn.utils.clip_grad_value_(ps, 1.5)
out = {"torch": torch.__version__, "shapes": shapes, "grads": [g.reshape(-1).tolist() for g in grads], "norm": cases,
       "value": {"clip": 1.5, "grads": [p.grad.reshape(-1).tolist() for p in ps]}}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad_utils.json"), "w") as fh:
    json.dump(out, fh)
print("ok")
