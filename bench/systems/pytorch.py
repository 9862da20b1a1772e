"""PyTorch 1.13 (and NumPy/OpenBLAS for W6) on W1-W8, reading the runner's shared data.

Run: /usr/bin/python3 bench/systems/pytorch.py --workload W1 --data <dir> --threads 1 --blas 1|stock
OPENBLAS_NUM_THREADS must be set before torch/numpy load (OpenBLAS reads it once), so argv is parsed first.
"""
import argparse
import json
import os
import resource
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--workload", required=True)
ap.add_argument("--data", required=True)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--blas", default="1", help="OpenBLAS threads, or 'stock' to leave it unset")
ap.add_argument("--system", default="pytorch")
args = ap.parse_args()
if args.blas != "stock":
    os.environ["OPENBLAS_NUM_THREADS"] = args.blas

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(args.threads)
PREFIX = "@@BENCH_RESULT "
now = time.perf_counter

with open(os.path.join(args.data, "manifest.json")) as f:
    MANIFEST = json.load(f)
with open(os.path.join(args.data, "plan.json")) as f:
    PLAN = json.load(f)


def arr(name):
    a = np.fromfile(os.path.join(args.data, name + ".f32"), dtype="<f4")
    return torch.from_numpy(a.reshape(MANIFEST[name]).copy())


def repeat(once):
    """Up to PLAN reps repetitions, stopping once the budget is spent (at least one)."""
    out, t0 = [], now()
    for _ in range(PLAN["reps"]):
        out.append(once())
        if now() - t0 > PLAN["repBudgetS"]:
            break
    return out


def per_call(fn, min_time):
    calls, t0 = 0, now()
    while True:
        fn()
        calls += 1
        t = now()
        if t - t0 >= min_time:
            return (t - t0) / calls


def row(variant, unit, higher, values, **extra):
    r = {"variant": variant, "unit": unit, "higherIsBetter": higher, "values": values}
    r.update(extra)
    return r


def load_linear(lin, name):
    with torch.no_grad():
        lin.weight.copy_(arr(name + "_W"))
        lin.bias.copy_(arr(name + "_b"))


def w1():
    X, y = arr("w1_X"), arr("w1_y")

    def train(epochs):
        W = torch.ones(2, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([W, b], lr=0.01)
        loss = None
        for _ in range(epochs):
            opt.zero_grad()
            y_pred = torch.sigmoid(torch.sum(X * W, 1) + b)
            loss = torch.mean((y_pred - y) ** 2)
            loss.backward()
            opt.step()
        return loss.item()

    train(PLAN["w1"]["warmupEpochs"])
    box = {}

    def once():
        t0 = now()
        box["loss"] = train(PLAN["w1"]["epochs"])
        return now() - t0

    vals = repeat(once)
    return [row("", "s", False, vals, loss=box["loss"])]


class WideNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(1, 512), torch.nn.Tanh(), torch.nn.Linear(512, 1))

    def forward(self, x):
        return self.layers(x)


def w2():
    x, y = arr("w2_x"), arr("w2_y")

    def train(steps):
        net = WideNet()
        load_linear(net.layers[0], "w2_l1")
        load_linear(net.layers[2], "w2_l2")
        loss_fn = torch.nn.MSELoss()
        opt = torch.optim.SGD(net.parameters(), lr=0.003, momentum=0.9)
        first = last = None
        for s in range(steps):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            last = loss.item()  # the tutorial records loss.item() every epoch
            if s == 0:
                first = last
        return first, last

    train(PLAN["w2"]["warmupSteps"])
    box = {}

    def once():
        t0 = now()
        box["r"] = train(PLAN["w2"]["steps"])
        return now() - t0

    vals = repeat(once)
    return [row("", "s", False, vals, firstLoss=box["r"][0], loss=box["r"][1])]


def w3():
    x, y = arr("w3_x"), arr("w3_y")
    lr = 1e-6

    def train(iters):
        w1 = arr("w3_w1").requires_grad_()
        w2 = arr("w3_w2").requires_grad_()
        loss = None
        for _ in range(iters):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w1 -= lr * w1.grad
                w2 -= lr * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
        return loss.item()

    train(PLAN["w3"]["warmupIters"])
    n, box = PLAN["w3"]["iters"], {}

    def once():
        t0 = now()
        box["loss"] = train(n)
        return (now() - t0) / n * 1e3

    vals = repeat(once)
    return [row("", "ms/iter", False, vals, loss=box["loss"])]


