"""PyTorch 1.13's values and input gradients for the losses of test/nn/loss-more.test.ts.
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_losses.py"""
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(3)
cases = []


def add(name, module, inputs, grad_of, extra=None):
    ts = [t.clone().requires_grad_(i in grad_of) for i, t in enumerate(inputs)]
    out = module(*ts)
    out.sum().backward()
    cases.append({
        "name": name,
        "inputs": [{"values": t.detach().reshape(-1).tolist(), "shape": list(t.shape)} for t in inputs],
        "gradOf": grad_of,
        "out": {"values": out.detach().reshape(-1).tolist(), "shape": list(out.shape)},
        "grads": [ts[i].grad.reshape(-1).tolist() for i in grad_of],
        "extra": extra,
    })


x, y = torch.randn(4, 5) * 2, torch.randn(4, 5) * 2
for red in ("mean", "sum", "none"):
    add(f"HuberLoss delta 1.5 {red}", nn.HuberLoss(reduction=red, delta=1.5), [x, y], [0, 1])
    add(f"SmoothL1Loss beta 0.7 {red}", nn.SmoothL1Loss(reduction=red, beta=0.7), [x, y], [0, 1])
add("SmoothL1Loss beta 0", nn.SmoothL1Loss(beta=0.0), [x, y], [0])
logp = torch.log_softmax(torch.randn(3, 4), 1)
p = torch.softmax(torch.randn(3, 4), 1)
p0 = p.clone()
p0[0, 1] = 0.0
for red in ("batchmean", "mean", "sum", "none"):
    add(f"KLDivLoss {red}", nn.KLDivLoss(reduction=red), [logp, p0], [0])
add("KLDivLoss logTarget", nn.KLDivLoss(reduction="batchmean", log_target=True), [logp, torch.log(p)], [0, 1])
a, b = torch.randn(6, 3), torch.randn(6, 3)
yy = torch.tensor([1.0, -1, 1, -1, -1, 1])
add("CosineEmbeddingLoss margin 0.2", nn.CosineEmbeddingLoss(margin=0.2), [a, b, yy], [0, 1])
add("CosineEmbeddingLoss sum", nn.CosineEmbeddingLoss(reduction="sum"), [a, b, yy], [0, 1])
add("MarginRankingLoss margin 0.5", nn.MarginRankingLoss(margin=0.5), [a[:, 0], b[:, 0], yy], [0, 1])
n = torch.randn(6, 3)
add("TripletMarginLoss", nn.TripletMarginLoss(), [a, b, n], [0, 1, 2])
add("TripletMarginLoss p1 swap margin 2", nn.TripletMarginLoss(margin=2.0, p=1, swap=True), [a, b, n], [0, 1, 2])
add("TripletMarginLoss p3 none", nn.TripletMarginLoss(p=3, reduction="none"), [a, b, n], [0, 1, 2])
counts = torch.tensor([[0.0, 1, 2, 5], [3, 0, 1, 8]])
add("PoissonNLLLoss log input", nn.PoissonNLLLoss(), [torch.randn(2, 4), counts], [0])
add("PoissonNLLLoss full", nn.PoissonNLLLoss(full=True), [torch.randn(2, 4), counts], [0])
add("PoissonNLLLoss rate input", nn.PoissonNLLLoss(log_input=False), [torch.rand(2, 4) + 0.1, counts], [0])
mu, tgt = torch.randn(4, 3), torch.randn(4, 3)
var = torch.rand(4, 3) + 0.05
var[0, 0] = 1e-8
add("GaussianNLLLoss", nn.GaussianNLLLoss(), [mu, tgt, var], [0, 2])
add("GaussianNLLLoss full sum", nn.GaussianNLLLoss(full=True, reduction="sum"), [mu, tgt, var], [0, 2])
add("GaussianNLLLoss var one fewer dim", nn.GaussianNLLLoss(), [mu, tgt, var[:, 0]], [0, 2])
add("GaussianNLLLoss var last dim 1", nn.GaussianNLLLoss(), [mu, tgt, var[:, :1]], [0, 2])
labels = (torch.rand(4, 5) > 0.5).float()
add("MultiLabelSoftMarginLoss", nn.MultiLabelSoftMarginLoss(), [torch.randn(4, 5) * 3, labels], [0])
w = torch.rand(5)
add("MultiLabelSoftMarginLoss weight none", nn.MultiLabelSoftMarginLoss(weight=w, reduction="none"), [torch.randn(4, 5), labels], [0],
    extra=w.tolist())
out = {"torch": torch.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json"), "w") as fh:
    json.dump(out, fh, allow_nan=False)
print(len(cases), "cases")
