"""Reference numbers for test/nn, test/optim, test/data (PyTorch 1.13): python3 test/reference/gen_nn.py"""
import json, math, os
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

torch.set_num_threads(1)
out = {}
L = lambda t: t.detach().tolist()

# Losses: value and input gradient for each reduction.
torch.manual_seed(0)
x = torch.randn(4, 3)
t_reg = torch.randn(4, 3)
probs = torch.rand(4, 3) * 0.98 + 0.01
t_bin = (torch.rand(4, 3) > 0.5).float()
cls = torch.tensor([2, 0, 1, 2])
t_prob = torch.softmax(torch.randn(4, 3), 1)
losses = {}
for red in ["mean", "sum", "none"]:
    cases = {
        "mse": (F.mse_loss, x, t_reg, True),
        "l1": (F.l1_loss, x, t_reg, True),
        "bce": (F.binary_cross_entropy, probs, t_bin, False),
        "bceLogits": (F.binary_cross_entropy_with_logits, x, t_bin, True),
        "nll": (F.nll_loss, torch.log_softmax(x, 1), cls, False),
        "crossEntropy": (F.cross_entropy, x, cls, False),
        "crossEntropyProb": (F.cross_entropy, x, t_prob, False),
    }
    for name, (fn, inp, tgt, tgrad) in cases.items():
        i = inp.clone().requires_grad_()
        tg = tgt.clone().requires_grad_() if tgrad else tgt
        v = fn(i, tg, reduction=red)
        v.backward(torch.ones_like(v))
        losses[f"{name}/{red}"] = {
            "input": L(inp), "target": L(tgt), "value": L(v), "gradInput": L(i.grad),
            "gradTarget": L(tg.grad) if tgrad else None, "gradFn": type(v.grad_fn).__name__,
        }
out["losses"] = losses

# Optimizers: 10 steps from the same parameters and gradients.
torch.manual_seed(1)
p0 = torch.randn(2, 3)
grads = [torch.randn(2, 3) for _ in range(10)]
configs = [
    ("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}), ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}), ("SGD", {"lr": 0.1, "weight_decay": 0.1, "momentum": 0.5}),
    ("SGD", {"lr": 0.1, "maximize": True, "momentum": 0.9}),
    ("Adam", {"lr": 0.01}), ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}), ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}), ("Adam", {"lr": 0.01, "maximize": True}),
    ("AdamW", {"lr": 0.01}), ("AdamW", {"lr": 0.01, "weight_decay": 0.5, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}), ("RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5}), ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.9, "weight_decay": 0.1}),
]
camel = {"weight_decay": "weightDecay"}
opt_cases = []
for name, kw in configs:
    p = p0.clone().requires_grad_()
    o = getattr(torch.optim, name)([p], **kw)
    traj = []
    for g in grads:
        p.grad = g.clone()
        o.step()
        traj.append(L(p))
    opt_cases.append({"name": name, "options": {camel.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}, "params": traj})
out["optim"] = {"p0": L(p0), "grads": [L(g) for g in grads], "cases": opt_cases}

# Linear forward/backward with given weights, and init after manual_seed(2021).
torch.manual_seed(3)
lin = nn.Linear(3, 2)
xi = torch.randn(4, 3, requires_grad=True)
y = lin(xi)
(y * torch.arange(8.0).reshape(4, 2)).sum().backward()
out["linear"] = {"weight": L(lin.weight), "bias": L(lin.bias), "x": L(xi), "y": L(y), "gradX": L(xi.grad),
                 "gradW": L(lin.weight.grad), "gradB": L(lin.bias.grad), "gradFn": type(y.grad_fn).__name__}
torch.manual_seed(2021)
l2 = nn.Linear(3, 4)
out["linearInit"] = {"weight": L(l2.weight), "bias": L(l2.bias)}
torch.manual_seed(0)
out["dropout"] = L(F.dropout(torch.ones(20), 0.5))

# DataLoader: shuffle order for a seed (two epochs), dropLast.
torch.manual_seed(7)
dl = DataLoader(list(range(10)), batch_size=3, shuffle=True)
out["loaderShuffle"] = [[b.tolist() for b in dl] for _ in range(2)]
torch.manual_seed(7)
dl = DataLoader(list(range(10)), batch_size=3, shuffle=True, drop_last=True)
out["loaderShuffleDropLast"] = [b.tolist() for b in dl]
g = torch.Generator(); g.manual_seed(11)
dl = DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=g)
out["loaderShuffleGenerator"] = [[b.tolist() for b in dl] for _ in range(2)]

# Neuromatch WideNet: the first loss and the training loop's losses.
class WideNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(1, 512), nn.Tanh(), nn.Linear(512, 1))
    def forward(self, x):
        return self.layers(x)
torch.manual_seed(2021)
inputs = torch.linspace(-1.0, 1.0, 32).reshape(32, 1)
targets = torch.sin(math.pi * inputs) + torch.randn(32, 1) / 4
torch.manual_seed(2021)
net = WideNet()
out["wideNetRepr"] = repr(net)
lf = nn.MSELoss()
opt = torch.optim.SGD(net.parameters(), lr=0.003, momentum=0.9)
opt.zero_grad(); loss = lf(net(inputs), targets); first = loss.item(); loss.backward(); opt.step()
rec = []
for i in range(1847):
    opt.zero_grad(); loss = lf(net(inputs), targets); loss.backward(); opt.step(); rec.append(loss.item())
out["wideNet"] = {"firstLoss": first, "trainFirst": rec[0], "train300": rec[299], "trainLast": rec[-1]}

# The lecture's neuron: 20,000 epochs of SGD(lr=0.01), full batch.
X = torch.tensor([[0.5, 0.9], [14.0, 12.0], [15.0, 13.6], [28.0, 22.8], [11.0, 8.1], [8.0, 7.1],
                  [3.0, 2.9], [-4.0, 0.1], [6.0, 5.3], [13.0, 12.0], [21.0, 19.9], [-1.0, 1.5]])
Y = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4, 29.1]) * 0.01
W = torch.ones(2, requires_grad=True); b = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([W, b], lr=0.01)
for e in range(20000):
    loss = torch.square(torch.sigmoid(torch.sum(X * W, dim=1) + b) - Y).mean()
    loss.backward(); opt.step(); opt.zero_grad()
out["lecture"] = {"W": L(W), "b": L(b), "loss": loss.item()}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path)
