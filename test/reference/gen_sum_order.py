"""PyTorch 1.13's float32 sums on this machine (AVX2 build), bit for bit, for the reduction-order tests.

Writes test/reference/sum_order.json: for a few shapes and dims, the input (float32 bit patterns from a
fixed generator) and torch's sum (bit patterns). Run with Debian's /usr/bin/python3 (python3-torch).

The order these reproduce (found by experiment against torch, see test/backend/js/sum-order.test.ts):
- a contiguous run of n elements reduced to one value (full sum, or the last dim): n < 8 → `row_sum`
  (four interleaved partial sums p[j] += x[4r + j] with a cascade every 16 rows, the leftover n % 4 added
  to p[0], then p0 + p1 + p2 + p3); n ≥ 8 → the same `row_sum` applied to 8-lane vectors (lane-wise), then
  t = the n % 8 tail summed left to right from 0, then t + lane0 + lane1 + ... + lane7.
- an outer dim (rows of a [n, m] block, reduced over n): the first 32·⌊m/32⌋ columns each sum down the rows
  with the cascade alone (multi_row_sum, one accumulator); the remaining columns with `row_sum` over rows.
"""
import json
import struct

import numpy as np
import torch


def bits(a):
    return [struct.unpack("<I", struct.pack("<f", float(x)))[0] for x in np.asarray(a, dtype=np.float32).ravel()]


rng = np.random.default_rng(1234)
cases = []
for shape, dim in [
    ((n,), None) for n in [1, 2, 3, 5, 7, 8, 9, 12, 13, 15, 16, 17, 31, 32, 33, 100, 511, 512, 513, 1000, 2100]
] + [
    ((3, n), 1) for n in [2, 7, 9, 13, 40, 100, 600]
] + [
    ((n, m), 0) for n in [3, 5, 9, 17, 60] for m in [1, 3, 8, 13, 24, 32, 40, 70]
]:
    x = (rng.standard_normal(shape) * rng.uniform(0.1, 100)).astype(np.float32)
    t = torch.from_numpy(x)
    s = t.sum() if dim is None else t.sum(dim)
    cases.append({"shape": list(shape), "dim": dim, "x": bits(x), "sum": bits(s.numpy())})

with open("test/reference/sum_order.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(len(cases), "cases")
