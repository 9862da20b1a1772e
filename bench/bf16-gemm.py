"""PyTorch's matmul at 1 thread: float32 and bfloat16 (oneDNN), GFLOP/s for n = 256 ... 2048 (bench/bf16-gemm.ts).
Run: /usr/bin/python3 bench/bf16-gemm.py   Prints one JSON line: {"f32": {n: gflops}, "bf16": {n: gflops}}.
"""
import json
import time

import torch

torch.set_num_threads(1)
out = {"torch": torch.__version__, "f32": {}, "bf16": {}}
for n in [256, 512, 1024, 2048]:
    for name, dt in [("f32", torch.float32), ("bf16", torch.bfloat16)]:
        a = torch.randn(n, n).to(dt)
        b = torch.randn(n, n).to(dt)
        t0 = time.perf_counter()
        torch.matmul(a, b)
        first = time.perf_counter() - t0
        if first > 2:  # a slow path (this torch build's float32 BLAS): one call is measurement enough
            out[name][n] = round(2 * n ** 3 / first / 1e9, 1)
            continue
        reps = max(1, int(1e9 / (2 * n ** 3)))
        best = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.matmul(a, b)
            best.append((time.perf_counter() - t0) / reps)
        out[name][n] = round(2 * n ** 3 / min(best) / 1e9, 1)
print(json.dumps(out))
