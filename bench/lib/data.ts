// Shared inputs: generated once by the runner (seeded), written as raw little-endian float32 files,
// read by every system (JS here, Python with numpy.fromfile) so all start from the same numbers.
import * as fs from "node:fs";
import * as path from "node:path";
import { mulberry32, randnArray, uniformArray } from "./rng";
import type { Plan } from "./plan";

export interface Array32 { data: Float32Array; shape: number[] }
type Manifest = Record<string, number[]>;

const W2_JSON = path.join(__dirname, "..", "data", "w2_reference.json");

interface W2Reference { inputs: number[]; targets: number[]; W1: number[]; b1: number[]; W2: number[]; b2: number[] }

/** PyTorch's default Linear init range, U(-1/sqrt(in), 1/sqrt(in)), weights stored [out, in] as torch does. */
function linearInit(rand: () => number, out: Record<string, Array32>, name: string, fanIn: number, fanOut: number): void {
  const k = 1 / Math.sqrt(fanIn);
  out[`${name}_W`] = { data: uniformArray(rand, fanOut * fanIn, -k, k), shape: [fanOut, fanIn] };
  out[`${name}_b`] = { data: uniformArray(rand, fanOut, -k, k), shape: [fanOut] };
}

export function generate(plan: Plan, seed = 1234): Record<string, Array32> {
  const rand = mulberry32(seed);
  const a: Record<string, Array32> = {};
  // W1: 12 samples of 2 features; targets from a fixed logistic rule, so the neuron can fit them.
  const x1 = randnArray(rand, 24);
  const y1 = new Float32Array(12);
  for (let i = 0; i < 12; i++) y1[i] = 1 / (1 + Math.exp(-(0.8 * x1[2 * i]! - 0.5 * x1[2 * i + 1]! - 0.7)));
  a.w1_X = { data: x1, shape: [12, 2] };
  a.w1_y = { data: y1, shape: [12] };
  // W2: the tutorial's data and PyTorch's initial weights.
  const ref = JSON.parse(fs.readFileSync(W2_JSON, "utf8")) as W2Reference;
  a.w2_x = { data: Float32Array.from(ref.inputs), shape: [32, 1] };
  a.w2_y = { data: Float32Array.from(ref.targets), shape: [32, 1] };
  a.w2_l1_W = { data: Float32Array.from(ref.W1), shape: [512, 1] };
  a.w2_l1_b = { data: Float32Array.from(ref.b1), shape: [512] };
  a.w2_l2_W = { data: Float32Array.from(ref.W2), shape: [1, 512] };
  a.w2_l2_b = { data: Float32Array.from(ref.b2), shape: [1] };
  // W3/W4: the classic two-layer tutorial sizes.
  a.w3_x = { data: randnArray(rand, 64 * 1000), shape: [64, 1000] };
  a.w3_y = { data: randnArray(rand, 64 * 10), shape: [64, 10] };
  a.w3_w1 = { data: randnArray(rand, 1000 * 100), shape: [1000, 100] };
  a.w3_w2 = { data: randnArray(rand, 100 * 10), shape: [100, 10] };
  linearInit(rand, a, "w4_l1", 1000, 100);
  linearInit(rand, a, "w4_l2", 100, 10);
  // W5: a few MNIST-shaped random batches, cycled; labels are class indices stored as floats.
  const n5 = plan.w5.batch * plan.w5.batches;
  a.w5_x = { data: uniformArray(rand, n5 * 784, 0, 1), shape: [n5, 784] };
  const lab = new Float32Array(n5);
  for (let i = 0; i < n5; i++) lab[i] = Math.floor(rand() * 10);
  a.w5_y = { data: lab, shape: [n5] };
  linearInit(rand, a, "w5_l1", 784, 512);
  linearInit(rand, a, "w5_l2", 512, 512);
  linearInit(rand, a, "w5_l3", 512, 10);
  // W9: MNIST-shaped image batches (1×28×28), cycled; LeNet-5 weights in PyTorch's default init range.
  const n9 = plan.w9.batch * plan.w9.batches;
  a.w9_x = { data: uniformArray(rand, n9 * 784, 0, 1), shape: [n9, 1, 28, 28] };
  const lab9 = new Float32Array(n9);
  for (let i = 0; i < n9; i++) lab9[i] = Math.floor(rand() * 10);
  a.w9_y = { data: lab9, shape: [n9] };
  convInit(rand, a, "w9_c1", 1, 6, 5);
  convInit(rand, a, "w9_c2", 6, 16, 5);
  linearInit(rand, a, "w9_l1", 400, 120);
  linearInit(rand, a, "w9_l2", 120, 84);
  linearInit(rand, a, "w9_l3", 84, 10);
  // W10: random tokens, [batches, batch, context + 1] (inputs are the first context, targets shifted by one).
  const p10 = plan.w10, n10 = p10.batches * p10.batch * (p10.context + 1);
  a.w10_tokens = { data: Float32Array.from({ length: n10 }, () => Math.floor(rand() * p10.vocab)), shape: [p10.batches, p10.batch, p10.context + 1] };
  // W11: random sequences and class labels.
  const p11 = plan.w11, n11 = p11.batches * p11.batch;
  a.w11_x = { data: randnArray(rand, n11 * p11.seq * p11.input), shape: [n11, p11.seq, p11.input] };
  a.w11_y = { data: Float32Array.from({ length: n11 }, () => Math.floor(rand() * p11.classes)), shape: [n11] };
  return a;
}

