"""PyTorch 1.13's bfloat16/float16 behaviour, for test/core/half-dtypes.test.ts (and the autocast test).

Writes test/reference/bf16.json:
  conversions: float32 bit patterns (special values, boundaries, random) and the words .bfloat16()/.half() give;
  from64: float64 values and their bfloat16/float16 words (PyTorch rounds to float32 first);
  ops: op name, inputs (16-bit words), output words and dtype;
  printed: repr strings; promotion: result dtypes.
Run with Debian's /usr/bin/python3 (python3-torch 1.13).
"""
import json
import math
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bf16.json")
rng = np.random.default_rng(16)

NAMES = {torch.bfloat16: "bfloat16", torch.float16: "float16", torch.float32: "float32", torch.float64: "float64",
         torch.int32: "int32", torch.int64: "int32", torch.bool: "bool"}


def f32_bits(values):
    return [struct.unpack("<I", struct.pack("<f", v))[0] for v in np.asarray(values, dtype=np.float32).ravel()]


def words(t):
    return [v & 0xFFFF for v in t.contiguous().view(torch.int16).reshape(-1).tolist()]


def from_bits(bits):
    return torch.from_numpy(np.array(bits, dtype=np.uint32).view(np.float32).copy())


specials = [0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"), 65504.0, 65505.0, 65519.0, 65520.0,
            -65520.0, 1e5, 6.103515625e-05, 6.0e-05, 5.960464477539063e-08, 2.98e-08, 2.9802322387695312e-08,
            1e-8, 3.3895313892515355e+38, 3.3961775292304086e+38, 3.4028234663852886e+38, -3.4e38, 1.1754943508222875e-38,
            9.183549615799121e-41, 1e-45, 1.00390625, 1.01171875, 1.005859375, 1.0078125, 1.0048828125, 1.0009765625,
            1.00048828125, 1.00146484375, 0.1, 1.0 / 3.0, math.pi, -math.e]
bits = f32_bits(specials)
bits += [0x3F808000, 0x3F818000, 0x3F80C000, 0x3F817FFF, 0x3F808001, 0x7F7F8000, 0x7F7FFFFF, 0x00008000, 0x00018000,
         0x80018000, 0x7F800001, 0xFFC00000, 0x33800000, 0x33800001, 0x387FC000, 0x387FE000, 0x38800000]
bits += f32_bits(rng.standard_normal(200) * np.exp(rng.uniform(-30, 30, 200)))
bits += [int(b) for b in rng.integers(0, 2**32, 100, dtype=np.uint64)]
x = from_bits(bits)
conversions = {"f32": bits, "bf16": words(x.bfloat16()), "f16": words(x.half()),
               "bf16_to_f32": f32_bits(x.bfloat16().float().numpy()), "f16_to_f32": f32_bits(x.half().float().numpy())}

d64 = [1 + 2**-8 + 2**-30, 1 + 2**-11 + 2**-40, 0.1, 1e300, -1e-300, 65519.99, 3.3961775292304086e+38, 1.0000000596046448]
from64 = {"f64": d64, "bf16": words(torch.tensor(d64, dtype=torch.float64).bfloat16()),
          "f16": words(torch.tensor(d64, dtype=torch.float64).half())}


def rand(shape, scale=2.0, positive=False):
    v = rng.standard_normal(shape) * scale
    if positive:
        v = np.abs(v) + 0.05
    return torch.from_numpy(v.astype(np.float32))


def enc(t):
    if t.dtype in (torch.bfloat16, torch.float16):
        return {"words": words(t), "shape": list(t.shape), "dtype": NAMES[t.dtype]}
    return {"values": t.double().reshape(-1).tolist() if t.dtype != torch.bool else t.reshape(-1).int().tolist(),
            "shape": list(t.shape), "dtype": NAMES[t.dtype]}


ops = []


def case(name, fn, inputs, dtype, scalar=None):
    ins = [t.to(dtype) for t in inputs]
    try:
        out = fn(*ins)
        native = True
    except RuntimeError:
        # PyTorch 1.13 lacks some float16 CPU kernels: its rule (compute in float32, round) gives the value.
        out = fn(*[t.float() for t in ins]).to(dtype)
        native = False
    if isinstance(out, tuple):
        out = out[0]
    ops.append({"name": name, "inputs": [enc(t) for t in ins], "out": enc(out), "native": native, "scalar": scalar})


