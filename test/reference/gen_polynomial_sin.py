"""PyTorch's "Learning PyTorch with Examples" sin(x) fits, for examples/polynomial-sin.ts and
test/nn/polynomial-sin.test.ts: each variant's losses every 100 steps and its final "Result: ..." line.

The tutorial does not seed; here each variant starts from torch.manual_seed(0) (and random.seed(0) for
DynamicNet's depth), as the example does. Run with Debian's python3-torch:
/usr/bin/python3 test/reference/gen_polynomial_sin.py
"""
import json
import math
import os
import random

import torch

dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)
out = {"torch": torch.__version__}


def record(name, losses, result):
    out[name] = {"losses": losses, "result": result}


def tensors_by_hand():
    torch.manual_seed(0)
    a, b, c, d = (torch.randn((), dtype=dtype) for _ in range(4))
    learning_rate = 1e-6
    losses = []
    for t in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            losses.append([t, loss])
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    record("tensors", losses, f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')


def autograd():
    torch.manual_seed(0)
    a, b, c, d = (torch.randn((), dtype=dtype, requires_grad=True) for _ in range(4))
    learning_rate = 1e-6
    losses = []
    for t in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append([t, loss.item()])
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    record("autograd", losses, f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


def custom_function():
    a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    losses = []
    for t in range(2000):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append([t, loss.item()])
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    record("function", losses, f'Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)')


def linear_result(model):
    w = model[0].weight
    return (f'Result: y = {model[0].bias.item()} + {w[:, 0].item()} x + {w[:, 1].item()} x^2 + '
            f'{w[:, 2].item()} x^3')


def nn_sequential(use_optim):
    torch.manual_seed(0)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3) if use_optim else None
    learning_rate = 1e-6
    losses = []
    for t in range(2000):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            losses.append([t, loss.item()])
        if use_optim:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        else:
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for param in model.parameters():
                    param -= learning_rate * param.grad
    record("optim" if use_optim else "nn", losses, linear_result(model))


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y

    def string(self):
        return (f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3 + '
                f'{self.e.item()} x^4 ? + {self.e.item()} x^5 ?')


def dynamic_net():
    torch.manual_seed(0)
    random.seed(0)
    model = DynamicNet()
    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    losses = []
    for t in range(30000):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        if t % 100 == 99:
            losses.append([t, loss.item()])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    record("dynamic", losses, f'Result: {model.string()}')
    # The first draws of Python's random.seed(0) stream, which the example reproduces.
    random.seed(0)
    out["python_randint_4_6"] = [random.randint(4, 6) for _ in range(20)]


tensors_by_hand()
autograd()
custom_function()
nn_sequential(False)
nn_sequential(True)
dynamic_net()
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "polynomial_sin.json"), "w") as f:
    json.dump(out, f, indent=1)
