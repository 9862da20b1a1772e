#!/usr/bin/python3
"""Generate test/reference/ops.json: PyTorch's forward values, dtypes, gradients, printed forms
and error messages for the core tensor API (API.md "Creation", "Tensor", "Autograd semantics").

Run:  /usr/bin/python3 test/reference/gen_ops.py
Inputs come from a tiny LCG written here (never torch's RNG), so they are reproducible anywhere.

Case format (read by test/core/helpers.ts):
  {name, call: {kind: "method"|"fn", name, args}, inputs: [{values, shape, dtype, requiresGrad}],
   out: {values, shape, dtype} | error, g: {values, shape} | null, grads: [{values, shape} | null]}
  args: {"t": i} is input i, null is `undefined`, lists may hold tensor refs (cat/stack).
  A method call's receiver is args[0].  "pick": "values"|"indices" selects from max(dim)/min(dim).
  Integer results that PyTorch gives as int64 are recorded as "int32" (API.md: integer results are int32).
"""
import json
import math
import os

import torch

torch.set_printoptions(profile="default")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json")


class LCG:
    def __init__(self, seed):
        self.s = seed & 0x7FFFFFFF

    def next(self):
        self.s = (1103515245 * self.s + 12345) & 0x7FFFFFFF
        return self.s / 0x80000000


rng = LCG(12345)

DT = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32",
      torch.int64: "int32", torch.bool: "bool"}
TDT = {"float32": torch.float32, "float64": torch.float64, "int32": torch.int32, "bool": torch.bool}


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def values(n, lo=-2.0, hi=2.0, distinct=True, avoid_zero=True, decimals=2):
    """n values in [lo, hi] with `decimals` decimals, distinct and away from 0 by default."""
    out = []
    while len(out) < n:
        v = round(lo + (hi - lo) * rng.next(), decimals)
        if avoid_zero and abs(v) < 0.05:
            continue
        if distinct and v in out:
            continue
        out.append(v)
    return out


def mk(shape, dtype="float32", lo=-2.0, hi=2.0, rg=None, **kw):
    if dtype == "int32":
        vals = [int(math.floor(lo + (hi - lo + 1) * rng.next())) for _ in range(numel(shape))]
    elif dtype == "bool":
        vals = [rng.next() < 0.5 for _ in range(numel(shape))]
    else:
        vals = values(numel(shape), lo, hi, **kw)
    t = torch.tensor(vals, dtype=TDT[dtype]).reshape(shape)
    if rg is None:
        rg = dtype in ("float32", "float64")
    return t, rg


def enc(t):
    """values (flat, as stored by PyTorch), shape, dtype."""
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == torch.bool:
        flat = [1 if v else 0 for v in flat]
    else:  # JSON has no NaN or infinities: the reader (test/core/reference.ts) maps these strings back
        flat = [v if math.isfinite(v) else ("NaN" if v != v else "Infinity" if v > 0 else "-Infinity") for v in flat]
    return {"values": flat, "shape": list(t.shape), "dtype": DT[t.dtype]}


CASES = []


def resolve(a, ts):
    if isinstance(a, dict) and "t" in a:
        return ts[a["t"]]
    if isinstance(a, list) and any(isinstance(x, dict) for x in a):
        return [resolve(x, ts) for x in a]
    return a


def case(name, kind, op, inputs, args, torch_call, pick=None, free=False, grad=True):
    """inputs: list of (tensor, requires_grad). torch_call(*resolved_args) -> torch output."""
    ts = [t.clone().requires_grad_(rg) for t, rg in inputs]
    c = {
        "name": name,
        "call": {"kind": kind, "name": op, "args": args},
        "inputs": [dict(enc(t), requiresGrad=rg) for (t, rg) in inputs],
    }
    if pick:
        c["pick"] = pick
    if free:
        c["free"] = True  # PyTorch also has torch.<op>: tests call tg.<op> too
    out = torch_call(*[resolve(a, ts) for a in args])
    if pick:
        out = getattr(out, pick)
    c["out"] = enc(out)
    c["g"] = None
    c["grads"] = [None for _ in ts]
    if grad and out.requires_grad:
        gt = torch.tensor(values(max(out.numel(), 1), -1.5, 1.5, distinct=False),
                          dtype=out.dtype).reshape(out.shape)
        out.backward(gt)
        c["g"] = {"values": gt.reshape(-1).tolist(), "shape": list(gt.shape)}
        c["grads"] = [None if t.grad is None else {"values": t.grad.reshape(-1).tolist(),
                                                   "shape": list(t.grad.shape)} for t in ts]
    CASES.append(c)


def m(name, op, inputs, extra, fn=None, **kw):
    """A method case: inputs[0].op(*extra) where extra may reference other inputs."""
    args = [{"t": 0}] + extra
    call = fn or (lambda s, *a: getattr(s, PY.get(op, op))(*a))
    case(name, "method", op, inputs, args, call, **kw)


def f(name, op, inputs, args, call, **kw):
    case(name, "fn", op, inputs, args, call, **kw)


PY = {"leakyRelu": "leaky_relu", "logSoftmax": "log_softmax", "indexSelect": "index_select"}
T0, T1, T2 = {"t": 0}, {"t": 1}, {"t": 2}

