"""Writes test/reference/random.json: PyTorch CPU generator streams for tensorgrad's RNG tests.

Run with /usr/bin/python3 (PyTorch 1.13, CPU capability AVX2). float32 values are stored as the
8-hex-digit IEEE bit pattern, float64 as 16 hex digits, so they round-trip exactly. Large arrays keep
their first and last 32 values plus `bitsum`: the sum of all 32-bit words of the values, mod 2^32.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, RandomSampler

SEEDS = [0, 1, 42, 2021]
SIZES = [1, 7, 15, 16, 17, 100, 1000, 4096]
FULL_MAX = 100  # arrays up to this length are stored whole


def hex32(x):
    return struct.pack(">f", float(x)).hex()


def hex64(x):
    return struct.pack(">d", float(x)).hex()


def words(t):
    """The 32-bit words of a float tensor's values, in logical order."""
    if t.dtype == torch.float32:
        return [struct.unpack(">I", struct.pack(">f", float(v)))[0] for v in t.flatten().tolist()]
    out = []
    for v in t.flatten().tolist():
        hi, lo = struct.unpack(">II", struct.pack(">d", float(v)))
        out += [hi, lo]
    return out


def enc(t):
    """Encode a float tensor (logical order) as hex strings; large ones as head/tail/bitsum."""
    vals = t.flatten().tolist()
    h = hex32 if t.dtype == torch.float32 else hex64
    if len(vals) <= FULL_MAX:
        return {"n": len(vals), "values": [h(v) for v in vals]}
    return {
        "n": len(vals),
        "head": [h(v) for v in vals[:32]],
        "tail": [h(v) for v in vals[-32:]],
        "bitsum": sum(words(t)) % (1 << 32),
    }


def ints(t):
    return [int(v) for v in t.flatten().tolist()]


ref = {"torch_version": torch.__version__}

# A new torch.Generator() starts from default_rng_seed_val = 67280421310721. (The global default
# generator does not: PyTorch seeds it from std::random_device at start-up, so it is not recorded.)
g = torch.Generator()
ref["default_seed"] = str(g.initial_seed())
ref["default_rand3"] = enc(torch.rand(3, generator=g))

# Raw draws: int64 random_() is random64() % 2^63; int32 random_() is random() % 2^31.
raw = {}
for s in SEEDS:
    torch.manual_seed(s)
    a = torch.empty(6, dtype=torch.int64).random_()
    torch.manual_seed(s)
    b = torch.empty(6, dtype=torch.int32).random_()
    raw[str(s)] = {"int64": [str(v) for v in ints(a)], "int32": ints(b)}
ref["raw"] = raw

# Seed handling: negatives wrap to uint64; values >= 2^32 keep only the low 32 bits for mt19937.
seeds = {}
for s in [-1, -2021, 2**32 + 5, 2**63, 2**64 - 1]:
    g = torch.Generator()
    g.manual_seed(s)
    seeds[str(s)] = {"initial_seed": str(g.initial_seed()), "rand3": enc(torch.rand(3, generator=g))}
ref["seeds"] = seeds

