import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { numberFromF16 } from "../../ts/backend/half";
import { load, loadSync, save, saveSync, type LoadOptions } from "../../ts/io/save-load";
import { Tensor } from "../../ts/tensor";

const FIXTURES = fileURLToPath(new URL("../fixtures/safetensors/", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tensorgrad-save-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const f32 = (shape: number[], values: number[]) => new Tensor(Float32Array.from(values), shape, "float32");

/** Row-major values of any tensor, read through its strides (independent of the code under test). */
function values(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (d: number, pos: number): void => {
    if (d === t.shape.length) {
      out.push(t._data[pos]);
      return;
    }
    for (let i = 0; i < t.shape[d]; i++) walk(d + 1, pos + i * t.strides[d]);
  };
  walk(0, t.offset);
  return out;
}

const variants = [
  { name: "async", save, load },
  { name: "sync", save: async (t: Record<string, Tensor>, p: string) => saveSync(t, p), load: async (p: string, o?: LoadOptions) => loadSync(p, o) },
];

for (const v of variants) {
  describe(`save / load (${v.name})`, () => {
    it("round-trips every dtype, scalars and empty tensors", async () => {
      const tensors: Record<string, Tensor> = {
        "fc.weight": f32([2, 3], [1, 2, 3, 4, 5, 6]),
        "fc.bias": f32([2], [-1, 0.5]),
        d: new Tensor(Float64Array.from([Math.PI]), [1], "float64"),
        i: new Tensor(Int32Array.from([7, -8]), [2], "int32"),
        mask: new Tensor(Uint8Array.from([1, 0, 1]), [3], "bool"),
        scalar: new Tensor(Float32Array.from([2.5]), [], "float32"),
        empty: new Tensor(new Float32Array(0), [0, 4], "float32"),
        "größe": f32([1], [9]),
      };
      const p = path.join(dir, "m.safetensors");
      await v.save(tensors, p);
      const back = await v.load(p);
      expect(Object.keys(back).sort()).toEqual(Object.keys(tensors).sort());
      for (const [name, t] of Object.entries(tensors)) {
        const b = back[name];
        expect(b).toBeInstanceOf(Tensor);
        expect(b.dtype, name).toBe(t.dtype);
        expect([...b.shape], name).toEqual([...t.shape]);
        expect(values(b), name).toEqual(values(t));
        expect(b.isContiguous()).toBe(true);
        expect(b.requiresGrad).toBe(false);
      }
    });

    it("saves the logical values of non-contiguous, offset and expanded tensors", async () => {
      const base = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const tensors: Record<string, Tensor> = {
        transposed: new Tensor(base, [4, 3], "float32", [1, 4]), // the transpose of a 3×4 matrix
        narrowed: new Tensor(base, [2, 2], "float32", [4, 1], 5), // rows 1..2, columns 1..2
        expanded: new Tensor(base, [3, 2], "float32", [0, 1], 2), // [2, 3] repeated 3 times
        strided: new Tensor(base, [3], "float32", [4], 1),
      };
      const p = path.join(dir, "views.safetensors");
      await v.save(tensors, p);
      const back = await v.load(p);
      expect(values(back.transposed)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
      expect(values(back.narrowed)).toEqual([5, 6, 9, 10]);
      expect(values(back.expanded)).toEqual([2, 3, 2, 3, 2, 3]);
      expect(values(back.strided)).toEqual([1, 5, 9]);
    });

    it("writes the same bytes as Python's safetensors for the same tensors", async () => {
      const spec = JSON.parse(fs.readFileSync(`${FIXTURES}ours.json`, "utf8")) as {
        metadata: unknown;
        tensors: { name: string; dtype: "float32" | "float64" | "int32" | "bool"; shape: number[]; values: number[] }[];
      };
      const arrays = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
      const tensors: Record<string, Tensor> = {};
      for (const t of spec.tensors) tensors[t.name] = new Tensor(arrays[t.dtype].from(t.values), t.shape, t.dtype);
      const p = path.join(dir, "same.safetensors");
      await v.save(tensors, p);
      // The fixture carries {"format": "pt"} metadata; save writes none, so compare with the header re-made without it.
      const ours = fs.readFileSync(p);
      const theirs = fs.readFileSync(`${FIXTURES}ours.safetensors`);
      const header = (b: Buffer) => b.subarray(8, 8 + b.readUInt32LE(0)).toString("utf8").trimEnd();
      expect(header(ours)).toBe(header(theirs).replace('"__metadata__":{"format":"pt"},', ""));
      expect(ours.subarray(8 + ours.readUInt32LE(0)).equals(theirs.subarray(8 + theirs.readUInt32LE(0)))).toBe(true);
      expect(ours.readUInt32LE(0) % 8).toBe(0);
    });

    it("loads a PyTorch checkpoint with int64, float16 and bfloat16, in the file's order", async () => {
      const back = await v.load(`${FIXTURES}torch_dtypes.safetensors`);
      expect(back.long.dtype).toBe("int32");
      expect(values(back.long)).toEqual([0, -1, 2147483647, -2147483648]);
      expect(back.half.dtype).toBe("float16");
      expect(back.bhalf.dtype).toBe("bfloat16");
      expect(values(back.half).slice(0, 3).map(numberFromF16)).toEqual([1, -2.5, 65504]);
      const up = await v.load(`${FIXTURES}torch_dtypes.safetensors`, { dtype: "float32" });
      expect([up.half.dtype, up.bhalf.dtype, up.long.dtype, up.flag.dtype]).toEqual(["float32", "float32", "int32", "bool"]);
      expect(values(up.half).slice(0, 3)).toEqual([1, -2.5, 65504]);
      expect(back.num_batches_tracked.shape).toEqual([]);
      expect(Object.keys(back)[0]).toBe("long"); // I64 sorts first in the reference layout
    });

    it("refuses damaged files with an error naming the file, and leaves nothing behind on a failed save", async () => {
      const p = path.join(dir, "m.safetensors");
      await v.save({ w: f32([2], [1, 2]) }, p);
      const bytes = fs.readFileSync(p);
      fs.writeFileSync(p, bytes.subarray(0, bytes.length - 1));
      await expect(v.load(p)).rejects.toThrow(`safetensors: tensor "w" has data_offsets [0, 8] beyond the 7-byte data buffer (in "${p}")`);
      await expect(v.load(path.join(dir, "missing.safetensors"))).rejects.toThrow(/no such file/);
      fs.writeFileSync(p, bytes);
      await expect(v.save({ w: 3 as unknown as Tensor }, p)).rejects.toThrow('save: the value for "w" is not a Tensor');
      expect(fs.readFileSync(p).equals(bytes)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(["m.safetensors"]);
    });
  });
}