# ---------------------------------------------------------------- elementwise unary
for dt in ("float32", "float64"):
    for op in ("neg", "abs", "exp", "square", "sin", "cos", "tanh", "sigmoid", "relu"):
        m(f"{op} {dt}", op, [mk([2, 3], dt)], [], free=True)
    m(f"log {dt}", "log", [mk([2, 3], dt, 0.1, 3.0)], [], free=True)
    m(f"sqrt {dt}", "sqrt", [mk([2, 3], dt, 0.1, 3.0)], [], free=True)
m("exp 0-d", "exp", [mk([], "float32")], [], free=True)
m("tanh 3-d", "tanh", [mk([2, 2, 3])], [], free=True)
m("leakyRelu default slope", "leakyRelu", [mk([2, 3])], [],
  fn=lambda s: torch.nn.functional.leaky_relu(s))
m("leakyRelu slope 0.2", "leakyRelu", [mk([2, 3])], [0.2],
  fn=lambda s, a: torch.nn.functional.leaky_relu(s, a))
m("elu default alpha", "elu", [mk([2, 3])], [], fn=lambda s: torch.nn.functional.elu(s))
m("elu alpha 0.5", "elu", [mk([2, 3])], [0.5], fn=lambda s, a: torch.nn.functional.elu(s, a))
m("clamp min only", "clamp", [mk([2, 3])], [-0.5], free=True)
m("clamp max only", "clamp", [mk([2, 3])], [None, 0.5], fn=lambda s, lo, hi: s.clamp(max=hi), free=True)
m("clamp min and max", "clamp", [mk([2, 3])], [-0.5, 0.5], free=True)
m("clamp float64", "clamp", [mk([3, 2], "float64")], [-1, 1], free=True)
m("pow scalar 2", "pow", [mk([2, 3])], [2], free=True)
m("pow scalar 3", "pow", [mk([2, 3])], [3], free=True)
m("pow scalar 0.5", "pow", [mk([2, 3], "float32", 0.1, 3.0)], [0.5], free=True)
m("pow scalar -1", "pow", [mk([2, 3], "float32", 0.2, 3.0)], [-1], free=True)
m("pow tensor exponent", "pow", [mk([2, 3], "float32", 0.2, 3.0), mk([2, 3], "float32", -2, 2)], [T1], free=True)
m("pow tensor exponent broadcast", "pow", [mk([2, 3], "float32", 0.2, 3.0), mk([3], "float32", -2, 2)], [T1], free=True)
m("pow float64", "pow", [mk([4], "float64", 0.2, 3.0), mk([4], "float64", -2, 2)], [T1], free=True)
f("pow number base", "pow", [mk([2, 3])], [2, T0], lambda b, e: torch.pow(b, e))

# ---------------------------------------------------------------- elementwise binary
BIN = ("add", "sub", "mul", "div", "maximum", "minimum")
for op in BIN:
    lo = 0.3 if op == "div" else -2.0
    m(f"{op} same shape", op, [mk([2, 3]), mk([2, 3], lo=lo)], [T1], free=True)
    m(f"{op} broadcast row", op, [mk([2, 3]), mk([3], lo=lo)], [T1], free=True)
    m(f"{op} broadcast column x row", op, [mk([2, 1]), mk([1, 3], lo=lo)], [T1], free=True)
    m(f"{op} broadcast 3-d", op, [mk([3, 1, 2]), mk([4, 1], lo=lo)], [T1], free=True)
    m(f"{op} float64", op, [mk([2, 3], "float64"), mk([2, 3], "float64", lo=lo)], [T1], free=True)
    if op not in ("maximum", "minimum"):
        m(f"{op} number operand", op, [mk([2, 3])], [2.5], free=True)
        m(f"{op} with 0-d tensor", op, [mk([2, 3]), mk([], lo=lo)], [T1], free=True)
m("add scalar 0-d + vector", "add", [mk([]), mk([4])], [T1], free=True)

# ---------------------------------------------------------------- type promotion
pi = lambda: mk([4], "int32", -5, 5)
m("promotion int32 + float32 tensor", "add", [pi(), mk([4])], [T1], free=True)
m("promotion int32 + 2.5", "add", [pi()], [2.5], free=True)
m("promotion int32 + 2", "add", [pi()], [2], free=True)
m("promotion int32 + int32", "add", [pi(), pi()], [T1], free=True)
m("promotion int32 * int32", "mul", [pi(), pi()], [T1], free=True)
m("promotion int32 / int32 is float32", "div", [mk([4], "int32", 1, 5), mk([4], "int32", 1, 5)], [T1], free=True)
m("promotion float32 + float64", "add", [mk([4]), mk([4], "float64")], [T1], free=True)
m("promotion float64 + float32", "add", [mk([4], "float64"), mk([4])], [T1], free=True)
m("promotion float32 + float64 0-d keeps float32", "add", [mk([4]), mk([], "float64")], [T1], free=True)
m("promotion int32 sum stays integer", "sum", [pi()], [], grad=False)
m("promotion int32 neg", "neg", [pi()], [], free=True)
m("promotion int32 abs", "abs", [pi()], [], free=True)
m("promotion int32 exp is float32", "exp", [mk([4], "int32", -2, 2)], [], free=True)
m("promotion int32 max", "max", [pi()], [])

