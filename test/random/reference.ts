/** Loads test/reference/random.json (written by test/reference/gen_random.py) and decodes it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Encoded {
  n: number;
  values?: string[];
  head?: string[];
  tail?: string[];
  bitsum?: number;
}

export const ref = JSON.parse(readFileSync(join(__dirname, "../reference/random.json"), "utf8"));

/** A float from its IEEE hex: 8 digits for float32, 16 for float64. */
export function fromHex(h: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  if (h.length === 8) {
    dv.setUint32(0, parseInt(h, 16));
    return dv.getFloat32(0);
  }
  dv.setUint32(0, parseInt(h.slice(0, 8), 16));
  dv.setUint32(4, parseInt(h.slice(8), 16));
  return dv.getFloat64(0);
}

/** Sum of the 32-bit words of the values, mod 2^32 (matches gen_random.py's `bitsum`). */
export function bitsum(a: Float32Array | Float64Array): number {
  const w = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  let s = 0;
  for (let i = 0; i < w.length; i++) s = (s + w[i]) % 4294967296;
  return s;
}

export interface Comparison {
  compared: number;
  exact: number;
  maxUlp: number;
  bitsumOk: boolean | null;
}

function ulpDistance(a: number, b: number, f32: boolean): number {
  if (Object.is(a, b)) return 0;
  const dv = new DataView(new ArrayBuffer(8));
  if (f32) {
    dv.setFloat32(0, a);
    const x = dv.getInt32(0);
    dv.setFloat32(0, b);
    return Math.abs(x - dv.getInt32(0));
  }
  dv.setFloat64(0, a);
  const x = dv.getBigInt64(0);
  dv.setFloat64(0, b);
  const d = x - dv.getBigInt64(0);
  return Number(d < 0n ? -d : d);
}

/** Compares computed values with an encoded reference, value by value and by bitsum. */
export function compare(got: Float32Array | Float64Array, want: Encoded): Comparison {
  const f32 = got instanceof Float32Array;
  if (got.length !== want.n) throw new Error(`length ${got.length} != ${want.n}`);
  const pairs: [number, number][] = [];
  if (want.values) want.values.forEach((h, i) => pairs.push([got[i], fromHex(h)]));
  else {
    want.head!.forEach((h, i) => pairs.push([got[i], fromHex(h)]));
    const off = want.n - want.tail!.length;
    want.tail!.forEach((h, i) => pairs.push([got[off + i], fromHex(h)]));
  }
  let exact = 0;
  let maxUlp = 0;
  for (const [g, w] of pairs) {
    const d = ulpDistance(g, w, f32);
    if (d === 0) exact++;
    maxUlp = Math.max(maxUlp, d);
  }
  return {
    compared: pairs.length,
    exact,
    maxUlp,
    bitsumOk: want.bitsum === undefined ? null : bitsum(got) === want.bitsum,
  };
}