for dt in (torch.bfloat16, torch.float16):
    a, b, p = rand((3, 5)), rand((3, 5)), rand((3, 5), positive=True)
    for name in ["exp", "tanh", "sigmoid", "relu", "neg", "abs", "sin", "cos", "square", "floor", "round", "sign"]:
        case(name, getattr(torch, name), [a], dt)
    for name in ["log", "sqrt", "rsqrt", "reciprocal"]:
        case(name, getattr(torch, name), [p], dt)
    case("gelu", torch.nn.functional.gelu, [a], dt)
    case("silu", torch.nn.functional.silu, [a], dt)
    for name in ["add", "sub", "mul", "div", "maximum", "minimum", "atan2"]:
        case(name, getattr(torch, name), [a, b], dt)
    case("pow", torch.pow, [p, b], dt)
    case("add_bcast", torch.add, [a, rand((5,))], dt)
    for s in [1.1, 0.1, 3.0, -2.5]:
        case("mul_scalar", lambda t, s=s: t * s, [a], dt, s)
        case("add_scalar", lambda t, s=s: t + s, [a], dt, s)
        case("div_scalar", lambda t, s=s: t / s, [a], dt, s)
    case("sum", lambda t: t.sum(), [rand((7, 9))], dt)
    case("sum_dim0", lambda t: t.sum(0), [rand((7, 9))], dt)
    case("sum_dim1", lambda t: t.sum(1), [rand((7, 9))], dt)
    case("mean", lambda t: t.mean(), [rand((7, 9))], dt)
    case("mean_dim1", lambda t: t.mean(1), [rand((7, 9))], dt)
    case("amax_dim1", lambda t: t.amax(1), [rand((4, 6))], dt)
    case("amin_dim0", lambda t: t.amin(0), [rand((4, 6))], dt)
    case("max", lambda t: t.max(), [rand((4, 6))], dt)
    case("softmax", lambda t: torch.softmax(t, 1), [rand((4, 6))], dt)
    case("log_softmax", lambda t: torch.log_softmax(t, 1), [rand((4, 6))], dt)
    case("logsumexp", lambda t: torch.logsumexp(t, 1), [rand((4, 6))], dt)
    case("matmul", torch.matmul, [rand((5, 7)), rand((7, 3))], dt)
    case("cumsum", lambda t: torch.cumsum(t, 1), [rand((3, 6))], dt)
    case("where", lambda t, u: torch.where(t > 0, t, u), [a, b], dt)
    case("clamp", lambda t: torch.clamp(t, -0.5, 0.7), [a], dt)

printed = []
for t in [torch.tensor([1.0, 2.5]).bfloat16(), torch.tensor([1.0, 2.5]).half(), torch.tensor([1e-3, 2.5]).bfloat16(),
          torch.tensor([3.0]).bfloat16(), torch.tensor(7.0).half(), torch.tensor([1e20, float("nan"), -float("inf")]).bfloat16(),
          torch.tensor([[0.1, -2.0], [300.0, 4.0]]).half(), torch.tensor([65504.0, 1e-7]).half(),
          torch.ones(2, dtype=torch.bfloat16).requires_grad_()]:
    printed.append({"value": enc(t.detach()), "requiresGrad": t.requires_grad, "repr": repr(t)})

D = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
     "int32": torch.int32, "bool": torch.bool}
promotion = []
for x in D:
    for y in D:
        promotion.append({"a": x, "b": y, "out": NAMES[torch.promote_types(D[x], D[y])]})
scalar_promotion = []
for x in ["bfloat16", "float16"]:
    for s in [2, 2.5, True]:
        scalar_promotion.append({"a": x, "scalar": s, "out": NAMES[(torch.ones(2, dtype=D[x]) + s).dtype]})
    for z in D:
        scalar_promotion.append({"a": x, "zeroDim": z, "out": NAMES[(torch.ones(2, dtype=D[x]) + torch.ones((), dtype=D[z])).dtype]})
        scalar_promotion.append({"a": z, "zeroDim": x, "out": NAMES[(torch.ones(2, dtype=D[z]) + torch.ones((), dtype=D[x])).dtype]})

# Autocast: a small MLP's loss, gradients and a few SGD steps under torch.autocast("cpu", dtype=torch.bfloat16),
# beside the float32 run; and the output dtype of each op category for float32 and bfloat16 inputs.
import torch.nn.functional as F

torch.manual_seed(0)
W1, b1 = torch.randn(16, 8) * 0.4, torch.randn(16) * 0.1
W2, b2 = torch.randn(4, 16) * 0.3, torch.randn(4) * 0.1
X = torch.randn(12, 8)
Y = torch.randint(0, 4, (12,))


def mlp_run(use_autocast, steps=5, lr=0.1):
    ps = [t.clone().requires_grad_() for t in (W1, b1, W2, b2)]
    losses, grads, logits_dtype = [], None, None
    for step in range(steps):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_autocast):
            h = F.relu(F.linear(X, ps[0], ps[1]))
            logits = F.linear(h, ps[2], ps[3])
            loss = F.cross_entropy(logits, Y)
        logits_dtype = str(logits.dtype).replace("torch.", "")
        for p in ps:
            p.grad = None
        loss.backward()
        if step == 0:
            grads = [p.grad.reshape(-1).tolist() for p in ps]
        losses.append(loss.item())
        with torch.no_grad():
            for p in ps:
                p -= lr * p.grad
    return {"losses": losses, "grads": grads, "logitsDType": logits_dtype, "lossDType": str(loss.dtype).replace("torch.", "")}


