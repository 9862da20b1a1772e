"""Reference learning rates and optimizer steps for test/optim (PyTorch 1.13):
/usr/bin/python3 test/reference/gen_optim_sched.py  ->  test/optim/fixtures/optim_sched.json

Scheduler specs are written with tensorgrad's spellings (camelCase options) and translated here, so the
test builds exactly the same schedulers from the same JSON.
"""
import json, math, os, re, warnings
import torch
from torch.optim import lr_scheduler as S

torch.set_num_threads(1)
warnings.simplefilter("ignore")

# Named lambdas, mirrored in test/optim/lr-scheduler.test.ts.
LAMBDAS = {
    "pow95": lambda e: 0.95 ** e,
    "warmup10": lambda e: min(1.0, (e + 1) / 10),
    "floorDiv7": lambda e: e // 7,
    "invSqrt": lambda e: 1 / math.sqrt(e + 1),
    "mul99": lambda e: 0.99,
    "alternate": lambda e: 0.9 if e % 2 else 1.05,
}

def snake(k):
    if k in ("T_mult",):
        return k
    return {"TMult": "T_mult"}.get(k, re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k))

def build(opt, spec):
    name = spec["sched"]
    kw = {snake(k): v for k, v in spec.get("options", {}).items()}
    args = list(spec.get("args", []))
    if name in ("SequentialLR", "ChainedScheduler"):
        subs = [build(opt, s) for s in spec["subs"]]
        return S.SequentialLR(opt, subs, *args, **kw) if name == "SequentialLR" else S.ChainedScheduler(subs)
    if name in ("LambdaLR", "MultiplicativeLR"):
        args[0] = [LAMBDAS[n] for n in args[0]] if isinstance(args[0], list) else LAMBDAS[args[0]]
    if name == "ReduceLROnPlateau":
        return S.ReduceLROnPlateau(opt, *args, **kw)
    return getattr(S, name)(opt, *args, **kw)

def make_opt(spec):
    params = [torch.zeros(2, requires_grad=True) for _ in spec["groups"]]
    groups = [dict(params=[p], **{snake(k): (tuple(v) if k == "betas" else v) for k, v in g.items()}) for p, g in zip(params, spec["groups"])]
    okw = {snake(k): (tuple(v) if k == "betas" else v) for k, v in spec.get("optOptions", {}).items()}
    cls = getattr(torch.optim, spec.get("optimizer", "SGD"))
    if cls is torch.optim.SGD and "lr" not in okw:
        okw["lr"] = 0.1
    return params, cls(groups, **okw)

def clean(v):
    """JSON-safe copy: ±inf as strings, callables dropped (marked), tuples as lists."""
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if not callable(x)}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if hasattr(v, "items") and not isinstance(v, dict):  # Counter
        return {str(k): x for k, x in v.items()}
    return v

def run(spec):
    params, opt = make_opt(spec)
    if spec.get("prime"):
        build(opt, {**spec, "options": {k: v for k, v in spec.get("options", {}).items() if k != "lastEpoch"}})
    sched = build(opt, spec)
    lrs = [list(sched.get_last_lr()) if hasattr(sched, "get_last_lr") else [g["lr"] for g in opt.param_groups]]
    moms = [[g.get("momentum", g.get("betas", [None])[0]) for g in opt.param_groups]]
    for i in range(spec["steps"]):
        for p in params:
            p.grad = torch.ones_like(p)
        opt.step()
        if spec["sched"] == "ReduceLROnPlateau":
            sched.step(spec["metrics"][i])
            lrs.append(list(sched._last_lr))
        else:
            sched.step()
            lrs.append(list(sched.get_last_lr()))
        moms.append([g.get("momentum", g.get("betas", [None])[0]) for g in opt.param_groups])
    out = dict(spec, lrs=lrs, groupLrs=[g["lr"] for g in opt.param_groups], stateDict=clean(sched.state_dict()))
    if spec["sched"] == "OneCycleLR":
        out["momentum"] = moms
    return out

metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.85, 0.86, 0.86, 0.87, 0.8, 0.8, 0.8, 0.8, 0.79995, 0.8, 0.81, 0.82,
           0.7, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
