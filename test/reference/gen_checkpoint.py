"""Checkpoint interchange fixtures (test/io/checkpoint-pytorch.test.ts), from PyTorch 1.13.

For Adam (amsgrad) and SGD (momentum, dampening, weight decay): train a tiny model 3 steps, save it with the
save_checkpoint of docs/CHECKPOINTS.md (executed from the document itself), train 3 more steps and record the
parameters. The test resumes each file in tensorgrad and compares.

The reverse direction is checked here, not in CI: tensorgrad resumes the Adam file, trains 3 more steps and saves
(run through node); the document's load_checkpoint reads that file into PyTorch, which trains 3 more steps and must
match an uninterrupted 9-step PyTorch run.

Run from the repository root: /usr/bin/python3 test/reference/gen_checkpoint.py
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import types

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def install_safetensors_shim():
    """A minimal safetensors (save_file, safe_open) when the package is absent: 8-byte little-endian header
    length, JSON header, raw little-endian data."""
    try:
        import safetensors.torch  # noqa: F401
        return
    except ImportError:
        pass
    dtypes = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.int64: "I64"}
    back = {v: k for k, v in dtypes.items()}

    def save_file(tensors, path, metadata=None):
        header, blobs, off = {}, [], 0
        if metadata:
            header["__metadata__"] = metadata
        for name, t in tensors.items():
            raw = t.detach().contiguous().numpy().tobytes()
            header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
            blobs.append(raw)
            off += len(raw)
        h = json.dumps(header).encode()
        h += b" " * (-len(h) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

    class safe_open:
        def __init__(self, path, framework):
            assert framework == "pt"
            with open(path, "rb") as f:
                data = f.read()
            n = struct.unpack("<Q", data[:8])[0]
            self._header = json.loads(data[8:8 + n])
            self._data = data[8 + n:]

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def metadata(self):
            return self._header.get("__metadata__", {})

        def keys(self):
            return [k for k in self._header if k != "__metadata__"]

        def get_tensor(self, k):
            e = self._header[k]
            a, b = e["data_offsets"]
            t = torch.frombuffer(bytearray(self._data[a:b]), dtype=back[e["dtype"]]) if b > a else torch.empty(0, dtype=back[e["dtype"]])
            return t.reshape(e["shape"]).clone()

    st = types.ModuleType("safetensors")
    st.safe_open = safe_open
    st_torch = types.ModuleType("safetensors.torch")
    st_torch.save_file = save_file
    st.torch = st_torch
    sys.modules["safetensors"] = st
    sys.modules["safetensors.torch"] = st_torch


def doc_snippet():
    """The Python code block of docs/CHECKPOINTS.md, executed as the document shows it."""
    text = open(os.path.join(ROOT, "docs", "CHECKPOINTS.md")).read()
    code = re.search(r"<!-- python-snippet -->\n```python\n(.*?)```", text, re.S).group(1)
    ns = {}
    exec(code, ns)
    return ns["save_checkpoint"], ns["load_checkpoint"]


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))


CASES = {
    "adam": (torch.optim.Adam, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01, "amsgrad": True},
             {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.01, "amsgrad": True}),
    "sgd": (torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
            {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01}),
}


def train(model, opt, x, y, n):
    losses = []
    for _ in range(n):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def params(model):
    return {k: v.detach().reshape(-1).tolist() for k, v in model.state_dict().items()}


def main():
    install_safetensors_shim()
    save_checkpoint, load_checkpoint = doc_snippet()
    torch.manual_seed(0)
    x = torch.randn(5, 3)
    y = torch.randn(5, 2)
    out = {"torch": torch.__version__, "x": x.tolist(), "y": y.tolist(), "cases": {}}
    for name, (cls, kw, ts_opts) in CASES.items():
        torch.manual_seed(1)
        model = make_model()
        opt = cls(model.parameters(), **kw)
        train(model, opt, x, y, 3)
        save_checkpoint(os.path.join(HERE, f"checkpoint_{name}.safetensors"), model, opt, step=3)
        losses = train(model, opt, x, y, 3)
        out["cases"][name] = {"options": ts_opts, "losses_4_to_6": losses, "params_after_6": params(model)}
    with open(os.path.join(HERE, "checkpoint.json"), "w") as f:
        json.dump(out, f, indent=1)
    check_tensorgrad_file_in_pytorch(load_checkpoint, x, y)


NODE_SCRIPT = r"""
import { loadCheckpointSync, saveCheckpointSync, nn, optim, tensor } from "%(root)s/ts/index";
const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
const opt = new optim.Adam(model.parameters(), { lr: 1 });
loadCheckpointSync("%(src)s", { model, optimizer: opt });
const x = tensor(%(x)s), y = tensor(%(y)s);
for (let i = 0; i < 3; i++) {
  opt.zeroGrad();
  nn.functional.mseLoss(model(x), y).backward();
  opt.step();
}
saveCheckpointSync("%(dst)s", { model, optimizer: opt, step: 6 });
"""


def check_tensorgrad_file_in_pytorch(load_checkpoint, x, y):
    """tensorgrad steps 4-6 from PyTorch's step-3 file and saves; PyTorch loads that and runs steps 7-9."""
    cls, kw, _ = CASES["adam"]
    torch.manual_seed(1)
    ref = make_model()
    ref_opt = cls(ref.parameters(), **kw)
    train(ref, ref_opt, x, y, 9)
    with tempfile.TemporaryDirectory() as d:
        dst = os.path.join(d, "tg.safetensors")
        script = os.path.join(d, "resume.ts")
        with open(script, "w") as f:
            f.write(NODE_SCRIPT % {"root": ROOT, "src": os.path.join(HERE, "checkpoint_adam.safetensors"), "dst": dst,
                                   "x": json.dumps(x.tolist()), "y": json.dumps(y.tolist())})
        subprocess.run(["node", "--import", "tsx", script], cwd=ROOT, check=True)
        model = make_model()
        opt = cls(model.parameters(), lr=1.0)
        step, _ = load_checkpoint(dst, model, opt)
    assert step == 6, step
    assert opt.param_groups[0]["lr"] == kw["lr"] and opt.param_groups[0]["amsgrad"] is True
    assert all(float(s["step"]) == 6 for s in opt.state.values())
    train(model, opt, x, y, 3)
    for (k, a), b in zip(ref.state_dict().items(), model.state_dict().values()):
        assert torch.allclose(a, b, rtol=1e-5, atol=1e-6), (k, a, b)
    print("tensorgrad's checkpoint resumes in PyTorch: parameters after 9 steps match")


if __name__ == "__main__":
    main()