# ---------------------------------------------------------------- comparisons and where
ties = lambda shape: (torch.tensor([float(int(3 * rng.next()) - 1) for _ in range(numel(shape))]).reshape(shape), False)
for op in ("eq", "gt", "lt", "ge", "le"):
    m(f"{op} tensor", op, [ties([2, 3]), ties([2, 3])], [T1], free=True)
    m(f"{op} broadcast", op, [ties([2, 3]), ties([3])], [T1], free=True)
    m(f"{op} number", op, [ties([2, 3])], [0], free=True)
    m(f"{op} int32 vs float", op, [mk([4], "int32", -1, 1), ties([4])], [T1], free=True)
cond = lambda shape: mk(shape, "bool")
f("where same shape", "where", [cond([2, 3]), mk([2, 3]), mk([2, 3])], [T0, T1, T2], torch.where)
f("where broadcast", "where", [cond([2, 1]), mk([1, 3]), mk([2, 3])], [T0, T1, T2], torch.where)
f("where from comparison", "where", [mk([2, 3], rg=False), mk([2, 3]), mk([2, 3])], [T0, T1, T2],
  lambda c, a, b: torch.where(c.gt(0), a, b))
CASES[-1]["call"]["args"] = [{"gt0": 0}, T1, T2]  # cond = inputs[0].gt(0) (built in the test)
f("where scalar other", "where", [cond([2, 3]), mk([2, 3])], [T0, T1, 0.0], lambda c, a, b: torch.where(c, a, b))

# ---------------------------------------------------------------- reductions
R = lambda: mk([3, 4])
R3 = lambda: mk([2, 3, 4])
for op in ("sum", "mean"):
    m(f"{op} all", op, [R()], [], free=True)
    m(f"{op} dim 1", op, [R()], [1], free=True)
    m(f"{op} dim 0", op, [R()], [0], free=True)
    m(f"{op} dim -1", op, [R3()], [-1], free=True)
    m(f"{op} dims [0, 2]", op, [R3()], [[0, 2]], free=True)
    m(f"{op} dims [-1, -2] keepdim", op, [R3()], [[-1, -2], True], free=True)
    m(f"{op} dim 1 keepdim", op, [R()], [1, True], free=True)
    m(f"{op} float64 dim 0", op, [mk([3, 4], "float64")], [0], free=True)
for op in ("max", "min"):
    m(f"{op} all", op, [R()], [], free=True)
    for pick in ("values", "indices"):
        m(f"{op} dim 1 {pick}", op, [R()], [1], pick=pick, free=True)
        m(f"{op} dim -1 keepdim {pick}", op, [R3()], [-1, True], pick=pick, free=True)
        m(f"{op} dim 0 {pick}", op, [R3()], [0], pick=pick, free=True)
for op in ("argmax", "argmin"):
    m(f"{op} all", op, [R()], [], free=True)
    m(f"{op} dim 1", op, [R()], [1], free=True)
    m(f"{op} dim -1 keepdim", op, [R3()], [-1, True], free=True)
for op in ("std", "var"):
    m(f"{op} all", op, [R()], [], free=True)
    m(f"{op} dim 1", op, [R()], [1], free=True)
    # torch.std's second positional argument is `unbiased`; keepdim goes by keyword
    m(f"{op} dim 0 keepdim", op, [R()], [0, True], free=True,
      fn=lambda x, d, k, op=op: getattr(x, op)(d, keepdim=k))
    m(f"{op} dims [0, 2]", op, [R3()], [[0, 2]], free=True)
    m(f"{op} float64", op, [mk([3, 4], "float64")], [-1], free=True)
m("logsumexp dim 1", "logsumexp", [R()], [1], free=True)
m("logsumexp dim -1 keepdim", "logsumexp", [R3()], [-1, True], free=True)
m("logsumexp dims [0, 1]", "logsumexp", [R3()], [[0, 1]], free=True)
m("logsumexp large values are stable", "logsumexp", [mk([2, 3], lo=80, hi=120)], [1], free=True)
for op in ("softmax", "logSoftmax"):
    m(f"{op} dim 1", op, [R()], [1], free=True)
    m(f"{op} dim 0", op, [R()], [0], free=True)
    m(f"{op} dim -1 3-d", op, [R3()], [-1], free=True)
    m(f"{op} large values are stable", op, [mk([2, 3], lo=80, hi=120)], [1], free=True)
    m(f"{op} float64", op, [mk([3, 4], "float64")], [1], free=True)

# ---------------------------------------------------------------- linear algebra
for dt in ("float32", "float64"):
    m(f"matmul 1-D . 1-D {dt}", "matmul", [mk([4], dt), mk([4], dt)], [T1], free=True)
    m(f"matmul 2-D . 2-D {dt}", "matmul", [mk([2, 3], dt), mk([3, 4], dt)], [T1], free=True)