metrics_max = [1 - m for m in metrics]
g1 = [{"lr": 0.1}]
g2 = [{"lr": 0.1}, {"lr": 0.05}]
N = 40
specs = [
    {"sched": "StepLR", "args": [7], "options": {"gamma": 0.5}, "groups": g1},
    {"sched": "StepLR", "args": [3], "groups": g2},
    {"sched": "StepLR", "args": [5], "options": {"gamma": 0.3, "lastEpoch": 10}, "groups": g1, "prime": True},
    {"sched": "MultiStepLR", "args": [[5, 12, 12, 20]], "options": {"gamma": 0.5}, "groups": g2},
    {"sched": "MultiStepLR", "args": [[30, 10]], "groups": g1},
    {"sched": "ExponentialLR", "args": [0.9], "groups": g2},
    {"sched": "ExponentialLR", "args": [0.97], "groups": [{"lr": 0.3}]},
    {"sched": "CosineAnnealingLR", "args": [10], "options": {"etaMin": 0.001}, "groups": g1},
    {"sched": "CosineAnnealingLR", "args": [7], "groups": g2},
    {"sched": "CosineAnnealingLR", "args": [12], "options": {"etaMin": 0.002, "lastEpoch": 4}, "groups": g2, "prime": True},
    {"sched": "CosineAnnealingWarmRestarts", "args": [5], "groups": g1},
    {"sched": "CosineAnnealingWarmRestarts", "args": [3], "options": {"TMult": 2, "etaMin": 0.01}, "groups": g2},
    {"sched": "LambdaLR", "args": ["pow95"], "groups": g1},
    {"sched": "LambdaLR", "args": [["warmup10", "floorDiv7"]], "groups": g2},
    {"sched": "LambdaLR", "args": ["invSqrt"], "groups": g2},
    {"sched": "MultiplicativeLR", "args": ["mul99"], "groups": g1},
    {"sched": "MultiplicativeLR", "args": [["alternate", "mul99"]], "groups": g2},
    {"sched": "ConstantLR", "groups": g1},
    {"sched": "ConstantLR", "options": {"factor": 0.5, "totalIters": 12}, "groups": g2},
    {"sched": "PolynomialLR", "groups": g1},
    {"sched": "PolynomialLR", "options": {"totalIters": 25, "power": 2.0}, "groups": g2},
    {"sched": "PolynomialLR", "options": {"totalIters": 30, "power": 0.5}, "groups": g1},
    {"sched": "LinearLR", "groups": g1},
    {"sched": "LinearLR", "options": {"startFactor": 0.25, "endFactor": 0.75, "totalIters": 8}, "groups": g2},
    {"sched": "LinearLR", "options": {"startFactor": 1.0, "endFactor": 0.1, "totalIters": 30}, "groups": g1},
    {"sched": "OneCycleLR", "args": [0.1], "options": {"totalSteps": 40}, "groups": g1, "optOptions": {"momentum": 0.9}, "steps": 39},
    {"sched": "OneCycleLR", "args": [[0.2, 0.05]], "options": {"epochs": 4, "stepsPerEpoch": 10, "pctStart": 0.25, "annealStrategy": "linear", "threePhase": True, "divFactor": 10.0, "finalDivFactor": 100.0}, "groups": g2, "optOptions": {"momentum": 0.9}, "steps": 39},
    {"sched": "OneCycleLR", "args": [0.01], "options": {"totalSteps": 45, "baseMomentum": 0.8, "maxMomentum": 0.9}, "groups": [{"lr": 0.001}], "optimizer": "Adam", "steps": 40},
    {"sched": "OneCycleLR", "args": [0.05], "options": {"totalSteps": 41, "cycleMomentum": False}, "groups": g1, "steps": 40},
    {"sched": "ReduceLROnPlateau", "options": {"patience": 2, "factor": 0.5}, "groups": g1, "metrics": metrics},
    {"sched": "ReduceLROnPlateau", "options": {"mode": "max", "thresholdMode": "abs", "threshold": 0.01, "cooldown": 2, "patience": 1}, "groups": g2, "metrics": metrics_max},
    {"sched": "ReduceLROnPlateau", "options": {"patience": 0, "factor": 0.3, "minLr": [0.01, 0.004], "threshold": 0.1}, "groups": g2, "metrics": metrics},
    {"sched": "ReduceLROnPlateau", "options": {"patience": 1, "factor": 0.9, "eps": 0.005}, "groups": g1, "metrics": metrics},
    {"sched": "SequentialLR", "subs": [{"sched": "LinearLR", "options": {"startFactor": 0.1, "totalIters": 5}}, {"sched": "ExponentialLR", "args": [0.9]}], "args": [[5]], "groups": g1},
    {"sched": "SequentialLR", "subs": [{"sched": "LinearLR", "options": {"startFactor": 0.5, "totalIters": 4}}, {"sched": "StepLR", "args": [3], "options": {"gamma": 0.5}}, {"sched": "CosineAnnealingLR", "args": [8], "options": {"etaMin": 0.001}}], "args": [[6, 15]], "groups": g2},
    {"sched": "SequentialLR", "subs": [{"sched": "ExponentialLR", "args": [0.8]}, {"sched": "CosineAnnealingWarmRestarts", "args": [4], "options": {"TMult": 2}}], "args": [[7]], "groups": g1},
    {"sched": "ChainedScheduler", "subs": [{"sched": "ExponentialLR", "args": [0.95]}, {"sched": "StepLR", "args": [5], "options": {"gamma": 0.5}}], "groups": g1},
    {"sched": "SequentialLR", "subs": [{"sched": "ConstantLR", "options": {"factor": 0.2, "totalIters": 3}}, {"sched": "PolynomialLR", "options": {"totalIters": 20, "power": 3.0}}, {"sched": "MultiStepLR", "args": [[3, 5]], "options": {"gamma": 0.7}}], "args": [[4, 30]], "groups": g2},
    {"sched": "ChainedScheduler", "subs": [{"sched": "LinearLR", "options": {"startFactor": 0.5, "totalIters": 4}}, {"sched": "MultiStepLR", "args": [[10, 20]]}, {"sched": "CosineAnnealingLR", "args": [9]}], "groups": g2},
]
for s in specs:
    s.setdefault("steps", N)