def w4():
    x, y = arr("w3_x"), arr("w3_y")

    def train(steps):
        model = torch.nn.Sequential(torch.nn.Linear(1000, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
        load_linear(model[0], "w4_l1")
        load_linear(model[2], "w4_l2")
        loss_fn = torch.nn.MSELoss(reduction="sum")
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        loss = None
        for _ in range(steps):
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    train(PLAN["w4"]["warmupSteps"])
    n, box = PLAN["w4"]["steps"], {}

    def once():
        t0 = now()
        box["loss"] = train(n)
        return (now() - t0) / n * 1e3

    vals = repeat(once)
    return [row("", "ms/step", False, vals, loss=box["loss"])]


def w5():
    p = PLAN["w5"]
    X, Y = arr("w5_x"), arr("w5_y").long()
    xs = [X[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    ys = [Y[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    for i, name in ((0, "w5_l1"), (2, "w5_l2"), (4, "w5_l3")):
        load_linear(model[i], name)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    k = [0]

    def step():
        i = k[0] % p["batches"]
        k[0] += 1
        opt.zero_grad()
        loss = loss_fn(model(xs[i]), ys[i])
        loss.backward()
        opt.step()
        return loss

    # The loss checked is the last warm-up step's: every system has run the same steps by then.
    box = {}
    for _ in range(p["warmupSteps"]):
        box["loss"] = step().item()

    def once():
        t0, n = now(), 0
        while n < p["steps"] and (n == 0 or now() - t0 < p["budgetS"]):
            step()
            n += 1
        return n * p["batch"] / (now() - t0)

    vals = repeat(once)
    return [row("", "samples/s", True, vals, loss=box["loss"])]


def w6():
    p = PLAN["w6"]
    rows = []
    for lib in ("torch", "numpy"):
        prev = None
        for n in p["sizes"]:
            variant = ("numpy " if lib == "numpy" else "") + "n=%d" % n
            if prev and prev[1] * (n / prev[0]) ** 3 > p["capS"]:
                rows.append(row(variant, "GFLOP/s", True, [], note="skipped: predicted time > cap"))
                continue
            A, B = torch.randn(n, n), torch.randn(n, n)
            C = torch.empty(n, n)
            if lib == "torch":
                def call():
                    torch.mm(A, B, out=C)
            else:
                An, Bn, Cn = A.numpy(), B.numpy(), C.numpy()

                def call():
                    np.matmul(An, Bn, out=Cn)
            t1 = now()
            call()
            warm = now() - t1
            secs = repeat(lambda: per_call(call, p["minTimeS"]))
            prev = (n, min([warm] + secs))
            rows.append(row(variant, "GFLOP/s", True, [2 * n ** 3 / s / 1e9 for s in secs]))
    return rows


def w7():
    p = PLAN["w7"]
    rows = []
    for numel in (1, 1000):
        for grad in (False, True):
            a = torch.randn(numel, requires_grad=grad)
            b = torch.randn(numel, requires_grad=grad)

            def loop(iters):
                t0, i = now(), 0
                while i < iters:
                    chunk = min(1000, iters - i)
                    for _ in range(chunk):
                        a + b
                    i += chunk
                    if now() - t0 > p["budgetS"]:
                        break
                return (now() - t0) / i * 1e9

            loop(min(10000, p["iters"]))
            vals = repeat(lambda: loop(p["iters"]))
            rows.append(row("numel=%d%s" % (numel, " grad" if grad else ""), "ns/op", False, vals))
    return rows


def w8():
    p = PLAN["w8"]
    rows = []
    for n in p["sizes"]:
        label = "16M" if n >= 1 << 24 else "1M"
        x, y = torch.randn(n), torch.randn(n)
        ops = (("tanh", lambda: torch.tanh(x)), ("relu", lambda: torch.relu(x)),
               ("add", lambda: x + y), ("sum", lambda: x.sum()))
        for name, op in ops:
            op()
            secs = repeat(lambda: per_call(op, p["minTimeS"]))
            rows.append(row("%s %s" % (name, label), "Melem/s", True, [n / s / 1e6 for s in secs]))
    return rows


def w9():
    p = PLAN["w9"]
    X, Y = arr("w9_x"), arr("w9_y").long()
    xs = [X[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    ys = [Y[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    for i, name in ((0, "w9_c1"), (3, "w9_c2"), (7, "w9_l1"), (9, "w9_l2"), (11, "w9_l3")):
        load_linear(model[i], name)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    k = [0]

    def step():
        i = k[0] % p["batches"]
        k[0] += 1
        opt.zero_grad()
        loss = loss_fn(model(xs[i]), ys[i])
        loss.backward()
        opt.step()
        return loss

    box = {}
    for _ in range(p["warmupSteps"]):
        box["loss"] = step().item()

    def once():
        t0, n = now(), 0
        while n < p["steps"] and (n == 0 or now() - t0 < p["budgetS"]):
            step()
            n += 1
        return n * p["batch"] / (now() - t0)

    rows = [row("LeNet-5 train", "samples/s", True, repeat(once), loss=box["loss"])]
    n, c, s = p["convBatch"], p["convChannels"], p["convSize"]
    flops = 2 * n * c * c * 9 * s * s
    conv = nn.Conv2d(c, c, 3, padding=1)
    x = torch.randn(n, c, s, s, requires_grad=True)
    g = torch.ones(n, c, s, s)

    def fwd():
        with torch.no_grad():
            conv(x)

    def fwd_bwd():
        x.grad = None
        conv.zero_grad(set_to_none=True)
        conv(x).backward(g)

    for variant, call, times in (("conv2d 3×3 fwd", fwd, 1), ("conv2d 3×3 fwd+bwd", fwd_bwd, 3)):
        t0 = now()
        call()
        warm = now() - t0
        note = "%d→%d %d×%d b%d" % (c, c, s, s, n)
        if warm > p["convCapS"]:
            rows.append(row(variant, "GFLOP/s", True, [times * flops / warm / 1e9], note=note + "; one call (%.1f s > cap)" % warm))
            continue
        secs = repeat(lambda: per_call(call, p["minTimeS"]))
        rows.append(row(variant, "GFLOP/s", True, [times * flops / t / 1e9 for t in secs], note=note))
    return rows


def step_rate(run, step, per_step, unit, loss):
    """W10/W11: up to run["steps"] timed steps (or run["budgetS"]) per repetition, as per_step units per second."""
    def once():
        t0, n = now(), 0
        while n < run["steps"] and (n == 0 or now() - t0 < run["budgetS"]):
            step()
            n += 1
        return n * per_step / (now() - t0)

    return [row("", unit, True, repeat(once), loss=loss)]


def w10():
    p = PLAN["w10"]
    T = p["context"]
    toks = arr("w10_tokens").long()
    xs = [toks[i, :, :T].contiguous() for i in range(p["batches"])]
    ys = [toks[i, :, 1:].reshape(-1).contiguous() for i in range(p["batches"])]
    torch.manual_seed(0)
    tok, pos = torch.nn.Embedding(p["vocab"], p["dModel"]), torch.nn.Embedding(T, p["dModel"])
    layer = torch.nn.TransformerEncoderLayer(p["dModel"], p["heads"], dim_feedforward=p["dimFeedforward"], dropout=0.0,
                                             activation="gelu", batch_first=True, norm_first=True)
    blocks = torch.nn.TransformerEncoder(layer, p["layers"], enable_nested_tensor=False)
    norm, head = torch.nn.LayerNorm(p["dModel"]), torch.nn.Linear(p["dModel"], p["vocab"])
    model = torch.nn.ModuleList([tok, pos, blocks, norm, head])
    positions = torch.arange(T)
    mask = torch.triu(torch.full((T, T), float("-inf")), 1)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    k = [0]

    def step():
        i = k[0] % p["batches"]
        k[0] += 1
        opt.zero_grad()
        h = blocks(tok(xs[i]) + pos(positions), mask=mask)
        loss = loss_fn(head(norm(h)).reshape(-1, p["vocab"]), ys[i])
        loss.backward()
        opt.step()
        return loss

    loss = None
    for _ in range(p["warmupSteps"]):
        loss = step().item()
    return step_rate(p, step, p["batch"] * T, "tokens/s", loss)


def w11():
    p = PLAN["w11"]
    X, Y = arr("w11_x"), arr("w11_y").long()
    xs = [X[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    ys = [Y[i * p["batch"]:(i + 1) * p["batch"]].contiguous() for i in range(p["batches"])]
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(p["input"], p["hidden"], num_layers=p["layers"], batch_first=True)
    head = torch.nn.Linear(p["hidden"], p["classes"])
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
    k = [0]

    def step():
        i = k[0] % p["batches"]
        k[0] += 1
        opt.zero_grad()
        out, _ = lstm(xs[i])
        loss = loss_fn(head(out[:, -1]), ys[i])
        loss.backward()
        opt.step()
        return loss

    loss = None
    for _ in range(p["warmupSteps"]):
        loss = step().item()
    return step_rate(p, step, p["batch"], "samples/s", loss)


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6, "W7": w7, "W8": w8, "W9": w9, "W10": w10, "W11": w11}


def blas_libraries():
    """Which BLAS this process really mapped: Debian's libblas.so.3 may be OpenBLAS or the slow reference BLAS."""
    np.matmul(np.ones((8, 8), "f4"), np.ones((8, 8), "f4"))
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none mapped"


def main():
    versions = {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__,
                "torch_threads": str(torch.get_num_threads()),
                "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset"), "blas": blas_libraries()}
    res = {"system": args.system, "workload": args.workload, "versions": versions, "notes": [], "rows": []}
    try:
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), now()
        res["rows"] = WORKLOADS[args.workload]()
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        res["cpuPerWall"] = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) / (now() - t0)
        res["ok"] = True
    except Exception as e:  # report, never crash the runner
        res["ok"] = False
        res["error"] = "%s: %s" % (type(e).__name__, e)
    res["maxRssKB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(PREFIX + json.dumps(res) + "\n")


main()