m("matmul 1-D . 2-D", "matmul", [mk([3]), mk([3, 4])], [T1], free=True)
m("matmul 2-D . 1-D", "matmul", [mk([2, 3]), mk([3])], [T1], free=True)
m("matmul batched 3-D . 3-D", "matmul", [mk([2, 2, 3]), mk([2, 3, 4])], [T1], free=True)
m("matmul batched 3-D . 2-D", "matmul", [mk([2, 2, 3]), mk([3, 4])], [T1], free=True)
m("matmul batched 2-D . 3-D", "matmul", [mk([2, 3]), mk([2, 3, 4])], [T1], free=True)
m("matmul batched broadcast batch dims", "matmul", [mk([2, 1, 2, 3]), mk([3, 3, 2])], [T1], free=True)
m("matmul batched 3-D . 1-D", "matmul", [mk([2, 2, 3]), mk([3])], [T1], free=True)
m("matmul 1-D . batched 3-D", "matmul", [mk([3]), mk([2, 3, 4])], [T1], free=True)
m("mm", "mm", [mk([3, 2]), mk([2, 4])], [T1], free=True)
m("mm float64", "mm", [mk([3, 2], "float64"), mk([2, 4], "float64")], [T1], free=True)
m("dot", "dot", [mk([5]), mk([5])], [T1], free=True)
m("t 2-D", "t", [mk([2, 3])], [], free=True)
m("t 1-D", "t", [mk([3])], [], free=True)
m("transpose 0 1", "transpose", [mk([2, 3])], [0, 1], free=True)
m("transpose -1 0 3-d", "transpose", [mk([2, 3, 4])], [-1, 0], free=True)
m("mm of transposed", "mm", [mk([3, 2]), mk([3, 4])], [T1], fn=lambda a, b: a.t().mm(b), grad=True)
CASES[-1]["call"] = {"kind": "fn", "name": "mm", "args": [{"tT": 0}, T1]}  # tests pass inputs[0].t()

# ---------------------------------------------------------------- shape and views
S = lambda: mk([2, 3, 4])
m("reshape", "reshape", [S()], [4, 6], free=True)
m("reshape with -1", "reshape", [S()], [-1, 4], free=True)
m("reshape to 0-d", "reshape", [mk([1, 1])], [[]], fn=lambda s, sh: s.reshape(sh), free=True)
m("view", "view", [S()], [6, 4])
m("view with -1", "view", [S()], [2, -1])
m("unsqueeze 0", "unsqueeze", [mk([2, 3])], [0], free=True)
m("unsqueeze -1", "unsqueeze", [mk([2, 3])], [-1], free=True)
m("unsqueeze 1", "unsqueeze", [mk([2, 3])], [1], free=True)
m("squeeze all", "squeeze", [mk([1, 2, 1, 3])], [], free=True)
m("squeeze dim 2", "squeeze", [mk([1, 2, 1, 3])], [2], free=True)
m("squeeze non-1 dim is a no-op", "squeeze", [mk([1, 2, 1, 3])], [1], free=True)
m("flatten all", "flatten", [S()], [], free=True)
m("flatten start 1", "flatten", [S()], [1], free=True)
m("flatten start 0 end 1", "flatten", [S()], [0, 1], free=True)
m("flatten 0-d", "flatten", [mk([])], [], free=True)
m("expand", "expand", [mk([3, 1])], [3, 4])
m("expand with -1 and new dim", "expand", [mk([3, 1])], [2, -1, 4])
m("permute", "permute", [S()], [2, 0, 1], free=False)
m("permute negative", "permute", [S()], [-1, 1, 0])
m("narrow", "narrow", [mk([4, 3])], [0, 1, 2], free=True)
m("narrow dim 1", "narrow", [mk([4, 3])], [1, 1, 2], free=True)
idx = lambda vals: (torch.tensor(vals, dtype=torch.int32), False)
m("indexSelect dim 0", "indexSelect", [mk([4, 3]), idx([2, 0, 2])], [0, T1], free=True)
m("indexSelect dim 1", "indexSelect", [mk([4, 3]), idx([1, 1, 0, 2])], [1, T1], free=True)
m("at row", "at", [mk([3, 4])], [1], fn=lambda s, i: s[i])
m("at negative", "at", [mk([3, 4])], [-1], fn=lambda s, i: s[i])
m("at element", "at", [mk([3, 4])], [2, 3], fn=lambda s, i, j: s[i, j])
m("at 3-d", "at", [S()], [1, -2], fn=lambda s, i, j: s[i, j])
for d in (0, 1, -1):
    f(f"cat dim {d}", "cat", [mk([2, 3]), mk([2, 3])], [[T0, T1], d], torch.cat)
f("cat different sizes dim 0", "cat", [mk([2, 3]), mk([1, 3]), mk([3, 3])], [[T0, T1, T2], 0], torch.cat)
f("cat default dim", "cat", [mk([2, 3]), mk([1, 3])], [[T0, T1]], torch.cat)
for d in (0, 1, 2, -1):
    f(f"stack dim {d}", "stack", [mk([2, 3]), mk([2, 3])], [[T0, T1], d], torch.stack)
f("stack default dim", "stack", [mk([3]), mk([3]), mk([3])], [[T0, T1, T2]], torch.stack)
m("contiguous of transpose", "contiguous", [mk([2, 3])], [], fn=lambda s: s.t().contiguous())
CASES[-1]["call"] = {"kind": "method", "name": "contiguous", "args": [{"tT": 0}]}


# ---------------------------------------------------------------- creation
def vals_of(t):
    return enc(t)


