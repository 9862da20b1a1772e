"""torch.linspace in float32 and float64 for test/core/linspace.test.ts (PyTorch's CPU kernel fills 8-lane
vectors; the test checks every value bit for bit). Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_linspace.py"""
import json
import math
import os

import torch

cases = []
for start, end, steps in [(-math.pi, math.pi, 2000), (0.0, 1.0, 7), (-3.0, 10.0, 101), (5.0, -5.0, 33), (0.1, 0.7, 1000), (-1e3, 1e-3, 257), (2.0, 2.0, 9)]:
    for dtype in ("float32", "float64"):
        cases.append({"start": start, "end": end, "steps": steps, "dtype": dtype,
                      "values": torch.linspace(start, end, steps, dtype=getattr(torch, dtype)).tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linspace.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "cases": cases}, fh)
print(len(cases))
