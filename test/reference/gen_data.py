"""Writes test/reference/data.json: torch.utils.data goldens for test/data (Subset, random_split,
ConcatDataset, the samplers' orders, DataLoader with samplers, an IterableDataset over a CSV).

Run with /usr/bin/python3 (PyTorch 1.13): python3 test/reference/gen_data.py
"""
import json
import os

import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset,
                              RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
                              WeightedRandomSampler, random_split)

SEEDS = [0, 1, 7, 2021]
out = {"seeds": SEEDS}


class Range(Dataset):
    """Item i is i + offset, so concatenated datasets show which part an item came from."""

    def __init__(self, n, offset=0):
        self.n, self.offset = n, offset

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i < 0 or i >= self.n:
            raise IndexError(i)
        return i + self.offset


def gen(seed):
    return torch.Generator().manual_seed(seed)


def after():
    """Three draws from the global generator: shows how far a sampler moved it."""
    return torch.randint(0, 1000, (3,)).tolist()


def split_indices(parts):
    return [list(p.indices) for p in parts]


# random_split: counts and fractions, with a generator and with the global one.
splits = {}
for s in SEEDS:
    case = {}
    case["counts"] = split_indices(random_split(Range(10), [3, 7], generator=gen(s)))
    case["fractions"] = split_indices(random_split(Range(30), [0.3, 0.3, 0.4], generator=gen(s)))
    # floor(7·0.5) = 3 twice: the remainder goes round-robin from the first split.
    case["fractionsRemainder"] = split_indices(random_split(Range(7), [0.5, 0.25, 0.25], generator=gen(s)))
    case["fractionsLengths"] = [len(p) for p in random_split(Range(7), [0.5, 0.25, 0.25], generator=gen(s))]
    torch.manual_seed(s)
    case["globalCounts"] = split_indices(random_split(Range(10), [4, 6]))
    case["globalAfter"] = after()
    splits[s] = case
out["randomSplit"] = splits
out["fractionLengths"] = {
    "n13_third": [len(p) for p in random_split(Range(13), [1 / 3, 1 / 3, 1 / 3], generator=gen(0))],
    "n10_tenths": [len(p) for p in random_split(Range(10), [0.1] * 10, generator=gen(0))],
    "n5_0.7_0.2_0.1": [len(p) for p in random_split(Range(5), [0.7, 0.2, 0.1], generator=gen(0))],
    "n3_halves_of_4": [len(p) for p in random_split(Range(3), [0.25, 0.25, 0.25, 0.25], generator=gen(0))],
}

sub = Subset(Range(10), [5, 3, 8, 0])
out["subset"] = {"indices": [5, 3, 8, 0], "items": [sub[i] for i in range(-4, 4)], "length": len(sub)}

cat = ConcatDataset([Range(3, 100), Range(0, 200), Range(4, 300), Range(2, 400)])
out["concat"] = {
    "sizes": [3, 0, 4, 2],
    "cumulativeSizes": cat.cumulative_sizes,
    "items": {str(i): cat[i] for i in range(-9, 9)},
    "length": len(cat),
}

weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6, 0.0, 2.5]
out["weights"] = weights
samplers = {}
for s in SEEDS:
    case = {}
    r = RandomSampler(Range(10), generator=gen(s))
    case["random"] = [list(r), list(r)]
    torch.manual_seed(s)
    r = RandomSampler(Range(10))
    case["randomGlobal"] = [list(r), list(r)]
    case["randomGlobalAfter"] = after()
    case["randomReplacement"] = list(RandomSampler(Range(10), replacement=True, num_samples=40, generator=gen(s)))
    case["randomNumSamples"] = list(RandomSampler(Range(10), num_samples=25, generator=gen(s)))
    case["randomNumSamplesSmall"] = list(RandomSampler(Range(10), num_samples=4, generator=gen(s)))
    r = SubsetRandomSampler([10, 20, 30, 40, 50, 60], generator=gen(s))
    case["subsetRandom"] = [list(r), list(r)]
    torch.manual_seed(s)
    case["subsetRandomGlobal"] = list(SubsetRandomSampler([10, 20, 30, 40, 50, 60]))
    case["subsetRandomGlobalAfter"] = after()
    w = WeightedRandomSampler(weights, 12, generator=gen(s))
    case["weighted"] = [list(w), list(w)]
    case["weightedNoReplacement"] = list(WeightedRandomSampler(weights, 5, replacement=False, generator=gen(s)))
    case["weightedNoReplacementAll"] = list(WeightedRandomSampler(weights[:6], 6, replacement=False, generator=gen(s)))
    torch.manual_seed(s)
    case["weightedGlobal"] = list(WeightedRandomSampler(weights, 7))
    case["weightedGlobalAfter"] = after()
    case["batch"] = list(BatchSampler(RandomSampler(Range(10), generator=gen(s)), 3, False))
    case["batchDropLast"] = list(BatchSampler(RandomSampler(Range(10), generator=gen(s)), 3, True))
    samplers[s] = case
out["samplers"] = samplers
# Many categories: the exponential draws' logarithms and the binary search over a long table.
big = [(i * 7919 % 1000) / 1000 + 0.001 for i in range(1000)]
out["weightedLarge"] = {
    str(s): {
        "noReplacement": list(WeightedRandomSampler(big, 200, replacement=False, generator=gen(s))),
        "replacement": list(WeightedRandomSampler(big, 1000, generator=gen(s))),
    }
    for s in [0, 2021]
}
out["sequentialBatch"] = list(BatchSampler(SequentialSampler(Range(10)), 4, False))


def epochs(dl, n=2):
    return [[b.tolist() for b in dl] for _ in range(n)]


loaders = {}
for s in SEEDS:
    case = {}
    ds = Range(10)
    case["subsetSampler"] = epochs(DataLoader(ds, batch_size=3, sampler=SubsetRandomSampler([1, 3, 5, 7, 9], generator=gen(s))))
    case["weightedSampler"] = epochs(DataLoader(ds, batch_size=4, sampler=WeightedRandomSampler(weights, 10, generator=gen(s))))
    case["batchSampler"] = epochs(DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(ds, generator=gen(s)), 4, True)))
    g = gen(s)
    # One generator shared by the loader (base seed) and its sampler: the draws interleave.
    case["sharedGenerator"] = epochs(DataLoader(ds, batch_size=3, sampler=RandomSampler(ds, generator=g), generator=g))
    torch.manual_seed(s)
    case["globalSampler"] = epochs(DataLoader(ds, batch_size=3, sampler=RandomSampler(ds)))
    case["globalSamplerAfter"] = after()
    case["sequentialSamplerDropLast"] = epochs(DataLoader(ds, batch_size=4, sampler=SequentialSampler(ds), drop_last=True), 1)
    case["listSampler"] = epochs(DataLoader(ds, batch_size=2, sampler=[9, 8, 7, 1, 0]), 1)
    case["collateFn"] = [b for b in DataLoader(ds, batch_size=4, collate_fn=lambda b: sum(b))]
    loaders[s] = case
out["loaders"] = loaders

# An IterableDataset over the lines of a CSV file (features..., label).
rows = [[round((i * 37 % 101) / 10, 1), round((i * 53 % 97) / 10, 1), i % 3] for i in range(23)]
csv_text = "x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)
path = "/tmp/gen_data_rows.csv"
with open(path, "w") as f:
    f.write(csv_text)


class CsvRows(IterableDataset):
    def __iter__(self):
        with open(path) as f:
            next(f)
            for line in f:
                a, b, c = line.strip().split(",")
                yield torch.tensor([float(a), float(b)]), float(c)


def csv_batches(**kw):
    return [[x.tolist(), y.tolist()] for x, y in DataLoader(CsvRows(), **kw)]


out["csv"] = {
    "text": csv_text,
    "batch5": csv_batches(batch_size=5),
    "batch5DropLast": csv_batches(batch_size=5, drop_last=True),
}
os.remove(path)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "data.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