creation = {
    "linspace 0 1 5": vals_of(torch.linspace(0, 1, 5)),
    "linspace -1 2 7": vals_of(torch.linspace(-1, 2, 7)),
    "linspace 0 1 1": vals_of(torch.linspace(0, 1, 1)),
    "linspace 3 -3 10": vals_of(torch.linspace(3, -3, 10)),
    "arange 5": vals_of(torch.arange(5)),
    "arange 2 7": vals_of(torch.arange(2, 7)),
    "arange 0 10 3": vals_of(torch.arange(0, 10, 3)),
    "arange 5 0 -2": vals_of(torch.arange(5, 0, -2)),
    "arange 0 1 0.1": vals_of(torch.arange(0, 1, 0.1)),
    "arange 1 2.5 0.5": vals_of(torch.arange(1, 2.5, 0.5)),
    "arange 0.5": vals_of(torch.arange(0.5)),
    "eye 3": vals_of(torch.eye(3)),
}

# ---------------------------------------------------------------- printing (str(t))
def s(t):
    return str(t)


w = torch.ones(3, requires_grad=True)
x = w + torch.tensor([2])
y = x * 3
z = y.mean()
printing = {
    "ones requires_grad": {"str": s(w)},
    "add grad_fn": {"str": s(x)},
    "mul grad_fn": {"str": s(y)},
    "mean grad_fn 0-d": {"str": s(z)},
    "sum grad_fn": {"str": s((torch.ones(4, requires_grad=True) * 3).sum())},
}


def pcase(name, t):
    printing[name] = dict(enc(t), str=s(t))


pcase("float vector integers", torch.tensor([1.0, 2.0, 3.0]))
pcase("float vector fractions", torch.tensor([0.5, 1.25, -3.125, 100.0]))
pcase("float vector 4 decimals rounding", torch.tensor([0.12345, 2.71828, -1.0 / 3.0]))
pcase("negative numbers", torch.tensor([-1.5, 2.0, -0.25]))
pcase("negative integers", torch.tensor([-1.0, -20.0, 3.0]))
pcase("mixed magnitudes scientific", torch.tensor([1e-5, 1.0, 1e5]))
pcase("large values scientific", torch.tensor([1e10, 2e10]))
pcase("small values scientific", torch.tensor([1e-6, 2.5e-7]))
pcase("integral large values no sci", torch.tensor([100000.0, 2.0]))
pcase("0-d float", torch.tensor(3.5))
pcase("0-d integral float", torch.tensor(27.0))
pcase("0-d loss-like", torch.tensor(0.22543))
pcase("2-d", torch.tensor([[1.0, -2.5], [3.25, 4.0]]))
pcase("2-d integers", torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
pcase("3-d", torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 4)
pcase("long 1-d summarized", torch.arange(1200, dtype=torch.float32))
pcase("long 2-d summarized", torch.arange(1600, dtype=torch.float32).reshape(40, 40) / 8)
pcase("exactly 1000 elements not summarized", torch.ones(1000))
pcase("all-zero float tensor (PyTorch formats width 1: 24 per line)", torch.zeros(30))
pcase("round half to even in scientific notation", torch.tensor([185.125, 0.03125, 2.5, 1e-5]))
pcase("round half to even in fixed notation", torch.tensor([0.03125, 1.5, -0.28125]))
pcase("wraps lines", torch.arange(30, dtype=torch.float32) / 7)
pcase("int32", torch.tensor([1, -2, 3], dtype=torch.int32))
pcase("int32 2-d", torch.tensor([[1, 20], [300, -4]], dtype=torch.int32))
pcase("int32 0-d", torch.tensor(7, dtype=torch.int32))
pcase("bool", torch.tensor([True, False, True]))
pcase("float64", torch.tensor([1.5, 2.0, -3.0], dtype=torch.float64))
pcase("float64 0-d", torch.tensor(2.0, dtype=torch.float64))
pcase("empty", torch.tensor([]))
pcase("empty 2-d", torch.zeros(0, 3))
pcase("empty int32", torch.zeros(0, dtype=torch.int32))
pcase("nan and inf", torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]))
printing["nan and inf"]["values"] = ["NaN", "Infinity", "-Infinity", 1.5]
rgt = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
printing["float64 requires_grad"] = dict(enc(rgt), str=s(rgt))


# ---------------------------------------------------------------- errors (PyTorch's messages)
def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return str(e).split("\n")[0]
    raise AssertionError("expected an error")


