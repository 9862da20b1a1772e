"""Writes test/reference/distributed.json: torch.utils.data.DistributedSampler's index lists for
test/data/distributed-sampler.test.ts (explicit num_replicas and rank, so no process group is needed).

Run with /usr/bin/python3 (PyTorch 1.13): python3 test/reference/gen_distributed.py
"""
import json
import os

import torch
from torch.utils.data import DistributedSampler


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


samplers = []
for n in [1, 3, 7, 10, 11, 64, 101]:
    for replicas in [1, 2, 3, 4, 5]:
        for shuffle in [True, False]:
            for drop_last in [False, True]:
                for seed, epoch in ([(0, 0), (42, 3)] if shuffle else [(0, 0)]):
                    per_rank = []
                    for rank in range(replicas):
                        s = DistributedSampler(Sized(n), num_replicas=replicas, rank=rank, shuffle=shuffle,
                                               seed=seed, drop_last=drop_last)
                        s.set_epoch(epoch)
                        per_rank.append(list(s))
                        assert len(s) == len(per_rank[-1])
                    samplers.append({"n": n, "numReplicas": replicas, "shuffle": shuffle, "dropLast": drop_last,
                                     "seed": seed, "epoch": epoch, "indices": per_rank})

errors = {}
try:
    DistributedSampler(Sized(4), num_replicas=2, rank=2)
except ValueError as e:
    errors["rankTooLarge"] = str(e)

out = {"samplers": samplers, "errors": errors}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributed.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {path}: {len(samplers)} sampler cases")