schedulers = [run(s) for s in specs]

# Optimizers: a few steps from the same parameters and gradients (float32).
torch.manual_seed(7)
p0 = torch.randn(2, 3)
p1 = torch.randn(4)
grads = [[torch.randn(2, 3), torch.randn(4)] for _ in range(6)]
opt_cases = [
    ("Adagrad", {}), ("Adagrad", {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.1, "initialAccumulatorValue": 0.5, "eps": 1e-6}),
    ("Adagrad", {"lr": 0.05, "maximize": True}),
    ("Adadelta", {}), ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weightDecay": 0.05}), ("Adadelta", {"maximize": True}),
    ("Adamax", {}), ("Adamax", {"lr": 0.01, "betas": [0.8, 0.95], "eps": 1e-5, "weightDecay": 0.1}), ("Adamax", {"maximize": True}),
    ("NAdam", {}), ("NAdam", {"lr": 0.01, "betas": [0.85, 0.99], "weightDecay": 0.05, "momentumDecay": 0.01}),
    ("RAdam", {}), ("RAdam", {"lr": 0.01, "betas": [0.5, 0.6], "weightDecay": 0.05, "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "maximize": True}), ("AdamW", {"lr": 0.01, "maximize": True, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01, "maximize": True, "centered": True, "momentum": 0.5}),
]
optimizers = []
for name, o in opt_cases:
    a = p0.clone().requires_grad_()
    b = p1.clone().requires_grad_()
    kw = {snake(k): (tuple(v) if k == "betas" else v) for k, v in o.items()}
    opt = getattr(torch.optim, name)([{"params": [a]}, {"params": [b], "lr": kw.get("lr", 1e-3) * 2}], **kw)
    hist = []
    for ga, gb in grads:
        a.grad = ga.clone()
        b.grad = gb.clone()
        opt.step()
        hist.append([a.detach().tolist(), b.detach().tolist()])
    optimizers.append({"name": name, "options": o, "params": hist})

out = {
    "schedulers": schedulers,
    "optimizers": {"p0": p0.tolist(), "p1": p1.tolist(), "grads": [[g[0].tolist(), g[1].tolist()] for g in grads], "cases": optimizers},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "optim", "fixtures", "optim_sched.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")