/** PyTorch's default Conv2d init range (kaiming uniform, a = √5): U(-1/√fanIn, 1/√fanIn), weights [out, in, k, k]. */
function convInit(rand: () => number, out: Record<string, Array32>, name: string, cin: number, cout: number, k: number): void {
  const b = 1 / Math.sqrt(cin * k * k);
  out[`${name}_W`] = { data: uniformArray(rand, cout * cin * k * k, -b, b), shape: [cout, cin, k, k] };
  out[`${name}_b`] = { data: uniformArray(rand, cout, -b, b), shape: [cout] };
}

export function writeDataDir(dir: string, plan: Plan, arrays: Record<string, Array32>): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {};
  for (const [name, arr] of Object.entries(arrays)) {
    manifest[name] = arr.shape;
    fs.writeFileSync(path.join(dir, `${name}.f32`), Buffer.from(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength));
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
}

/** Reader used by the JS children. */
export class DataDir {
  private readonly manifest: Manifest;
  readonly plan: Plan;
  constructor(private readonly dir: string) {
    this.manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    this.plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as Plan;
  }
  get(name: string): Array32 {
    const shape = this.manifest[name];
    if (!shape) throw new Error(`bench data has no array '${name}'`);
    const buf = fs.readFileSync(path.join(this.dir, `${name}.f32`));
    // Copy into a fresh, aligned buffer (Buffer slices may share a pool at odd offsets).
    const data = new Float32Array(buf.byteLength / 4);
    new Uint8Array(data.buffer).set(buf);
    return { data, shape: [...shape] };
  }
}

/** Nested JS arrays (js-pytorch's storage) from a flat array. */
export function toNested(a: Array32): number[] | number[][] {
  const flat = Array.from(a.data);
  if (a.shape.length === 1) return flat;
  if (a.shape.length !== 2) throw new Error("toNested: 1-D or 2-D only");
  const [r, c] = a.shape as [number, number];
  const out: number[][] = [];
  for (let i = 0; i < r; i++) out.push(flat.slice(i * c, (i + 1) * c));
  return out;
}

/** Transpose of a 2-D array (torch stores Linear weights [out, in]; some peers want [in, out]). */
export function transpose2d(a: Array32): Array32 {
  const [r, c] = a.shape as [number, number];
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a.data[i * c + j]!;
  return { data: out, shape: [c, r] };
}
