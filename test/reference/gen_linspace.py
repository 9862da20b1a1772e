"""torch.linspace in float32, float64 and int32 for test/core/linspace.test.ts, which checks every value bit
for bit (PyTorch's CPU kernel fills two vectors of lanes at a time from a fused base; see
ts/linspace-values.ts). Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_linspace.py"""
import json
import math
import os

import torch

FLOAT_CASES = [(-math.pi, math.pi, 2000), (0.0, 1.0, 7), (-3.0, 10.0, 101), (5.0, -5.0, 33), (0.1, 0.7, 1000),
               (-1e3, 1e-3, 257), (2.0, 2.0, 9), (0.3, 17.9, 301), (-2.7, 0.11, 555), (1.1, -7.3, 99), (-0.3, 0.3, 15),
               (-0.0, 1.0, 16), (1e-3, 1e5, 17), (-1.0, 1.0, 31), (0.0, 1.0, 2), (3.5, -3.5, 1), (-1e30, 1e30, 64),
               (1 / 3, 2 / 3, 129)]
INT_CASES = [(0, 10, 23), (-7, 100, 57), (3, -50, 40), (-100, 100, 201), (0, 1, 33), (5, 5, 20), (-1000, 999, 301)]

cases = []
for start, end, steps in FLOAT_CASES:
    for dtype in ("float32", "float64"):
        cases.append({"start": start, "end": end, "steps": steps, "dtype": dtype,
                      "values": torch.linspace(start, end, steps, dtype=getattr(torch, dtype)).tolist()})
for start, end, steps in INT_CASES:
    cases.append({"start": start, "end": end, "steps": steps, "dtype": "int32",
                  "values": torch.linspace(start, end, steps, dtype=torch.int32).tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linspace.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "cases": cases}, fh)
print(len(cases))
