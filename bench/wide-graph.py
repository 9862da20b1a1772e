"""PyTorch side of bench/wide-graph.ts: the same wide graph, one JSON line of median timings (seconds).

Arguments: repetitions, then the sizes N."""
import json
import sys
import time

import torch

torch.set_num_threads(1)


def run(n):
    x = torch.ones(8, dtype=torch.float64, requires_grad=True)
    t0 = time.perf_counter()
    ys = [x * float(i + 1) for i in range(n)]
    loss = torch.stack(ys).sum()
    t1 = time.perf_counter()
    loss.backward()
    t2 = time.perf_counter()
    assert x.grad[0].item() == n * (n + 1) / 2
    return t1 - t0, t2 - t1


reps = int(sys.argv[1])
out = {}
for n in [int(a) for a in sys.argv[2:]]:
    runs = [run(n) for _ in range(reps)]
    out[n] = {
        "forward": sorted(r[0] for r in runs)[reps // 2],
        "backward": sorted(r[1] for r in runs)[reps // 2],
    }
print(json.dumps(out))
