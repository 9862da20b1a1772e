"""PyTorch's "Learning PyTorch with Examples" custom-Function fit (LegendrePolynomial3), for
test/autograd/function.test.ts: losses at chosen steps and the final coefficients. Run with Debian's
python3-torch: /usr/bin/python3 test/reference/gen_function.py"""
import json
import math
import os

import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)
a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
learning_rate = 5e-6
losses = {}
for t in range(2000):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99 or t == 0:
        losses[t] = loss.item()
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
out = {"torch": torch.__version__, "losses": losses, "final": [a.item(), b.item(), c.item(), d.item()]}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "function.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print(out)