errors = {
    "broadcast mismatch": err(lambda: torch.ones(2, 3) + torch.ones(2, 4)),
    "mm shapes": err(lambda: torch.ones(2, 3).mm(torch.ones(4, 5))),
    "matmul 2-D shapes": err(lambda: torch.ones(2, 3).matmul(torch.ones(4, 5))),
    "dim out of range sum": err(lambda: torch.ones(2, 3).sum(2)),
    "dim out of range negative": err(lambda: torch.ones(2, 3).sum(-3)),
    "dim out of range unsqueeze": err(lambda: torch.ones(2, 3).unsqueeze(3)),
    "dim out of range softmax": err(lambda: torch.ones(2, 3).softmax(2)),
    "reshape invalid": err(lambda: torch.ones(6).reshape(4, 4)),
    "view invalid": err(lambda: torch.ones(2, 3).view(4, -1)),
    "reshape two -1": err(lambda: torch.ones(6).reshape(-1, -1)),
    "view of non-contiguous": err(lambda: torch.ones(2, 3).t().view(6)),
    "negative size": err(lambda: torch.zeros(-1)),
    "item of many elements": err(lambda: torch.ones(2, 3).item()),
    "dot sizes": err(lambda: torch.ones(3).dot(torch.ones(4))),
    "cat sizes": err(lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)], 0)),
    "stack sizes": err(lambda: torch.stack([torch.ones(2, 3), torch.ones(2, 4)])),
    "expand invalid": err(lambda: torch.ones(2, 3).expand(4, 3)),
    "narrow out of range": err(lambda: torch.ones(5).narrow(0, 3, 4)),
    "index out of range": err(lambda: torch.ones(3)[5]),
    "indexSelect out of range": err(lambda: torch.ones(3).index_select(0, torch.tensor([5]))),
    "mean of int": err(lambda: torch.tensor([1, 2], dtype=torch.int32).mean()),
    "ragged": err(lambda: torch.tensor([[1.0, 2.0], [3.0]])),
    "ragged deeper": err(lambda: torch.tensor([[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0]]])),
    "backward without grad": err(lambda: torch.ones(2).sum().backward()),
    "backward non-scalar": err(lambda: (torch.ones(2, requires_grad=True) * 2).backward()),
    "leaf in-place": err(lambda: torch.ones(2, requires_grad=True).add_(1)),
    "in-place int32 with float": err(lambda: torch.ones(2, dtype=torch.int32).add_(2.5)),
    "in-place broadcast output shape": err(lambda: torch.ones(3).add_(torch.ones(2, 3))),
    "non-leaf requiresGrad_ false": err(lambda: (torch.ones(2, requires_grad=True) * 2).requires_grad_(False)),
    "int32 requiresGrad": err(lambda: torch.ones(2, dtype=torch.int32).requires_grad_()),
}


def second_backward():
    a = torch.ones(2, requires_grad=True)
    b = (a * a).sum()
    b.backward()
    b.backward()


def version_counter():
    a = torch.ones(3, requires_grad=True)
    b = a.exp()
    c = b.sum()
    b.add_(1)
    c.backward()
    b.backward(torch.ones(3))


def version_counter_mul():
    a = torch.ones(3, requires_grad=True)
    b = a * 2
    c = b * b
    b.mul_(3)
    c.sum().backward()


errors["second backward"] = err(second_backward)
errors["version counter"] = err(version_counter_mul)
errors["exp saved output modified"] = err(version_counter)


# ---------------------------------------------------------------- lecture seed
X = [[0.5, 0.9], [14.0, 12.0], [15.0, 13.6], [28.0, 22.8], [11.0, 8.1], [8.0, 7.1],
     [3.0, 2.9], [-4.0, 0.1], [6.0, 5.3], [13.0, 12.0], [21.0, 19.9], [-1.0, 1.5]]
Y = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4, 29.1]


def lecture(X, scale):
    Xt = torch.tensor(X, dtype=torch.float)
    yt = torch.tensor(Y, dtype=torch.float)
    if scale:
        yt = yt * 0.01
    W = torch.ones((2,), requires_grad=True)
    b = torch.zeros((1,), requires_grad=True)
    y_pred = torch.sigmoid(torch.sum(Xt * W, dim=1) + b)
    loss = torch.square(y_pred - yt).mean()
    loss.backward()
    res = {"yPred": y_pred.tolist(), "yPredStr": str(y_pred.detach()), "loss": loss.item(),
           "lossStr": str(loss.detach()), "WGrad": W.grad.tolist(), "bGrad": b.grad.tolist()}
    # 1000 epochs of the lecture's autograd loop (lr 0.01)
    W = torch.ones((2,), requires_grad=True)
    b = torch.zeros((1,), requires_grad=True)
    trace = []
    for epoch in range(1000):
        loss = torch.square(torch.sigmoid(torch.sum(Xt * W, dim=1) + b) - yt).mean()
        loss.backward()
        if epoch % 100 == 0:
            trace.append(loss.item())
        with torch.no_grad():
            W -= 0.01 * W.grad
            b -= 0.01 * b.grad
            W.grad = None
            b.grad = None
    res["lossEvery100"] = trace
    res["WAfter1000"] = W.tolist()
    res["bAfter1000"] = b.tolist()
    return res


# The seed has two versions of X: the slides' list (row 7 = [-4.0, 0.1], unscaled y: loss 2673.9028)
# and the SimpleDataset code (row 7 = [4.0, 0.1], y * 0.01: loss 0.2254). Both printed values are checked.
X_CODE = [row[:] for row in X]
X_CODE[7] = [4.0, 0.1]

