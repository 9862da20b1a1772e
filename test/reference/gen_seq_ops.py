"""PyTorch 1.13 goldens for scatter, advanced indexing, index_put, masked_select, einsum, one_hot, pad and
N-d nll_loss / cross_entropy (test/core/seq-ops.test.ts, test/nn/seq-losses.test.ts).
Each case: the op (named as the test's dispatcher knows it), its inputs, non-tensor parameters, the output,
the output's grad_fn name and the gradients of sum(out * w) for a random w.
Run with Debian's python3-torch: /usr/bin/python3 test/reference/gen_seq_ops.py"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(13)
cases = []
errors = {}


def enc(t):
    d = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32", torch.int32: "int32", torch.bool: "bool"}[t.dtype]
    vals = t.detach().reshape(-1).tolist()
    if t.dtype == torch.float32:
        # 9 significant digits give a float32 back exactly, in fewer characters than repr's 17
        vals = [float(f"{v:.9g}") for v in vals]
    if d == "bool":
        vals = [1 if v else 0 for v in vals]
    return {"values": vals, "shape": list(t.shape), "dtype": d}


def add(name, op, inputs, params, fn, grad=True):
    flags = grad if isinstance(grad, list) else [grad] * len(inputs)
    ins = [t.clone().requires_grad_(f and t.is_floating_point()) for t, f in zip(inputs, flags)]
    out = fn(*ins)
    c = {"name": name, "op": op, "params": params, "inputs": [dict(enc(t), requiresGrad=t.requires_grad) for t in ins], "out": enc(out)}
    c["gradFn"] = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    if out.requires_grad:
        w = torch.randn(out.shape, dtype=out.dtype)
        (out * w).sum().backward()
        c["w"] = enc(w)
        c["grads"] = [enc(t.grad) if t.grad is not None else None for t in ins]
    cases.append(c)


def err(name, fn):
    try:
        fn()
        raise SystemExit(f"{name}: no error")
    except Exception as e:  # noqa: BLE001
        errors[name] = str(e)


L = lambda v: torch.tensor(v, dtype=torch.long)  # noqa: E731
x34 = torch.randn(3, 4)

# scatter / scatter_add
add("scatter src dim0", "scatter", [x34, L([[1, 2, 0, 1], [0, 1, 2, 2]]), torch.randn(2, 4)], {"dim": 0}, lambda x, i, s: x.scatter(0, i, s))
add("scatter src larger than index", "scatter", [x34, L([[1, 2, 0], [2, 0, 1]]), torch.randn(3, 5)], {"dim": 1}, lambda x, i, s: x.scatter(1, i, s),
    grad=[True, False, False])  # PyTorch 1.13's backward refuses a src larger than the index
add("scatter src negative dim 3-d", "scatter", [torch.randn(2, 3, 4), L([[[0, 1], [2, 0]], [[1, 1], [0, 2]]]), torch.randn(2, 2, 2)], {"dim": -2}, lambda x, i, s: x.scatter(-2, i, s))
add("scatter value", "scatterValue", [x34, L([[3, 0], [1, 1], [2, 0]])], {"dim": 1, "value": 2.5}, lambda x, i: x.scatter(1, i, 2.5))
add("scatter reduce add", "scatter", [x34, L([[1, 2, 0, 1], [1, 1, 2, 2]]), torch.randn(2, 4)], {"dim": 0, "reduce": "add"}, lambda x, i, s: x.scatter(0, i, s, reduce="add"), grad=False)
add("scatter reduce multiply", "scatter", [x34, L([[1, 2, 0, 1], [1, 1, 2, 2]]), torch.randn(2, 4)], {"dim": 0, "reduce": "multiply"}, lambda x, i, s: x.scatter(0, i, s, reduce="multiply"), grad=False)
add("scatter value reduce multiply", "scatterValue", [x34, L([[1], [0], [3]])], {"dim": 1, "value": -3.0, "reduce": "multiply"}, lambda x, i: x.scatter(1, i, -3.0, reduce="multiply"), grad=False)
add("scatter_add", "scatterAdd", [x34, L([[1, 2, 0, 1], [1, 1, 2, 2]]), torch.randn(2, 4)], {"dim": 0}, lambda x, i, s: x.scatter_add(0, i, s))
add("index_add dim 0 duplicates", "indexAdd", [x34, L([2, 0, 2]), torch.randn(3, 4)], {"dim": 0}, lambda x, i, s: x.index_add(0, i, s))
add("index_add dim 1 alpha", "indexAdd", [torch.randn(2, 3, 4), L([3, 0]), torch.randn(2, 3, 2)], {"dim": -1, "alpha": -1.5}, lambda x, i, s: x.index_add(-1, i, s, alpha=-1.5))
add("index_add 0-d", "indexAdd", [torch.tensor(1.5), L([0]), torch.tensor(2.0)], {"dim": 0}, lambda x, i, s: x.index_add(0, i, s))
add("scatter int32", "scatter", [torch.arange(12).reshape(3, 4).int(), L([[2, 0, 1, 0]]), torch.tensor([[7, 8, 9, 10]], dtype=torch.int32)], {"dim": 0}, lambda x, i, s: x.scatter(0, i, s), grad=False)

# advanced indexing: items are {"t": k} (inputs[k]), null (a whole dim), an int, {"slice": [start, stop, step]} or "..."
a = torch.randn(2, 3, 4, 5)
i2 = L([0, 2])
j21 = L([[1], [3]])


def idx_items(items, ins):
    out = []
    for it in items:
        if isinstance(it, dict) and "t" in it:
            out.append(ins[it["t"]])
        elif isinstance(it, dict) and "slice" in it:
            out.append(slice(*it["slice"]))
        elif it == "...":
            out.append(Ellipsis)
        elif it is None:
            out.append(slice(None))
        else:
            out.append(it)
    return tuple(out)


def add_index(name, x, tensors, items):
    add(name, "index", [x, *tensors], {"items": items}, lambda xx, *ts: xx[idx_items(items, [xx, *ts])])


add_index("index one tensor", x34, [L([2, 0, 2, -1])], [{"t": 1}])
add_index("index 2-d index tensor", x34, [L([[0, 1], [2, 2]])], [{"t": 1}])
add_index("index second dim", a, [i2], [None, {"t": 1}])
add_index("index adjacent pair", a, [i2, j21], [None, {"t": 1}, {"t": 2}])
add_index("index non-adjacent", a, [L([1, 0]), j21], [{"t": 1}, None, {"t": 2}])
add_index("index non-adjacent with int", a, [i2], [None, {"t": 1}, None, 3])
add_index("index int then tensor", a, [i2], [1, None, {"t": 1}])
add_index("index ellipsis", a, [L([4, 0, 4])], ["...", {"t": 1}])
add_index("index slice and tensor", a, [L([1, 0])], [None, {"slice": [0, 3, 2]}, {"t": 1}])
add_index("index bool mask full", x34, [x34 > 0], [{"t": 1}])
add_index("index bool mask middle", a, [a[0, :, :, 0] > 0], [None, {"t": 1}])
add_index("index bool 1-d and tensor", a, [torch.tensor([True, False, True]), L([0, 3])], [None, {"t": 1}, {"t": 2}])
add_index("index 0-d bool", x34, [torch.tensor(True)], [{"t": 1}])
add_index("index 0-d int tensor is a select", a, [L(1), i2], [{"t": 1}, None, {"t": 2}])

# random index patterns over a 4-d tensor: each dim gets None (whole), an int, a slice or an index tensor,
# sometimes an ellipsis or a bool mask over two dims; fixed seed, so the file is reproducible
import random  # noqa: E402

rng = random.Random(2024)
base = torch.randn(2, 3, 3, 4)
for k in range(40):
    items, tensors, d = [], [], 0
    bshape = rng.choice([(2,), (2, 3), (1, 3), ()])
    use_ellipsis = rng.random() < 0.2
    while d < 4:
        r = rng.random()
        n = base.shape[d]
        if r < 0.25:
            items.append(None)
        elif r < 0.4:
            items.append(rng.randrange(-n, n))
        elif r < 0.55:
            lo = rng.randrange(0, n)
            items.append({"slice": [lo, rng.randrange(lo, n + 1), rng.choice([1, 2])]})
        elif r < 0.65 and d + 1 < 4:
            m = torch.rand(n, base.shape[d + 1]) > 0.5
            tensors.append(m)
            items.append({"t": len(tensors)})
            d += 1
        else:
            shape = bshape if rng.random() < 0.7 else bshape[len(bshape) - 1:]
            tensors.append(torch.randint(-n, n, shape))
            items.append({"t": len(tensors)})
        d += 1
    # PyTorch 1.13 advances one dim for a 2-d mask when it applies the items after it (NumPy, and
    # tensorgrad, advance two): such patterns are left out; test/core/seq-ops-behaviour.test.ts has one.
    if any(isinstance(it, dict) and "t" in it and tensors[it["t"] - 1].dtype == torch.bool for it in items[:-1]):
        continue
    if use_ellipsis:
        cut = rng.randrange(0, len(items))
        items = items[:cut] + ["..."] + [it for it in items[cut:] if it is not None][1:]
    try:
        base[idx_items(items, [base, *tensors])]
    except (IndexError, RuntimeError):
        continue
    add_index(f"index random {k}", base, tensors, items)

# index_put
add("index_put", "indexPut", [x34, L([0, 2]), L([1, 3]), torch.randn(2)], {"accumulate": False}, lambda x, i, j, v: x.index_put((i, j), v))
add("index_put broadcast values", "indexPut", [x34, L([2, 0]), torch.randn(4)], {"accumulate": False}, lambda x, i, v: x.index_put((i,), v))
add("index_put accumulate duplicates", "indexPut", [x34, L([0, 2, 0, 0]), L([1, 1, 1, 3]), torch.randn(4)], {"accumulate": True}, lambda x, i, j, v: x.index_put((i, j), v, accumulate=True))
add("index_put scalar value", "indexPut", [a, L([1, 0]), L([[2], [0]]), torch.randn(())], {"accumulate": False, "items": [None, 1, None, 2]},
    lambda x, i, j, v: torch.ops.aten.index_put(x, [None, i, None, j], v))
add("index_put bool mask", "indexPut", [x34, x34 > 0.3, torch.tensor(9.0)], {"accumulate": False}, lambda x, m, v: x.index_put((m,), v))

# random index_put patterns over a 4-d tensor (index tensors or None per dim, aten's form), values of the
# indexing result's shape or a broadcastable suffix of it; duplicates only with accumulate
prng = random.Random(99)
for k in range(20):
    entries, tensors = [], []
    accumulate = prng.random() < 0.5
    bshape = prng.choice([(2,), (3,), (2, 2)])
    for d in range(prng.randrange(1, 5)):
        n = base.shape[d]
        if prng.random() < 0.4:
            entries.append(None)
        else:
            flat = [prng.randrange(-n, n) for _ in range(int(torch.tensor(bshape).prod()))] if accumulate else \
                prng.sample(range(n), int(torch.tensor(bshape).prod())) if n >= int(torch.tensor(bshape).prod()) else None
            if flat is None:
                entries.append(None)
                continue
            tensors.append(torch.tensor(flat).reshape(bshape))
            entries.append(len(tensors))
    if all(e is None for e in entries):
        continue
    result = base[tuple(slice(None) if e is None else tensors[e - 1] for e in entries)]
    vshape = list(result.shape)[prng.randrange(0, result.dim() + 1):]
    values = torch.randn(vshape)
    add(f"index_put random {k}", "indexPut", [base, *tensors, values], {"accumulate": accumulate, "items": [None if e is None else e for e in entries]},
        lambda x, *rest, entries=entries, accumulate=accumulate: torch.ops.aten.index_put(
            x, [None if e is None else rest[e - 1] for e in entries], rest[-1], accumulate))

# masked_select
add("masked_select", "maskedSelect", [x34, x34 > 0], {}, lambda x, m: x.masked_select(m))
add("masked_select broadcast mask", "maskedSelect", [torch.randn(2, 3, 4), torch.tensor([True, False, True, True])], {}, lambda x, m: x.masked_select(m))
add("masked_select broadcast input", "maskedSelect", [torch.randn(4), torch.randn(3, 4) > 0], {}, lambda x, m: x.masked_select(m))

# einsum
E = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("iij->j", [(3, 3, 2)]),
    ("ij->", [(3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (3, 4, 2)]),
    ("i...j,j...->i...", [(2, 3, 4, 5), (5, 3, 4)]),
    ("...ij->ij", [(2, 3, 4, 5)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 5)]),
    ("ijk,ikl,ilm->jm", [(2, 3, 4), (2, 4, 5), (2, 5, 3)]),
    ("Ab,a", [(2, 3), (3,)]),
    ("ik,jk,k->ij", [(2, 3), (4, 3), (3,)]),
    ("i,i->i", [(1,), (3,)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    (" i j , j k -> i k ", [(2, 3), (3, 2)]),
]
for eq, shapes in E:
    ins = [torch.randn(*s, dtype=torch.float64) for s in shapes]
    add(f"einsum {eq}", "einsum", ins, {"equation": eq}, lambda *ts, eq=eq: torch.einsum(eq, *ts))

# random einsum equations: 1-3 operands over a pool of labels, sometimes a repeated label or "...",
# explicit or implicit output
ers = random.Random(7)
sizes = {c: ers.randrange(1, 4) for c in "abcdefgAB"}
for k in range(30):
    n_ops = ers.choice([1, 2, 2, 3])
    terms, shapes = [], []
    ell = ers.random() < 0.25
    ell_shape = [ers.randrange(1, 3) for _ in range(ers.randrange(1, 3))]
    for _ in range(n_ops):
        labels = ers.sample("abcdefgAB", ers.randrange(1, 4))
        if ers.random() < 0.15:
            labels.append(labels[0])
        term = "".join(labels)
        shape = [sizes[c] for c in labels]
        if ell and ers.random() < 0.7:
            cut = ers.randrange(0, len(labels) + 1)
            drop = ers.randrange(0, len(ell_shape) + 1)
            e = ell_shape[drop:]
            term = term[:cut] + "..." + term[cut:]
            shape = shape[:cut] + e + shape[cut:]
        terms.append(term)
        shapes.append(shape)
    eq = ",".join(terms)
    if ers.random() < 0.6:
        used = sorted(set(c for t in terms for c in t if c.isalpha()))
        out = "".join(ers.sample(used, ers.randrange(0, len(used) + 1)))
        if "..." in eq and ers.random() < 0.7:
            out = "..." + out
        eq += "->" + out
    ins = [torch.randn(*s, dtype=torch.float64) for s in shapes]
    try:
        torch.einsum(eq, *ins)
    except RuntimeError:
        continue
    add(f"einsum random {k}: {eq}", "einsum", ins, {"equation": eq}, lambda *ts, eq=eq: torch.einsum(eq, *ts))

# one_hot
add("one_hot inferred", "oneHot", [L([[1, 2], [0, 4]])], {"numClasses": -1}, lambda t: F.one_hot(t), grad=False)
add("one_hot given", "oneHot", [L([0, 2, 1])], {"numClasses": 5}, lambda t: F.one_hot(t, 5), grad=False)
add("one_hot 0-d", "oneHot", [L(2)], {"numClasses": 3}, lambda t: F.one_hot(t, 3), grad=False)

# pad
p4 = torch.randn(2, 3, 3, 4)
P = [
    ("constant", (1, 2), 0.0, p4),
    ("constant", (1, -2, 0, 1), 1.5, p4),
    ("constant", (2, 1, 1, 1, 0, 1), -1.0, p4),
    ("constant", (-1, -1, -1, 0), 0.0, p4),
    ("reflect", (2, 3), None, p4[0]),
    ("reflect", (1, 2, 2, 1), None, p4),
    ("reflect", (3, 0, 0, 2), None, p4[0]),
    ("reflect", (-1, 2), None, p4[0, 0]),
    ("replicate", (2, 3), None, p4[0]),
    ("replicate", (1, 2, 3, 0), None, p4),
    ("replicate", (1, 2, 0, 1, 2, 1), None, p4),
    ("replicate", (-2, 1), None, p4[0]),
    ("circular", (2, 1), None, p4[0]),
    ("circular", (1, 2, 3, 1), None, p4),
    ("circular", (-1, 2, 1, -1), None, p4),
    ("reflect", (1, 1, 2, 0, 1, 1), None, torch.randn(1, 2, 3, 3, 4)),
    ("replicate", (0, 2, 1, 1, 2, 0), None, torch.randn(2, 3, 3, 4)),
]
for mode, pads, value, t in P:
    kw = {} if value is None else {"value": value}
    add(f"pad {mode} {pads} on {list(t.shape)}", "pad", [t], {"pad": list(pads), "mode": mode, "value": value},
        lambda x, mode=mode, pads=pads, kw=kw: F.pad(x, pads, mode=mode, **kw))

# N-d nll_loss / cross_entropy: class indices (with weight, ignore_index, label smoothing) and probabilities
def losses():
    for shape in ((4, 3), (2, 3, 4), (2, 3, 2, 3), (2, 3, 2, 1, 2)):
        x = torch.randn(*shape, dtype=torch.float64)
        t = torch.randint(0, 3, (shape[0], *shape[2:]))
        t.view(-1)[1] = -100
        wt = torch.tensor([0.5, 2.0, 1.25], dtype=torch.float64)
        probs = torch.randn(*shape, dtype=torch.float64).softmax(1)
        for red in ("mean", "sum", "none"):
            for w in (None, wt):
                wins = [] if w is None else [w]
                kw = {"reduction": red, "weight": w is not None}
                add(f"nll {list(shape)} {red} w={w is not None}", "nllLoss", [x.log_softmax(1).detach(), t, *wins], kw,
                    lambda a, b, *ww, red=red: F.nll_loss(a, b, weight=ww[0] if ww else None, reduction=red), grad=[True, False, False])
                add(f"cross_entropy {list(shape)} {red} w={w is not None}", "crossEntropy", [x, t, *wins], kw,
                    lambda a, b, *ww, red=red: F.cross_entropy(a, b, weight=ww[0] if ww else None, reduction=red), grad=[True, False, False])
                add(f"cross_entropy smoothing {list(shape)} {red} w={w is not None}", "crossEntropy", [x, t, *wins], dict(kw, labelSmoothing=0.2),
                    lambda a, b, *ww, red=red: F.cross_entropy(a, b, weight=ww[0] if ww else None, reduction=red, label_smoothing=0.2), grad=[True, False, False])
                add(f"cross_entropy probs {list(shape)} {red} w={w is not None}", "crossEntropy", [x, probs, *wins], dict(kw, labelSmoothing=0.1),
                    lambda a, b, *ww, red=red: F.cross_entropy(a, b, weight=ww[0] if ww else None, reduction=red, label_smoothing=0.1), grad=[True, False, False])
        t2 = torch.randint(0, 3, (shape[0], *shape[2:]))
        add(f"cross_entropy ignore_index=1 {list(shape)}", "crossEntropy", [x, t2], {"reduction": "mean", "weight": False, "ignoreIndex": 1},
            lambda a, b: F.cross_entropy(a, b, ignore_index=1))


losses()

# errors (PyTorch 1.13's wording; int64 index tensors where tensorgrad takes int32)
x = torch.randn(3, 4)
err("scatter out of range", lambda: x.scatter(0, L([[5, 0, 0]]), 1.0))
err("scatter negative index", lambda: x.scatter(0, L([[-1, 0, 0]]), 1.0))
err("scatter index larger than src", lambda: x.scatter(0, L([[0, 0, 0]]), torch.ones(1, 2)))
err("scatter index larger than self", lambda: x.scatter(0, L([[0, 0, 0, 0, 0]]), 1.0))
err("scatter rank", lambda: x.scatter(0, L([5, 0, 0]), 1.0))
err("scatter dtype", lambda: x.scatter(0, L([[0, 0, 0]]), torch.ones(1, 3, dtype=torch.float64)))
err("scatter reduce", lambda: x.scatter(0, L([[0, 0, 0]]), torch.ones(1, 3), reduce="mean"))
err("index_add out of range", lambda: x.index_add(0, L([0, 0, 5]), torch.ones(3, 4)))
err("index_add count", lambda: x.index_add(0, L([0, 0]), torch.ones(3, 4)))
err("index_add vector", lambda: x.index_add(0, L([[0, 0]]), torch.ones(3, 4)))
err("index_add dtype", lambda: x.index_add(0, L([0, 0]), torch.ones(2, 4, dtype=torch.float64)))
err("index out of range", lambda: x[L([5])])
err("index negative out of range", lambda: x[L([-5])])
err("index second dim out of range", lambda: x[:, L([5])])
err("index mask shape", lambda: x[torch.tensor([True, False])])
err("index broadcast", lambda: x[L([0, 1]), L([0, 1, 2])])
err("index float", lambda: x[torch.tensor([0.0, 1.0])])
err("index too many", lambda: x[L(0), L(0), L(0)])
err("index_put shape", lambda: x.clone().index_put_((L([0, 1]),), torch.ones(3, 4)))
err("index_put dtype", lambda: x.clone().index_put_((L([0, 1]),), torch.ones(2, 4, dtype=torch.float64)))
err("index_put out of range", lambda: x.clone().index_put_((L([5]),), torch.tensor(1.0)))
err("masked_select broadcast", lambda: x.masked_select(torch.tensor([True, False])))
err("one_hot negative", lambda: F.one_hot(L([1, -1])))
err("one_hot too large", lambda: F.one_hot(L([1, 3]), 3))
err("one_hot float", lambda: F.one_hot(L([1, 3]).float(), 3))
err("one_hot empty", lambda: F.one_hot(torch.zeros(0, dtype=torch.long)))
b = torch.randn(3, 3)
err("einsum more operands", lambda: torch.einsum("ij->i", b, b))
err("einsum fewer operands", lambda: torch.einsum("ij,jk->ik", b))
err("einsum subscripts", lambda: torch.einsum("ijk->i", b))
err("einsum invalid", lambda: torch.einsum("i1->i", b))
err("einsum output repeated", lambda: torch.einsum("ij->ii", b))
err("einsum output unknown", lambda: torch.einsum("ij->k", b))
err("einsum broadcast", lambda: torch.einsum("i,i->", torch.ones(2), torch.ones(3)))
err("einsum lone dot", lambda: torch.einsum("..i.j->...", torch.randn(2, 3, 4, 5)))
y = torch.randn(1, 2, 3, 4)
err("pad odd", lambda: F.pad(y, (1, 2, 3)))
err("pad too long", lambda: F.pad(y, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
err("pad reflect too large", lambda: F.pad(y, (1, 2, 3, 4), mode="reflect"))
err("pad reflect 1d too large", lambda: F.pad(y[0], (4, 0), mode="reflect"))
err("pad non-constant dims", lambda: F.pad(y, (1, 2), mode="reflect"))
err("pad reflect value", lambda: F.pad(y, (1, 2, 1, 1), mode="reflect", value=2))
err("pad mode", lambda: F.pad(y, (1, 2), mode="foo"))
err("pad circular wrap", lambda: F.pad(y, (5, 2, 1, 1), mode="circular"))
err("pad replicate too small", lambda: F.pad(y[0], (-3, -1), mode="replicate"))
xn = torch.randn(2, 3, 4, 5)
tn = torch.randint(0, 3, (2, 4, 5))
err("nll 4-d size mismatch", lambda: F.nll_loss(xn, tn[:, :3]))
err("nll 3-d target size", lambda: F.nll_loss(xn[:, :, :, 0], tn[:, :3, 0]))
err("nll batch", lambda: F.nll_loss(xn, tn[:1]))
err("nll 4-d target rank", lambda: F.nll_loss(xn, tn[:, :, 0]))
err("nll 5-d target size", lambda: F.nll_loss(xn.unsqueeze(-1), tn.unsqueeze(-1)[:, :2]))

# the padding layers' reprs
nn = torch.nn
layers = {
    "ConstantPad1d(2, 3.5)": nn.ConstantPad1d(2, 3.5),
    "ConstantPad2d([1, 1, 2, 0], 0)": nn.ConstantPad2d((1, 1, 2, 0), 0.0),
    "ConstantPad3d(1, -1e-5)": nn.ConstantPad3d(1, -1e-5),
    "ZeroPad2d([1, 1, 2, 0])": nn.ZeroPad2d((1, 1, 2, 0)),
    "ZeroPad2d(2)": nn.ZeroPad2d(2),
    "ReflectionPad1d(2)": nn.ReflectionPad1d(2),
    "ReflectionPad2d([1, 1, 2, 0])": nn.ReflectionPad2d((1, 1, 2, 0)),
    "ReflectionPad3d(1)": nn.ReflectionPad3d(1),
    "ReplicationPad1d([3, 1])": nn.ReplicationPad1d((3, 1)),
    "ReplicationPad2d(1)": nn.ReplicationPad2d(1),
    "ReplicationPad3d(1)": nn.ReplicationPad3d(1),
}
reprs = {k: repr(m) for k, m in layers.items()}

out = {"torch": torch.__version__, "cases": cases, "errors": errors, "reprs": reprs}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seq_ops.json"), "w") as fh:
    json.dump(out, fh)
print(len(cases), "cases,", len(errors), "errors")