streams = {}
for s in SEEDS:
    e = {}
    for n in SIZES:
        torch.manual_seed(s); e[f"rand_f32_{n}"] = enc(torch.rand(n))
        torch.manual_seed(s); e[f"rand_f64_{n}"] = enc(torch.rand(n, dtype=torch.float64))
        torch.manual_seed(s); e[f"randn_f32_{n}"] = enc(torch.randn(n))
        torch.manual_seed(s); e[f"randn_f64_{n}"] = enc(torch.randn(n, dtype=torch.float64))
    # Non-contiguous targets take the scalar Box-Muller path. TensorIterator visits a transposed
    # tensor in memory order, so we store the base (memory order) values.
    for n in [1, 8, 16, 50]:
        for dt, name in [(torch.float32, "f32"), (torch.float64, "f64")]:
            torch.manual_seed(s)
            base = torch.empty(n, 2, dtype=dt)
            base.t().normal_()
            e[f"randn_noncontig_{name}_{n}"] = enc(base)
    # Non-unit mean/std and from/to: checks the rounding of x*std+mean and x*(to-from)+from.
    for n in [7, 100]:
        for dt, name in [(torch.float32, "f32"), (torch.float64, "f64")]:
            torch.manual_seed(s); e[f"uniform_m03_07_{name}_{n}"] = enc(torch.empty(n, dtype=dt).uniform_(-0.3, 0.7))
            torch.manual_seed(s); e[f"normal_05_2_{name}_{n}"] = enc(torch.empty(n, dtype=dt).normal_(0.5, 2.0))
            torch.manual_seed(s)
            base = torch.empty(n, 2, dtype=dt)
            base.t().normal_(0.5, 2.0)
            e[f"normal_05_2_noncontig_{name}_{n}"] = enc(base)
    torch.manual_seed(s); e["randint_0_10_100"] = ints(torch.randint(0, 10, (100,)))
    torch.manual_seed(s); e["randint_big_100"] = ints(torch.randint(-2**31, 2**31 - 1, (100,), dtype=torch.int32))
    torch.manual_seed(s); e["randint_m5_1000_int32_50"] = ints(torch.randint(-5, 1000, (50,), dtype=torch.int32))
    for n in [1, 2, 7, 100, 1000]:
        torch.manual_seed(s); e[f"randperm_{n}"] = ints(torch.randperm(n))
    for p in [0.5, 0.3]:
        torch.manual_seed(s)
        e[f"bernoulli_{p}_100"] = "".join(str(v) for v in ints(torch.empty(100).bernoulli_(p)))
    torch.manual_seed(s)
    d = F.dropout(torch.ones(100), 0.5, training=True)
    e["dropout_0.5_100"] = enc(d)
    # Consecutive calls share the generator and its cached normal sample.
    torch.manual_seed(s)
    e["seq"] = [
        enc(torch.rand(3)),
        enc(torch.randn(3)),          # scalar path: 2 pairs, one sin value cached
        enc(torch.rand(2)),
        enc(torch.randn(1)),          # the cached value
        enc(torch.randn(20, dtype=torch.float64)),  # fill path: the cache is untouched
        enc(torch.randn(2)),
        enc(torch.rand(1, dtype=torch.float64)),
        enc(torch.randn(1)),          # cached again
    ]
    streams[str(s)] = e
ref["streams"] = streams

# nn.Linear initial parameters after manual_seed(2021).
torch.manual_seed(2021)
l1 = torch.nn.Linear(1, 512)
l2 = torch.nn.Linear(512, 1)
torch.manual_seed(2021)
l3 = torch.nn.Linear(1000, 100)
ref["linear"] = {
    "l1_weight": enc(l1.weight.detach()), "l1_bias": enc(l1.bias.detach()),
    "l2_weight": enc(l2.weight.detach()), "l2_bias": enc(l2.bias.detach()),
    "l3_weight": enc(l3.weight.detach()), "l3_bias": enc(l3.bias.detach()),
}
# kaiming_uniform_(a=sqrt(5)) bound, computed as torch.nn.init does, for a few fan_in values.
bounds = {}
for fan in [1, 512, 1000]:
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
    bounds[str(fan)] = {"weight": hex64(math.sqrt(3.0) * (gain / math.sqrt(fan))), "bias": hex64(1 / math.sqrt(fan))}
ref["linear_bounds"] = bounds

# Sampler orders: RandomSampler alone, and DataLoader(shuffle=True), which first draws a base seed.
sampler = {}
for s in [0, 2021]:
    for n in [12, 100]:
        torch.manual_seed(s)
        seed = int(torch.empty((), dtype=torch.int64).random_().item())
        torch.manual_seed(s)
        order = list(RandomSampler(range(n)))
        torch.manual_seed(s)
        dl = DataLoader(list(range(n)), batch_size=n, shuffle=True)
        epochs = [ints(next(iter(dl))) for _ in range(2)]
        sampler[f"{s}_{n}"] = {"sampler_seed": str(seed), "sampler": order, "dataloader_epochs": epochs}
ref["sampler"] = sampler

# W2 (Neuromatch WideNet): targets = sin(pi * inputs) + randn(32, 1) / 4 right after manual_seed(2021).
# torch.sin's float32 values are stored so the test can rebuild the targets without PyTorch.
torch.manual_seed(2021)
inputs = torch.linspace(-1.0, 1.0, 32).reshape(32, 1)
noise = torch.randn(32, 1)
ref["w2"] = {"noise": enc(noise), "sin_pi_inputs": enc(torch.sin(math.pi * inputs))}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random.json")
with open(path, "w") as f:
    json.dump(ref, f, separators=(",", ":"))
print(path, os.path.getsize(path), "bytes")
