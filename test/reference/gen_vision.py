"""Goldens for the vision layers (test/nn/vision*.test.ts), from PyTorch 1.13:
/usr/bin/python3 test/reference/gen_vision.py > test/reference/vision.json
Each case: inputs (float64, flat), the forward output and the gradients of sum(out * gout)."""
import json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def grads_of(out, inputs):
    gout = torch.randn(out.shape, dtype=torch.float64)
    gs = torch.autograd.grad(out, [i for i in inputs if i is not None], gout)
    return gout, gs


conv = []
for (n, c, h, w, co, k, stride, padding, dilation, groups, bias) in [
    (2, 3, 7, 6, 4, (3, 3), 1, 0, 1, 1, True),
    (2, 3, 7, 6, 4, (3, 2), (2, 1), (1, 2), 1, 1, True),
    (1, 4, 8, 8, 6, (3, 3), 2, 1, 2, 2, False),
    (2, 4, 5, 5, 4, (3, 3), 1, 1, 1, 4, True),       # depthwise
    (3, 2, 5, 7, 3, (1, 1), 1, 0, 1, 1, True),       # 1x1
    (2, 2, 6, 5, 3, (4, 3), 1, "same", 1, 1, True),  # even kernel: asymmetric "same"
    (2, 2, 6, 5, 3, (3, 3), 1, "same", (2, 1), 1, False),
    (1, 3, 4, 4, 2, (4, 4), 1, "valid", 1, 1, True),  # kernel as large as the input
    (2, 6, 9, 9, 4, (5, 5), 3, 2, 1, 2, True),
]:
    x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
    wt = torch.randn(co, c // groups, *k, dtype=torch.float64, requires_grad=True)
    b = torch.randn(co, dtype=torch.float64, requires_grad=True) if bias else None
    out = F.conv2d(x, wt, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    gout, gs = grads_of(out, [x, wt, b])
    conv.append(dict(nd=2, x=flat(x), xShape=list(x.shape), w=flat(wt), wShape=list(wt.shape), b=flat(b) if bias else None,
                     stride=stride, padding=padding, dilation=dilation, groups=groups,
                     out=flat(out), outShape=list(out.shape), gout=flat(gout),
                     gx=flat(gs[0]), gw=flat(gs[1]), gb=flat(gs[2]) if bias else None))

for (n, c, l, co, k, stride, padding, dilation, groups, bias) in [
    (2, 3, 10, 4, 3, 1, 1, 1, 1, True),
    (1, 4, 9, 2, 2, 2, 0, 3, 2, False),
    (2, 2, 8, 4, 4, 1, "same", 1, 2, True),
]:
    x = torch.randn(n, c, l, dtype=torch.float64, requires_grad=True)
    wt = torch.randn(co, c // groups, k, dtype=torch.float64, requires_grad=True)
    b = torch.randn(co, dtype=torch.float64, requires_grad=True) if bias else None
    out = F.conv1d(x, wt, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    gout, gs = grads_of(out, [x, wt, b])
    conv.append(dict(nd=1, x=flat(x), xShape=list(x.shape), w=flat(wt), wShape=list(wt.shape), b=flat(b) if bias else None,
                     stride=stride, padding=padding, dilation=dilation, groups=groups,
                     out=flat(out), outShape=list(out.shape), gout=flat(gout),
                     gx=flat(gs[0]), gw=flat(gs[1]), gb=flat(gs[2]) if bias else None))

pool = []
def pool_case(kind, shape, **kw):
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    nd = len(shape) - 2
    fn = {"max": [None, F.max_pool1d, F.max_pool2d], "avg": [None, F.avg_pool1d, F.avg_pool2d],
          "adaptive": [None, F.adaptive_avg_pool1d, F.adaptive_avg_pool2d]}[kind][nd]
    res = fn(x, **kw)
    out, idx = (res if kw.get("return_indices") else (res, None))
    gout, gs = grads_of(out, [x])
    pool.append(dict(kind=kind, nd=nd, x=flat(x), xShape=list(shape), args=kw, out=flat(out), outShape=list(out.shape),
                     indices=[int(v) for v in idx.reshape(-1).tolist()] if idx is not None else None,
                     gout=flat(gout), gx=flat(gs[0])))

pool_case("max", (2, 3, 6, 6), kernel_size=2, return_indices=True)
pool_case("max", (1, 2, 7, 5), kernel_size=3, stride=2, padding=1, return_indices=True)
pool_case("max", (1, 2, 7, 7), kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), dilation=(2, 1), ceil_mode=True, return_indices=True)
pool_case("max", (2, 2, 5, 5), kernel_size=2, ceil_mode=True, return_indices=True)
pool_case("max", (2, 3, 9), kernel_size=3, stride=2, padding=1, return_indices=True)
pool_case("max", (1, 2, 8), kernel_size=2, dilation=2, ceil_mode=True, return_indices=True)
pool_case("avg", (2, 3, 6, 6), kernel_size=2)
pool_case("avg", (1, 2, 7, 5), kernel_size=3, stride=2, padding=1)
pool_case("avg", (1, 2, 7, 5), kernel_size=3, stride=2, padding=1, count_include_pad=False)
pool_case("avg", (1, 2, 6, 7), kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), ceil_mode=True)
pool_case("avg", (1, 2, 6, 7), kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), ceil_mode=True, count_include_pad=False)
pool_case("avg", (2, 3, 9), kernel_size=3, stride=2, padding=1)
pool_case("avg", (2, 3, 10), kernel_size=4, stride=3, ceil_mode=True, count_include_pad=False)
pool_case("adaptive", (2, 3, 7, 5), output_size=(3, 2))
pool_case("adaptive", (1, 2, 5, 6), output_size=1)
pool_case("adaptive", (1, 2, 4, 4), output_size=(6, 5))
pool_case("adaptive", (2, 3, 10), output_size=4)

norm = []
def bn_case(shape, train, **kw):
    c = shape[1]
    bn = (nn.BatchNorm1d if len(shape) <= 3 else nn.BatchNorm2d)(c, **kw).double()
    if bn.affine:
        with torch.no_grad():
            bn.weight.copy_(torch.randn(c, dtype=torch.float64)); bn.bias.copy_(torch.randn(c, dtype=torch.float64))
    if bn.track_running_stats:
        with torch.no_grad():
            bn.running_mean.copy_(torch.randn(c, dtype=torch.float64)); bn.running_var.copy_(torch.rand(c, dtype=torch.float64) + 0.5)
    bn.train(train)
    w0 = flat(bn.weight) if bn.affine else None; b0 = flat(bn.bias) if bn.affine else None
    rm0 = flat(bn.running_mean) if bn.track_running_stats else None; rv0 = flat(bn.running_var) if bn.track_running_stats else None
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    outs = []
    out = bn(x)
    out2 = bn(x * 2 + 1)  # a second step: running statistics and num_batches_tracked move again
    gout, gs = grads_of(out, [x] + ([bn.weight, bn.bias] if bn.affine else []))
    norm.append(dict(shape=list(shape), train=train, args={k: v for k, v in kw.items()}, w=w0, b=b0, rm=rm0, rv=rv0,
                     x=flat(x), out=flat(out), out2=flat(out2), gout=flat(gout), gx=flat(gs[0]),
                     gw=flat(gs[1]) if bn.affine else None, gb=flat(gs[2]) if bn.affine else None,
                     rmAfter=flat(bn.running_mean) if bn.track_running_stats else None,
                     rvAfter=flat(bn.running_var) if bn.track_running_stats else None,
                     nbt=int(bn.num_batches_tracked) if bn.track_running_stats else None))

bn_case((4, 3, 5, 6), True)
bn_case((4, 3, 5, 6), False)
bn_case((5, 4), True, momentum=0.3, eps=1e-3)
bn_case((3, 2, 7), True, momentum=None)
bn_case((2, 3, 2, 2), True, affine=False)
bn_case((3, 3, 2, 3), True, track_running_stats=False)
bn_case((3, 3, 2, 3), False, track_running_stats=False)

# LeNet-5 on 28x28 (padding 2), batch 8, 5 SGD steps; weights from manual_seed(0) in construction order.
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
first = {k: flat(v)[:5] for k, v in model.state_dict().items()}
g = torch.Generator().manual_seed(5)
x = torch.randn(8, 1, 28, 28, generator=g)
y = torch.randint(0, 10, (8,), generator=g)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
losses = []
for _ in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    losses.append(float(loss))
lenet = dict(x=[float(f"{v:.9g}") for v in flat(x)],  # float32 values: 9 digits are exact
             y=[int(v) for v in y.tolist()], first=first, losses=losses, repr=str(model))

# ConvTranspose, GroupNorm, interpolate, Dropout2d masks.
torch.manual_seed(99)
convt = []
for (n, c, h, w, co, k, stride, padding, outpad, groups, dilation, bias) in [
    (2, 3, 4, 5, 4, (3, 3), 2, 1, 1, 1, 1, True),
    (1, 4, 3, 3, 6, (2, 3), (1, 2), (0, 1), (0, 1), 2, 1, False),
    (2, 2, 5, 4, 2, (3, 2), 1, 0, 0, 1, (2, 1), True),
]:
    x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
    wt = torch.randn(c, co // groups, *k, dtype=torch.float64, requires_grad=True)
    b = torch.randn(co, dtype=torch.float64, requires_grad=True) if bias else None
    out = F.conv_transpose2d(x, wt, b, stride=stride, padding=padding, output_padding=outpad, groups=groups, dilation=dilation)
    gout, gs = grads_of(out, [x, wt, b])
    convt.append(dict(nd=2, x=flat(x), xShape=list(x.shape), w=flat(wt), wShape=list(wt.shape), b=flat(b) if bias else None,
                      stride=stride, padding=padding, outputPadding=outpad, groups=groups, dilation=dilation,
                      out=flat(out), outShape=list(out.shape), gout=flat(gout),
                      gx=flat(gs[0]), gw=flat(gs[1]), gb=flat(gs[2]) if bias else None))
x = torch.randn(2, 3, 6, dtype=torch.float64, requires_grad=True)
wt = torch.randn(3, 2, 3, dtype=torch.float64, requires_grad=True)
out = F.conv_transpose1d(x, wt, None, stride=2, padding=1, output_padding=1)
gout, gs = grads_of(out, [x, wt])
convt.append(dict(nd=1, x=flat(x), xShape=list(x.shape), w=flat(wt), wShape=list(wt.shape), b=None, stride=2, padding=1,
                  outputPadding=1, groups=1, dilation=1, out=flat(out), outShape=list(out.shape), gout=flat(gout),
                  gx=flat(gs[0]), gw=flat(gs[1]), gb=None))

gnorm = []
for shape, groups, affine in [((2, 6, 3, 4), 3, True), ((3, 4, 5), 2, False), ((2, 4), 4, True)]:
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    w = torch.randn(shape[1], dtype=torch.float64, requires_grad=True) if affine else None
    b = torch.randn(shape[1], dtype=torch.float64, requires_grad=True) if affine else None
    out = F.group_norm(x, groups, w, b, eps=1e-5)
    gout, gs = grads_of(out, [x, w, b])
    gnorm.append(dict(shape=list(shape), groups=groups, x=flat(x), w=flat(w) if affine else None, b=flat(b) if affine else None,
                      out=flat(out), gout=flat(gout), gx=flat(gs[0]), gw=flat(gs[1]) if affine else None,
                      gb=flat(gs[2]) if affine else None))

interp = []
for shape, kw in [((1, 2, 3, 4), dict(scale_factor=2, mode="nearest")), ((1, 2, 5, 4), dict(size=(3, 7), mode="nearest")),
                  ((2, 1, 3, 4), dict(scale_factor=2, mode="bilinear")), ((1, 2, 4, 3), dict(size=(5, 7), mode="bilinear", align_corners=True)),
                  ((1, 2, 5, 4), dict(size=(3, 2), mode="bilinear")), ((1, 2, 4, 4), dict(scale_factor=1.5, mode="bilinear")),
                  ((2, 2, 5), dict(scale_factor=3, mode="nearest")), ((2, 2, 5), dict(size=8, mode="linear")),
                  ((1, 1, 4), dict(size=9, mode="linear", align_corners=True))]:
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    out = F.interpolate(x, **kw)
    gout, gs = grads_of(out, [x])
    interp.append(dict(xShape=list(shape), args=kw, x=flat(x), out=flat(out), outShape=list(out.shape), gout=flat(gout), gx=flat(gs[0])))

torch.manual_seed(3)
d2 = F.dropout2d(torch.ones(4, 5, 2, 3), 0.4)
dropout2d = dict(seed=3, p=0.4, shape=[4, 5, 2, 3], out=flat(d2))

print(json.dumps(dict(conv=conv, pool=pool, norm=norm, lenet=lenet, convt=convt, gnorm=gnorm, interp=interp, dropout2d=dropout2d),
                 separators=(",", ":")))
