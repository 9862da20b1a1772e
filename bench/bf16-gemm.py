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
        torch.matmul(a, b)
        reps = max(2, int(2e9 / (2 * n ** 3)))
        best = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.matmul(a, b)
            best.append((time.perf_counter() - t0) / reps)
        best.sort()
        out[name][n] = round(2 * n ** 3 / best[len(best) // 2] / 1e9, 1)
print(json.dumps(out))