# ---------------------------------------------------------------- grad_fn names
def gradfn_names():
    a = torch.ones(2, 3, requires_grad=True)
    b = torch.ones(3, 4, requires_grad=True)
    v = torch.ones(3, requires_grad=True)
    e = {
        "add": a + a, "add number": a + 1, "sub": a - a, "mul": a * a, "mul number": a * 2,
        "div": a / a, "neg": -a, "pow number": a ** 2, "pow tensor": a ** a, "exp": a.exp(),
        "log": a.log(), "sqrt": a.sqrt(), "abs": a.abs(), "sin": a.sin(), "cos": a.cos(),
        "tanh": a.tanh(), "sigmoid": a.sigmoid(), "relu": a.relu(), "square": a.square(),
        "clamp": a.clamp(0, 1), "sum": a.sum(), "sum dim": a.sum(1), "mean": a.mean(),
        "mean dim": a.mean(1), "mm": a.mm(b), "matmul 2-D": a.matmul(b), "matmul 1-D": v.matmul(v),
        "dot": v.dot(v), "t": a.t(), "transpose": a.transpose(0, 1), "reshape": a.reshape(6),
        "view": a.view(6), "unsqueeze": a.unsqueeze(0), "permute": a.permute(1, 0),
        "expand": v.expand(2, 3), "softmax": a.softmax(1), "logSoftmax": a.log_softmax(1),
        "max dim": a.max(1).values, "max": a.max(), "cat": torch.cat([a, a]), "stack": torch.stack([a, a]),
        "where": torch.where(a > 0, a, a), "narrow": a.narrow(0, 0, 1), "at": a[0],
        "indexSelect": a.index_select(0, torch.tensor([0])), "std": a.std(), "var": a.var(),
        "logsumexp": a.logsumexp(1), "maximum": torch.maximum(a, a), "flatten": a.flatten(),
        "squeeze": a.unsqueeze(0).squeeze(0), "clone": a.clone(),
    }
    return {k: type(t.grad_fn).__name__ for k, t in e.items()}


gradfn = gradfn_names()

lecture_ref = {
    "slides": dict(X=X, y=Y, scale=1.0, **lecture(X, False)),
    "datasetClass": dict(X=X_CODE, y=Y, scale=0.01, **lecture(X_CODE, True)),
}

# ---------------------------------------------------------------- atan2 (appended: earlier cases keep their values)
m("atan2 same shape", "atan2", [mk([2, 3]), mk([2, 3])], [T1], free=True)
m("atan2 broadcast row", "atan2", [mk([2, 3]), mk([3])], [T1], free=True)
m("atan2 broadcast column x row", "atan2", [mk([2, 1]), mk([1, 3])], [T1], free=True)
m("atan2 float64", "atan2", [mk([2, 3], "float64"), mk([2, 3], "float64")], [T1], free=True)
m("atan2 every quadrant and signed zeros", "atan2",
  [(torch.tensor([1.0, 1.0, -1.0, -1.0, 0.0, 0.0, -0.0, 2.0, 0.5]), True),
   (torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 0.0, -3.0]), True)], [T1], free=True)
m("atan2 int32 gives float32", "atan2", [mk([4], "int32", -3, 3), mk([4], "int32", -3, 3)], [T1], free=True)
m("atan2 float32 with float64", "atan2", [mk([4]), mk([4], "float64")], [T1], free=True)

# ---------------------------------------------------------------- rounding, log1p/expm1, isnan/isinf, remainder (appended)
for dt in ("float32", "float64"):
    m(f"log1p {dt}", "log1p", [mk([2, 3], dt, -0.9, 3.0)], [], free=True)
    m(f"expm1 {dt}", "expm1", [mk([2, 3], dt)], [], free=True)
halves = lambda: (torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7, 3.49, -3.51]), True)
for op in ("floor", "ceil", "round", "trunc"):
    m(f"{op} with halves", op, [halves()], [], free=True)
    m(f"{op} int32 is a copy", op, [mk([4], "int32", -5, 5)], [], free=True)
specials = lambda: (torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), 0.0, -2.0]), False)
m("isnan", "isnan", [specials()], [], free=True)
m("isinf", "isinf", [specials()], [], free=True)
m("isnan int32", "isnan", [mk([3], "int32")], [], free=True)
m("remainder same shape signs", "remainder", [mk([2, 3], lo=-5, hi=5), mk([2, 3], lo=-3, hi=3)], [T1], free=True)
m("remainder broadcast float64", "remainder", [mk([2, 3], "float64", -5, 5), mk([3], "float64", 0.5, 2)], [T1], free=True)
m("remainder number", "remainder", [mk([2, 3], lo=-5, hi=5)], [-1.5], free=True)
m("remainder int32", "remainder", [mk([6], "int32", -7, 7), (torch.tensor([3, -3, 2, -2, 5, 4], dtype=torch.int32), False)], [T1], free=True)

# ---------------------------------------------------------------- sequence-model tensor ops (appended)
m("flip dims 0,2", "flip", [mk([2, 3, 2])], [[0, 2]], free=True)
m("flip last", "flip", [mk([3, 4])], [[-1]], free=True)
m("roll one dim", "roll", [mk([2, 5])], [2, 1], free=True)
m("roll two dims", "roll", [mk([3, 4])], [[1, -1], [0, 1]], free=True)
m("roll flattened", "roll", [mk([2, 3])], [4], free=True)
m("repeat 2-d", "repeat", [mk([2, 3])], [2, 1])
m("repeat adds dims", "repeat", [mk([3])], [2, 1, 2])
m("tile fewer dims", "tile", [mk([2, 3])], [[2]], free=True)
m("tril", "tril", [mk([3, 4])], [], free=True)
m("tril k=1 batched", "tril", [mk([2, 3, 3])], [1], free=True)
m("triu k=-1", "triu", [mk([4, 3])], [-1], free=True)
mask = (torch.tensor([[True, False, True], [False, False, True]]), False)
m("maskedFill", "maskedFill", [mk([2, 3]), mask], [T1, -1.5], fn=lambda s, mm, v: s.masked_fill(mm, v))
m("maskedFill broadcast mask", "maskedFill", [mk([2, 3]), (torch.tensor([True, False, True]), False)], [T1, 7.0],
  fn=lambda s, mm, v: s.masked_fill(mm, v))
