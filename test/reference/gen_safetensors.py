"""Writes the safetensors fixtures in test/fixtures/safetensors/ from PyTorch tensors.

Debian has no python3-safetensors package (and pip is unavailable here), so `write_safetensors` below
follows the format as the reference library writes it (safetensors/src/tensor.rs, `prepare`/`serialize`):
  * tensors sorted by descending rank of the dtype in the library's `Dtype` enum, then by name (UTF-8 bytes);
  * header = compact JSON (serde_json style: no spaces, non-ASCII kept raw), "__metadata__" first when given;
  * header padded with spaces to a multiple of 8 bytes; u64 little-endian header length in front;
  * tensor bytes little-endian, C order, back to back.
The writer is checked against byte vectors from the library's own unit tests before anything is written.

Run: /usr/bin/python3 test/reference/gen_safetensors.py   (torch 1.13 from Debian's python3-torch)
"""
import json
import os
import struct
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "safetensors")

# Position in the reference library's `Dtype` enum; its derived order drives the layout.
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "F8_E5M2": 3, "F8_E4M3": 4, "I16": 5, "U16": 6, "F16": 7, "BF16": 8,
        "I32": 9, "U32": 10, "F32": 11, "F64": 12, "I64": 13, "U64": 14}

ST_DTYPE = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
            torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}

TG_DTYPE = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32", torch.bool: "bool"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_bytes(tensors, metadata=None):
    assert sys.byteorder == "little"
    items = sorted(tensors.items(), key=lambda kv: (-RANK[ST_DTYPE[kv[1].dtype]], kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {"dtype": ST_DTYPE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def self_check():
    """Byte vectors of the reference library's unit tests (test_serialization, test_empty, forced alignment)."""
    x = torch.arange(6, dtype=torch.float32)
    h = b'{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'
    assert write_bytes({"attn.0": x.reshape(1, 2, 3)}) == struct.pack("<Q", 64) + h + x.numpy().tobytes()
    h = b'{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}' + b" " * 7
    assert write_bytes({"attn0": x.reshape(1, 1, 2, 3)}) == struct.pack("<Q", 72) + h + x.numpy().tobytes()
    assert write_bytes({}) == struct.pack("<Q", 8) + b"{}" + b" " * 6
    h = b'{"__metadata__":{"framework":"pt"}}' + b" " * 5
    assert write_bytes({}, {"framework": "pt"}) == struct.pack("<Q", 40) + h


def describe(t):
    """Expected tensorgrad view of a tensor: dtype after conversion and exact values."""
    if t.dtype in (torch.float16, torch.bfloat16):
        dtype, vals = "float32", t.float()
    elif t.dtype in (torch.int64, torch.int8, torch.uint8, torch.int16):
        dtype, vals = "int32", t.to(torch.int64)
    else:
        dtype, vals = TG_DTYPE[t.dtype], t
    values = [int(v) if dtype in ("int32", "bool") else float(v) for v in vals.reshape(-1).tolist()]
    return {"dtype": dtype, "shape": list(t.shape), "values": values}


def save(stem, tensors, metadata=None):
    with open(os.path.join(OUT, stem + ".safetensors"), "wb") as f:
        f.write(write_bytes(tensors, metadata))
    spec = {"metadata": metadata, "tensors": [dict(name=k, **describe(v)) for k, v in tensors.items()]}
    with open(os.path.join(OUT, stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    self_check()
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(7)

    # Only tensorgrad's own dtypes: a file tensorgrad writes for these must equal this one byte for byte.
    ours = {
        "layer.weight": torch.randn(3, 4, generator=g),
        "layer.bias": torch.randn(3, generator=g),
        "double": torch.randn(2, 2, generator=g, dtype=torch.float64),
        "steps": torch.tensor([1, -2, 2147483647, -2147483648], dtype=torch.int32),
        "mask": torch.tensor([[True, False, True]]),
        "scalar": torch.tensor(2.5),
        "scalar_i": torch.tensor(-7, dtype=torch.int32),
        "empty": torch.zeros(0, 3),
        "empty_b": torch.zeros(2, 0, dtype=torch.bool),
        "gewicht.ü": torch.tensor([0.5, -0.25]),
        "名前": torch.tensor([1.0], dtype=torch.float64),
        "a\"quote\\back\nslash": torch.tensor([3], dtype=torch.int32),
    }
    save("ours", ours, {"format": "pt"})

    # What PyTorch checkpoints hold beyond tensorgrad's dtypes; read by converting.
    torch_dtypes = {
        "half": torch.tensor([1.0, -2.5, 65504.0, 6.1035156e-05, 5.96e-08, 0.0, -0.0], dtype=torch.float16),
        "bhalf": torch.tensor([1.0, -3.140625, 1e30, -1e-30], dtype=torch.bfloat16),
        "long": torch.tensor([[0, -1], [2147483647, -2147483648]], dtype=torch.int64),
        "long_scalar": torch.tensor(42, dtype=torch.int64),
        "byte": torch.tensor([0, 1, 200, 255], dtype=torch.uint8),
        "char": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
        "short": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "float": torch.randn(2, 3, generator=g),
        "flag": torch.tensor([False, True]),
        "num_batches_tracked": torch.tensor(0, dtype=torch.int64),
    }
    save("torch_dtypes", torch_dtypes)

    # An int64 that int32 cannot hold must be refused, not wrapped.
    save("int64_overflow", {"ids": torch.tensor([1, 2 ** 40], dtype=torch.int64)})


if __name__ == "__main__":
    main()
