"""torch.multinomial draws for several seeds, distributions and dtypes (test/core/multinomial.test.ts).
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_multinomial.py"""
import json
import os

import torch

cases = []
torch.manual_seed(123)
dists = [torch.tensor([0.1, 0.2, 0.7]), torch.rand(2, 10), torch.softmax(torch.randn(3, 28), 1), torch.tensor([0.0, 5.0, 0.0, 1.0])]
for seed in (0, 7, 2021):
    for i, p in enumerate(dists):
        for dtype in (torch.float32, torch.float64):
            for replacement, n in ((True, 12), (False, 2)):
                torch.manual_seed(seed)
                draws = torch.multinomial(p.to(dtype), n, replacement)
                cases.append({"seed": seed, "probs": p.reshape(-1).tolist(), "shape": list(p.shape), "dtype": str(dtype).replace("torch.", ""),
                              "replacement": replacement, "n": n, "draws": draws.reshape(-1).tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "multinomial.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "cases": cases}, fh)
print(len(cases))
