"""torch.pow(x, exponent) for the exponents PyTorch's CPU pow kernel special-cases (0, 1, 2, 3, -2, 0.5, -0.5,
-1: computed in the element type, x*x*x in float32 rounds twice) and torch.rsqrt, in float32 and float64,
with the gradients of pow; for test/core/pow.test.ts, which checks every value bit for bit on both backends.
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_pow.py"""
import json
import math
import os

import torch

EXPONENTS = [0, 1, 2, 3, -2, -1, 0.5, -0.5]
# Exponents whose backward (exponent * x.pow(exponent - 1)) is itself special-cased, so bit-exact too.
GRAD_EXPONENTS = [0, 1, 2, 3, 0.5, -1]
SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e-45, 1e-40, 3.4e38, -1.5e13, 1e13, 1e-20, -1e-20, 0.1, 1.5, -2.5, 1e154, 1e-160]


def enc(v):
    """JSON has no NaN or infinities: those travel as strings."""
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


torch.manual_seed(0)
base = torch.cat([torch.randn(150) * 3, torch.rand(40) * 1e-3, torch.randn(10) * 1e5]).double()
cases = []
for dtype in ("float32", "float64"):
    x = torch.cat([base, torch.tensor(SPECIAL, dtype=torch.float64)]).to(getattr(torch, dtype))
    case = {"dtype": dtype, "x": [enc(v) for v in x.tolist()], "pow": {}, "grad": {}}
    for e in EXPONENTS:
        case["pow"][str(e)] = [enc(v) for v in torch.pow(x, e).tolist()]
    finite = x[torch.isfinite(x) & (x.abs() < 1e10) & (x.abs() > 1e-10)]
    case["gradX"] = [enc(v) for v in finite.tolist()]
    for e in GRAD_EXPONENTS:
        xg = finite.clone().requires_grad_(True)
        torch.pow(xg, e).backward(torch.ones_like(xg) * 0.75)
        case["grad"][str(e)] = [enc(v) for v in xg.grad.tolist()]
    case["rsqrt"] = [enc(v) for v in torch.rsqrt(x).tolist()]
    cases.append(case)

ints = torch.tensor([0, 1, -1, 2, -3, 7, 100, -1290, 46340], dtype=torch.int32)
int_case = {"x": ints.tolist(), "pow": {str(e): torch.pow(ints, e).tolist() for e in (0, 1, 2, 3)},
            "pow_half": [enc(v) for v in torch.pow(ints, 0.5).tolist()]}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pow.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "cases": cases, "int32": int_case}, fh)
print(len(cases), "cases")