mlp = {"W1": W1.reshape(-1).tolist(), "b1": b1.tolist(), "W2": W2.reshape(-1).tolist(), "b2": b2.tolist(),
       "X": X.reshape(-1).tolist(), "Y": Y.tolist(), "autocast": mlp_run(True), "float32": mlp_run(False)}

x32 = torch.randn(4, 6)
img = torch.randn(1, 2, 6, 6)
kern = torch.randn(3, 2, 3, 3)
tgt = torch.tensor([0, 1, 2, 3])
cat_cases = {
    "matmul": lambda a: torch.matmul(a, a.t()),
    "mm": lambda a: torch.mm(a, a.t()),
    "bmm": lambda a: torch.bmm(a[None], a.t()[None]),
    "baddbmm": lambda a: torch.baddbmm(torch.zeros(1, 4, 4), a[None], a.t()[None]),
    "linear": lambda a: F.linear(a, torch.randn(5, 6)),
    "conv2d": lambda a: F.conv2d(img.to(a.dtype), kern),
    "conv1d": lambda a: F.conv1d(img[:, :, 0].to(a.dtype), kern[:, :, 0]),
    "softmax": lambda a: torch.softmax(a, 1),
    "log_softmax": lambda a: torch.log_softmax(a, 1),
    "relu": torch.relu, "tanh": torch.tanh, "add": lambda a: a + a, "sum": lambda a: a.sum(),
    "mul_float32": lambda a: a * x32,
    "layer_norm": lambda a: F.layer_norm(a, (6,)),
    "mse_loss": lambda a: F.mse_loss(a, torch.zeros_like(a)),
    "l1_loss": lambda a: F.l1_loss(a, torch.zeros_like(a)),
    "cross_entropy": lambda a: F.cross_entropy(a, tgt),
    "nll_loss": lambda a: F.nll_loss(a, tgt),
    "bce_with_logits": lambda a: F.binary_cross_entropy_with_logits(a, torch.zeros_like(a)),
    "smooth_l1_loss": lambda a: F.smooth_l1_loss(a, torch.zeros_like(a)),
    "huber_loss": lambda a: F.huber_loss(a, torch.zeros_like(a)),
    "max_pool2d": lambda a: F.max_pool2d(img.to(a.dtype), 2),
}
categories = []
for name, fn in cat_cases.items():
    row = {"op": name}
    for label, a in (("float32", x32), ("bfloat16", x32.bfloat16())):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            row[label] = str(fn(a).dtype).replace("torch.", "")
    categories.append(row)

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "conversions": conversions, "from64": from64, "ops": ops, "printed": printed,
               "promotion": promotion, "scalarPromotion": scalar_promotion, "mlp": mlp, "autocastDTypes": categories},
              f, separators=(",", ":"))
print("wrote", OUT, len(ops), "op cases")

# A safetensors file with BF16 and F16 tensors, written the way the reference library lays files out
# (see gen_safetensors.py: sorted by dtype rank descending then name, compact JSON header padded to 8).
RANK = {"F16": 7, "BF16": 8, "F32": 11}
ST = {torch.bfloat16: "BF16", torch.float16: "F16", torch.float32: "F32"}
fx = {
    "bf16_specials": from_bits(bits[:64]).bfloat16(),
    "f16_specials": from_bits(bits[:64]).half(),
    "bf16_matrix": torch.from_numpy(rng.standard_normal((3, 5)).astype(np.float32)).bfloat16(),
    "f16_matrix": torch.from_numpy(rng.standard_normal((4, 2)).astype(np.float32)).half(),
    "f32_bias": torch.from_numpy(rng.standard_normal(3).astype(np.float32)),
}
items = sorted(fx.items(), key=lambda kv: (-RANK[ST[kv[1].dtype]], kv[0].encode("utf-8")))
header, blobs, offset = {}, [], 0
for name, t in items:
    b = t.contiguous().view(torch.int16).numpy().tobytes() if t.dtype != torch.float32 else t.numpy().tobytes()
    header[name] = {"dtype": ST[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
    offset += len(b)
    blobs.append(b)
h = json.dumps(header, separators=(",", ":")).encode("utf-8")
h += b" " * ((8 - len(h) % 8) % 8)
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "safetensors")
with open(os.path.join(FIX, "bf16_f16.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
with open(os.path.join(FIX, "bf16_f16.json"), "w") as f:
    json.dump({name: enc(t) for name, t in fx.items()}, f, separators=(",", ":"))
print("wrote bf16_f16.safetensors")