m("outer", "outer", [mk([3]), mk([4])], [T1], free=True)
ties_t = (torch.tensor([[3.0, 1.0, 2.0, 1.0, 5.0], [0.5, 0.5, -1.0, 2.0, 0.5]]), True)
m("sort last dim", "sort", [ties_t], [], pick="values", free=True)
m("sort indices with ties", "sort", [ties_t], [], pick="indices", free=True, grad=False)
m("sort dim 0 descending", "sort", [mk([3, 4])], [0, True], pick="values", free=True)
m("sort dim 0 descending indices", "sort", [mk([3, 4])], [0, True], pick="indices", free=True, grad=False)
m("argsort", "argsort", [mk([2, 5])], [], free=True, grad=False)
m("topk 2", "topk", [mk([2, 5])], [2], pick="values", free=True)
m("topk 2 indices", "topk", [mk([2, 5])], [2], pick="indices", free=True, grad=False)
m("topk smallest dim 0", "topk", [mk([4, 3])], [2, 0, False], pick="values", free=True)
m("cumsum", "cumsum", [mk([3, 4])], [1], free=True)
m("cumsum dim 0 float64", "cumsum", [mk([3, 2], "float64")], [0], free=True)
m("cumsum int32", "cumsum", [mk([5], "int32", -5, 5)], [0], free=True)
m("cumprod", "cumprod", [mk([2, 4], lo=0.5, hi=1.5)], [1], free=True)
m("cumprod with a zero", "cumprod", [(torch.tensor([[1.5, 0.0, 2.0, -1.0], [0.5, 2.0, 0.0, 0.0]]), True)], [1], free=True)
m("any", "any", [(torch.tensor([[0.0, 0.0], [0.0, 3.0]]), False)], [], free=True)
m("any dim", "any", [(torch.tensor([[0.0, 0.0], [0.0, 3.0]]), False)], [1], free=True)
m("all dim keepdim", "all", [(torch.tensor([[1.0, 2.0], [0.0, 3.0]]), False)], [0, True], free=True)
m("norm", "norm", [mk([3, 4])], [], free=True)
m("norm p=1 dim", "norm", [mk([3, 4])], [1, 1], free=True)
m("norm p=3 float64", "norm", [mk([2, 3], "float64")], [3], free=True)

# ---------------------------------------------------------------- erf (appended)
for dt in ("float32", "float64"):
    m(f"erf {dt}", "erf", [mk([2, 4], dt, -3, 3)], [], free=True)

# ---------------------------------------------------------------- alpha, pow's special exponents (appended)
m("add alpha", "add", [mk([2, 3]), mk([2, 3])], [T1, {"alpha": 2.5}], fn=lambda s, o, kw: s.add(o, alpha=kw["alpha"]))
m("sub alpha broadcast", "sub", [mk([2, 3]), mk([3])], [T1, {"alpha": -0.5}], fn=lambda s, o, kw: s.sub(o, alpha=kw["alpha"]))
m("add alpha number", "add", [mk([4])], [3.0, {"alpha": 2.0}], fn=lambda s, o, kw: s.add(o, alpha=kw["alpha"]))
for e in (2, 0.5, -1):
    m(f"pow special exponent {e}", "pow", [mk([3, 7], "float32", 0.1, 3.0)], [e], free=True)

# ---------------------------------------------------------------- diagonals and grids (appended)
m("diagonal", "diagonal", [mk([3, 4])], [], free=True)
m("diagonal offset 1 dims 1,2", "diagonal", [mk([2, 3, 4])], [1, 1, 2], free=True)
m("diagonal offset -1", "diagonal", [mk([4, 3])], [-1], free=True)
m("diag of a vector, k=1", "diag", [mk([3])], [1], free=True)
m("diag of a matrix", "diag", [mk([3, 3])], [], free=True)
m("diagEmbed", "diagEmbed", [mk([2, 3])], [], fn=lambda s: torch.diag_embed(s), free=True)
m("diagEmbed offset -1 dims 0,2", "diagEmbed", [mk([2, 3])], [-1, 0, 2], fn=lambda s, o, a, b: torch.diag_embed(s, o, a, b), free=True)

doc = {
    "torch": torch.__version__,
    "cases": CASES,
    "creation": creation,
    "printing": printing,
    "errors": errors,
    "gradFn": gradfn,
    "lecture": lecture_ref,
}
with open(OUT, "w") as fh:
    json.dump(doc, fh, separators=(",", ":"), allow_nan=False)
print(f"wrote {OUT}: {len(CASES)} cases, {os.path.getsize(OUT)} bytes")
