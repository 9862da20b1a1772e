/**
 * BF16 and F16 safetensors written by Python (test/reference/gen_bf16.py): loaded bit for bit as bfloat16 and
 * float16, saved back byte for byte, and upcast on load with { dtype: "float32" }.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as tg from "../../ts/index";
import { numberFromBf16, numberFromF16 } from "../../ts/backend/half";

const FIXTURES = fileURLToPath(new URL("../fixtures/safetensors/", import.meta.url));
const FILE = `${FIXTURES}bf16_f16.safetensors`;
type Enc = { words?: number[]; values?: number[]; shape: number[]; dtype: string };
const spec = JSON.parse(fs.readFileSync(`${FIXTURES}bf16_f16.json`, "utf8")) as Record<string, Enc>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-half-st-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const words = (t: tg.Tensor): number[] => Array.from((t.contiguous() as unknown as { _data: Uint16Array })._data);

describe("BF16 / F16 safetensors from Python", () => {
  it("load keeps the 16-bit words exactly, with the file's dtypes and shapes", async () => {
    const got = await tg.load(FILE);
    expect(Object.keys(got).sort()).toEqual(Object.keys(spec).sort());
    for (const [name, e] of Object.entries(spec)) {
      expect(got[name].dtype, name).toBe(e.dtype);
      expect(got[name].shape, name).toEqual(e.shape);
      if (e.words !== undefined) expect(words(got[name]), name).toEqual(e.words);
      else expect(Array.from(got[name].toArray()), name).toEqual(e.values);
    }
  });

  it("save writes the same bytes Python wrote", async () => {
    const got = tg.loadSync(FILE);
    const out = path.join(dir, "again.safetensors");
    await tg.save(got, out);
    expect(fs.readFileSync(out).equals(fs.readFileSync(FILE))).toBe(true);
    // Strided 16-bit views are saved by their values too.
    const t = tg.loadSync(FILE).bf16_matrix.t();
    tg.saveSync({ t }, out);
    expect(words(tg.loadSync(out).t)).toEqual(words(t.contiguous()));
  });

  it("{ dtype: 'float32' } upcasts the floating tensors on load, exactly", () => {
    const got = tg.loadSync(FILE, { dtype: "float32" });
    for (const [name, e] of Object.entries(spec)) {
      expect(got[name].dtype, name).toBe("float32");
      const want = e.words !== undefined ? e.words.map(e.dtype === "bfloat16" ? numberFromBf16 : numberFromF16) : e.values!;
      const have = Array.from(got[name].toArray());
      for (let i = 0; i < want.length; i++) expect(Object.is(have[i], want[i]) || (Number.isNaN(have[i]) && Number.isNaN(want[i])), `${name}[${i}]`).toBe(true);
    }
    expect(() => tg.loadSync(FILE, { dtype: "int32" })).toThrow("loadSync(): dtype must be a floating point dtype, but got int32");
  });
});
