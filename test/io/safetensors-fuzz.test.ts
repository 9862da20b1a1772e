/**
 * Seeded fuzzing of decodeSafetensors: every mutated file must either decode to consistent tensors or
 * throw an Error whose message starts with "safetensors:" — never another kind of throw, never a hang,
 * never storage out of proportion to the input.
 */
import { describe, expect, it } from "vitest";
import type { DType } from "../../ts/backend/types";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "../../ts/io/safetensors-codec";

/** mulberry32: small, fast, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];

function randomFile(rng: Rng): Uint8Array {
  const tensors: Record<string, RawTensor> = {};
  const count = int(rng, 5);
  for (let i = 0; i < count; i++) {
    const dtype = pick(rng, DTYPES);
    const shape = Array.from({ length: int(rng, 4) }, () => int(rng, 4));
    const numel = shape.reduce((a, b) => a * b, 1);
    const data =
      dtype === "float32" ? new Float32Array(numel) : dtype === "float64" ? new Float64Array(numel) : dtype === "int32" ? new Int32Array(numel) : new Uint8Array(numel);
    for (let j = 0; j < numel; j++) data[j] = dtype === "bool" ? int(rng, 2) : (rng() - 0.5) * 100;
    tensors[pick(rng, ["w", "b", "layer.0.weight", "ü", "x" + i])] = { dtype, shape, data };
  }
  return encodeSafetensors(tensors, rng() < 0.5 ? { format: "pt" } : undefined);
}

function headerText(bytes: Uint8Array): string {
  if (bytes.length < 8) return "";
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

function withHeader(bytes: Uint8Array, header: string, headerLength?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  if (bytes.length < 8) return bytes;
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const data = bytes.subarray(8 + n);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const HOSTILE_NUMBERS = ["0", "1", "-1", "3", "4294967296", "9007199254740993", "1e308", "1.5", "-0", "18446744073709551615", "\"4\"", "null", "[]"];

const mutations: ReadonlyArray<(b: Uint8Array, rng: Rng) => Uint8Array> = [
  // truncation
  (b, rng) => b.subarray(0, int(rng, b.length)),
  // bit flips anywhere
  (b, rng) => {
    const c = b.slice();
    for (let k = 1 + int(rng, 4); k > 0 && c.length > 0; k--) c[int(rng, c.length)] ^= 1 << int(rng, 8);
    return c;
  },
  // bit flips in the header length
  (b, rng) => {
    if (b.length < 8) return b;
    const c = b.slice();
    c[int(rng, 8)] ^= 1 << int(rng, 8);
    return c;
  },
  // a lying header length
  (b, rng) => {
    if (b.length < 8) return b;
    const c = b.slice();
    const dv = new DataView(c.buffer);
    const choices = [0n, 1n, BigInt(int(rng, c.length + 16)), 2n ** 64n - 1n, 100_000_001n, 2n ** 53n + 1n];
    dv.setBigUint64(0, pick(rng, choices), true);
    return c;
  },
  // numbers in the header replaced by hostile ones (offsets, shapes)
  (b, rng) => {
    const h = headerText(b);
    const nums = [...h.matchAll(/-?\d+/g)];
    if (nums.length === 0) return b;
    const m = pick(rng, nums);
    const idx = m.index ?? 0;
    return withHeader(b, h.slice(0, idx) + pick(rng, HOSTILE_NUMBERS) + h.slice(idx + m[0].length));
  },
  // huge shapes
  (b, rng) => withHeader(b, headerText(b).replace(/"shape":\[[^\]]*\]/, `"shape":[${pick(rng, ["4294967296,4294967296", "9007199254740991,2", "1e20", "65536,65536,65536", "0,9007199254740991"])}]`)),
  // garbage inserted into or cut out of the JSON
  (b, rng) => {
    const h = headerText(b);
    const at = int(rng, h.length + 1);
    if (rng() < 0.5) return withHeader(b, h.slice(0, at) + h.slice(at + 1 + int(rng, 8)));
    return withHeader(b, h.slice(0, at) + pick(rng, ["{", "}", "[", "]", ",", ":", '"', "\\", "\\u", "\u0000", "\\ud83d", "\uffff", "\"x\":1", "null", "{}"]) + h.slice(at));
  },
  // dtype swaps
  (b, rng) => {
    const names = ["F32", "F64", "I32", "BOOL", "I64", "F16", "BF16", "U8", "I8", "I16", "U16", "U32", "U64", "F8_E4M3", "XX", ""];
    return withHeader(b, headerText(b).replace(/"dtype":"[^"]*"/, `"dtype":"${pick(rng, names)}"`));
  },
  // pure garbage headers
  (b, rng) => {
    const len = int(rng, 40);
    const alphabet = '{}[],:"0123456789-.eE \\utrfnl_a';
    let s = "";
    for (let i = 0; i < len; i++) s += alphabet[int(rng, alphabet.length)];
    return withHeader(b, s);
  },
  // a duplicated tensor entry
  (b) => {
    const h = headerText(b).trimEnd();
    const m = /("[^"]+":\{"dtype"[^}]*\})/.exec(h);
    return m ? withHeader(b, h.slice(0, -1) + "," + m[1] + "}") : b;
  },
];

function checkValid(bytes: Uint8Array, out: ReturnType<typeof decodeSafetensors>): void {
  let stored = 0;
  for (const t of Object.values(out.tensors)) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    expect(t.data.length).toBe(numel);
    stored += t.data.byteLength;
  }
  // Conversions widen at most 4× (U8/I8 → int32, F16 → float32).
  expect(stored).toBeLessThanOrEqual(4 * bytes.length);
  for (const v of Object.values(out.metadata)) expect(typeof v).toBe("string");
}

describe("decodeSafetensors under fuzzing", () => {
  it("decodes every valid random file back to itself", () => {
    const rng = prng(1);
    for (let i = 0; i < 300; i++) {
      const bytes = randomFile(rng);
      const out = decodeSafetensors(bytes);
      checkValid(bytes, out);
      expect(Buffer.from(encodeSafetensors(out.tensors, Object.keys(out.metadata).length ? out.metadata : undefined)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it("survives thousands of hostile mutations: valid result or a safetensors Error", () => {
    const rng = prng(20261122);
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      let bytes = randomFile(rng);
      for (let k = 1 + int(rng, 2); k > 0; k--) bytes = pick(rng, mutations)(bytes, rng);
      let out: ReturnType<typeof decodeSafetensors> | undefined;
      try {
        out = decodeSafetensors(bytes);
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith("safetensors: ")) {
          throw new Error(`case ${i}: unexpected throw ${String(e)} for ${Buffer.from(bytes).toString("hex")}`);
        }
        refused++;
        continue;
      }
      checkValid(bytes, out);
      decoded++;
    }
    // Both outcomes must actually be exercised.
    expect(refused).toBeGreaterThan(1000);
    expect(decoded).toBeGreaterThan(100);
  });
});
