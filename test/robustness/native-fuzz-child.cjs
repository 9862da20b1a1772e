// One batch of seeded random calls into the raw native addon, run in its own process by native-fuzz.test.ts
// so that a crash shows up as a signal/exit code instead of killing the test runner.
//
//   node test/robustness/native-fuzz-child.cjs <packageRoot> <seed> <calls> [--verbose] [--threads N]
//
// Each call starts from a valid argument list for one entry point (checked against a JS reference when
// the entry point's result is easy to predict), then usually applies one mutation. Mutations marked
// `mustThrow` are misuse the addon has to reject with a JS Error ("tensorgrad native <fn>: ..."); the rest
// (and "wild" calls of random garbage) only have to not crash and to throw Errors if they throw.
// Every 25 calls, and at the end, a fixed valid call must still give the right answer.
// --verbose writes each call's description to stderr before making it (to find the one that crashed).
// Prints one JSON line: { seed, calls, threw, passed, failures: [...] }.
"use strict";
const path = require("node:path");

const { isMainThread, workerData, Worker, parentPort } = require("node:worker_threads");
const cli = isMainThread ? process.argv.slice(2) : workerData.argv;
const [rootArg, seedArg, callsArg] = cli;
const root = path.resolve(rootArg);
const verbose = cli.includes("--verbose");
// --threads N: N−1 worker_threads fuzz the same addon (their own instances, the one thread pool) at the same
// time as this thread, with seeds seed + 7919·k.
const nThreads = cli.includes("--threads") ? Number(cli[cli.indexOf("--threads") + 1]) : 1;
const seed = Number(seedArg) >>> 0;
const nCalls = Number(callsArg);

const req = require("node:module").createRequire(path.join(root, "package.json"));
const addon = process.env.TENSORGRAD_NATIVE_PATH
  ? req(path.resolve(process.env.TENSORGRAD_NATIVE_PATH))
  : req("node-gyp-build")(root);

// ---------------------------------------------------------------- random
let s = seed || 1;
function rnd() {
  // mulberry32
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;

const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array };
function kindOf(a) {
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Float64Array) return "f64";
  if (a instanceof Int32Array) return "i32";
  if (a instanceof Uint8Array) return "u8";
  return "other";
}
/** A typed array of `kind` and length n: plain, a subarray of a bigger buffer, or SharedArrayBuffer-backed. */
function mkArr(kind, n, { plain = false, values = "normal" } = {}) {
  const C = KINDS[kind];
  let a;
  const how = plain ? 0 : ri(0, 3);
  if (how === 1) {
    const pad = ri(1, 5);
    a = new C(n + pad + ri(0, 3)).subarray(pad, pad + n);
  } else if (how === 2 && typeof SharedArrayBuffer === "function") {
    a = new C(new SharedArrayBuffer(Math.max(n, 1) * C.BYTES_PER_ELEMENT), 0, n);
  } else a = new C(n);
  for (let i = 0; i < n; i++) {
    if (kind === "u8") a[i] = ri(0, 1);
    else if (kind === "i32") a[i] = ri(-5, 5);
    else if (values === "positive") a[i] = 0.1 + rnd() * 3;
    else a[i] = chance(0.02) ? pick([NaN, Infinity, -Infinity, 0, -0]) : (rnd() - 0.5) * 8;
  }
  return a;
}
const f32 = Math.fround;
const round = (kind) => (kind === "f32" ? f32 : (x) => x);

// ---------------------------------------------------------------- views
function contiguousStrides(dims) {
  const st = new Array(dims.length);
  let acc = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    st[d] = acc;
    acc *= dims[d];
  }
  return st;
}
const numelOf = (dims) => dims.reduce((a, b) => a * b, 1);
/** Elements a view needs in its buffer: offset + highest index + 1 (offset alone when empty). */
function needed(dims, strides, off) {
  if (numelOf(dims) === 0) return off;
  let hi = off;
  for (let d = 0; d < dims.length; d++) hi += (dims[d] - 1) * Math.max(strides[d], 0);
  return hi + 1;
}
/** Random small shape; `minDim` 1 keeps it non-empty. */
function randShape(maxNdim = 3, minDim = 0) {
  const ndim = ri(0, maxNdim);
  const dims = [];
  for (let d = 0; d < ndim; d++) dims.push(chance(0.1) ? ri(minDim, 40) : ri(minDim, 4));
  return dims;
}
/** An operand over `dims`: offset, strides (contiguous, sometimes broadcast with stride 0), buffer. */
function operandFor(dims, kind, { broadcast = false } = {}) {
  const off = ri(0, 3);
  const strides = contiguousStrides(dims).map((st, d) => (broadcast && dims[d] > 1 && chance(0.3) ? 0 : st));
  const len = needed(dims, strides, off) + ri(0, 2);
  return { off, strides, kind, arr: mkArr(kind, len) };
}
function indexOf(flat, dims, strides, off) {
  let pos = off;
  for (let d = dims.length - 1; d >= 0; d--) {
    const i = flat % dims[d];
    flat = (flat - i) / dims[d];
    pos += i * strides[d];
  }
  return pos;
}

// ---------------------------------------------------------------- templates
// A template: { fn, args, required, arrays: [{ i, kind, need, loose?, nullable?, exact? }],
//               ints: [{ meta: true, j, lo, hi, role?, oob? } | { i, lo, hi }], bools: [i], numbers: [i],
//               metaIndex, check?: () => string | null, numelPositive }
// The op table's sizes, as the addon was compiled from it (ts/backend/op-table.ts).
const { unary: UNARY_COUNT, binary: BINARY_COUNT, reduce: REDUCE_COUNT } = addon.opCounts();
const MAX_SAFE = 2 ** 53 - 1;

function metaShapeSlots(ints, dims, start) {
  ints.push({ meta: true, j: start, lo: 0, hi: 8, role: "ndim" });
  for (let d = 0; d < dims.length; d++) ints.push({ meta: true, j: start + 1 + d, lo: 0, hi: MAX_SAFE, role: "dim" });
}
/** dtype codes of ts/backend/dtype-codes.ts by array kind. */
const DTYPE_CODE = { f32: 0, f64: 1, i32: 2, u8: 3 };
/** Pushes an operand's [dtype code, offset, strides...] to meta and its slots to ints; returns the next meta index. */
function pushView(meta, ints, dims, op, argIndex) {
  const j0 = meta.length;
  meta.push(DTYPE_CODE[op.kind], op.off, ...op.strides);
  const nonEmpty = numelOf(dims) > 0;
  ints.push({ meta: true, j: j0 + 1, lo: 0, hi: MAX_SAFE, role: "offset", arg: argIndex, always: true });
  dims.forEach((n, d) => {
    ints.push({ meta: true, j: j0 + 2 + d, lo: -MAX_SAFE, hi: MAX_SAFE, role: "stride", arg: argIndex, oob: nonEmpty && n > 1 });
  });
}

function tUnary() {
  const kind = pick(["f32", "f64"]);
  const dims = randShape();
  const op = ri(0, UNARY_COUNT - 1);
  const x = operandFor(dims, kind, { broadcast: true });
  const outKind = op === 0 && chance(0.3) ? (kind === "f32" ? "f64" : "f32") : kind;
  const out = operandFor(dims, outKind);
  const meta = [dims.length, ...dims];
  const ints = [{ i: 0, lo: 0, hi: UNARY_COUNT - 1 }];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, x, 1);
  pushView(meta, ints, dims, out, 2);
  const p0 = pick([0, 1, -1, 0.5, 2, NaN]);
  const p1 = pick([0, 1, 3, Infinity]);
  const args = [op, x.arr, out.arr, new Float64Array(meta), p0, p1];
  const check = () => {
    if (op !== 0 && op !== 1 && op !== 2) return null;
    const n = numelOf(dims);
    const r = round(outKind);
    for (let i = 0; i < n; i++) {
      const v = x.arr[indexOf(i, dims, x.strides, x.off)];
      const want = r(op === 0 ? v : op === 1 ? -v : Math.abs(v));
      const got = out.arr[indexOf(i, dims, out.strides, out.off)];
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) return `element ${i}: got ${got}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "unary", args, required: 4, metaIndex: 3, ints, numbers: [4, 5], bools: [],
    arrays: [
      { i: 1, kind, need: needed(dims, x.strides, x.off), altFloatOk: op === 0 },
      { i: 2, kind: outKind, need: needed(dims, out.strides, out.off), altFloatOk: op === 0 },
    ],
    check, desc: `unary op=${op} ${kind}->${outKind} dims=[${dims}]`,
  };
}

function tBinary() {
  const kind = pick(["f32", "f64"]);
  const dims = randShape();
  const op = ri(0, BINARY_COUNT - 1);
  const cmp = op >= 7 && op <= 12;
  const a = operandFor(dims, kind, { broadcast: true });
  const b = operandFor(dims, kind, { broadcast: true });
  const outKind = cmp ? "u8" : kind;
  const out = operandFor(dims, outKind);
  const meta = [dims.length, ...dims];
  const ints = [{ i: 0, lo: 0, hi: BINARY_COUNT - 1 }];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, a, 1);
  pushView(meta, ints, dims, b, 2);
  pushView(meta, ints, dims, out, 3);
  const args = [op, a.arr, b.arr, out.arr, new Float64Array(meta), pick([0, 0.1, 1])];
  const check = () => {
    const f = { 0: (x, y) => x + y, 2: (x, y) => x * y, 9: (x, y) => (x > y ? 1 : 0), 7: (x, y) => (x === y ? 1 : 0) }[op];
    if (!f) return null;
    const r = round(outKind);
    for (let i = 0; i < numelOf(dims); i++) {
      const want = r(f(a.arr[indexOf(i, dims, a.strides, a.off)], b.arr[indexOf(i, dims, b.strides, b.off)]));
      const got = out.arr[indexOf(i, dims, out.strides, out.off)];
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) return `element ${i}: got ${got}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "binary", args, required: 5, metaIndex: 4, ints, numbers: [5], bools: [],
    arrays: [
      { i: 1, kind, need: needed(dims, a.strides, a.off) },
      { i: 2, kind, need: needed(dims, b.strides, b.off) },
      { i: 3, kind: outKind, need: needed(dims, out.strides, out.off) },
    ],
    check, desc: `binary op=${op} ${kind} dims=[${dims}]`,
  };
}

function tWhere() {
  const kind = pick(["f32", "f64"]);
  const dims = randShape();
  const c = operandFor(dims, "u8", { broadcast: true });
  const a = operandFor(dims, kind, { broadcast: true });
  const b = operandFor(dims, kind, { broadcast: true });
  const out = operandFor(dims, kind);
  const meta = [dims.length, ...dims];
  const ints = [];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, c, 0);
  pushView(meta, ints, dims, a, 1);
  pushView(meta, ints, dims, b, 2);
  pushView(meta, ints, dims, out, 3);
  const args = [c.arr, a.arr, b.arr, out.arr, new Float64Array(meta)];
  const check = () => {
    for (let i = 0; i < numelOf(dims); i++) {
      const want = c.arr[indexOf(i, dims, c.strides, c.off)] ? a.arr[indexOf(i, dims, a.strides, a.off)] : b.arr[indexOf(i, dims, b.strides, b.off)];
      const got = out.arr[indexOf(i, dims, out.strides, out.off)];
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) return `element ${i}: got ${got}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "where", args, required: 5, metaIndex: 4, ints, numbers: [], bools: [],
    arrays: [
      { i: 0, kind: "u8", need: needed(dims, c.strides, c.off) },
      { i: 1, kind, need: needed(dims, a.strides, a.off) },
      { i: 2, kind, need: needed(dims, b.strides, b.off) },
      { i: 3, kind, need: needed(dims, out.strides, out.off) },
    ],
    check, desc: `where ${kind} dims=[${dims}]`,
  };
}

function tFill() {
  const kind = pick(["f32", "f64"]);
  const dims = randShape();
  const out = operandFor(dims, kind);
  const meta = [dims.length, ...dims];
  const ints = [];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, out, 0);
  const value = pick([0, 1.5, -2, NaN, Infinity, 1e-40]);
  const args = [out.arr, new Float64Array(meta), value];
  const check = () => {
    const want = round(kind)(value);
    for (let i = 0; i < numelOf(dims); i++) {
      const got = out.arr[indexOf(i, dims, out.strides, out.off)];
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) return `element ${i}: got ${got}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "fill", args, required: 3, metaIndex: 1, ints, numbers: [2], bools: [],
    arrays: [{ i: 0, kind, need: needed(dims, out.strides, out.off), altFloatOk: true }],
    check, desc: `fill ${kind} dims=[${dims}] value=${value}`,
  };
}

function tReduce() {
  const kind = pick(["f32", "f64"]);
  const op = ri(0, REDUCE_COUNT - 1);
  const dims = randShape(3, op >= 2 ? 1 : 0);
  const x = operandFor(dims, kind, { broadcast: true });
  const nr = ri(0, dims.length);
  const nOut = numelOf(dims.slice(0, dims.length - nr));
  const out = mkArr(kind, nOut + ri(0, 2));
  const meta = [dims.length, ...dims];
  const ints = [{ i: 0, lo: 0, hi: REDUCE_COUNT - 1 }, { i: 3, lo: 0, hi: dims.length }];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, x, 1);
  const args = [op, x.arr, new Float64Array(meta), nr, out];
  const check = () => {
    if (op !== 0 && op !== 2) return null;
    const inner = numelOf(dims.slice(dims.length - nr));
    for (let o = 0; o < nOut; o++) {
      let acc = op === 0 ? 0 : -Infinity;
      let nan = false;
      for (let k = 0; k < inner; k++) {
        const v = x.arr[indexOf(o * inner + k, dims, x.strides, x.off)];
        if (Number.isNaN(v)) nan = true;
        acc = op === 0 ? acc + v : Math.max(acc, v);
      }
      const got = out[o];
      if (nan || Number.isNaN(acc)) {
        if (!Number.isNaN(got)) return `output ${o}: got ${got}, want NaN`;
      } else if (!(Object.is(got, acc) || Math.abs(got - acc) <= 1e-4 * (1 + Math.abs(acc)))) return `output ${o}: got ${got}, want ${acc}`;
    }
    return null;
  };
  return {
    fn: "reduce", args, required: 5, metaIndex: 2, ints, numbers: [], bools: [],
    arrays: [{ i: 1, kind, need: needed(dims, x.strides, x.off) }, { i: 4, kind, need: nOut }],
    check, desc: `reduce op=${op} ${kind} dims=[${dims}] nReduced=${nr}`,
  };
}

function tArgReduce() {
  const kind = pick(["f32", "f64"]);
  const dims = randShape(3, 1);
  if (dims.length === 0) dims.push(ri(1, 5));
  const x = operandFor(dims, kind, { broadcast: true });
  const nOut = numelOf(dims) / dims[dims.length - 1];
  const idx = mkArr("i32", nOut + ri(0, 2));
  const withValues = chance(0.6);
  const vals = withValues ? mkArr(kind, nOut + ri(0, 2)) : null;
  const meta = [dims.length, ...dims];
  const ints = [];
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, x, 1);
  const isMax = chance(0.5);
  const args = [isMax, x.arr, new Float64Array(meta), idx, vals];
  const arrays = [{ i: 1, kind, need: needed(dims, x.strides, x.off), altFloatOk: !withValues }, { i: 3, kind: "i32", need: nOut }];
  if (withValues) arrays.push({ i: 4, kind, need: nOut, nullable: true });
  const last = dims[dims.length - 1];
  const check = () => {
    for (let o = 0; o < nOut; o++) {
      const k = idx[o];
      if (!(k >= 0 && k < last)) return `index ${o} = ${k} is outside [0, ${last})`;
    }
    return null;
  };
  return {
    fn: "argReduce", args, required: 5, metaIndex: 2, ints, numbers: [], bools: [0], arrays,
    check, desc: `argReduce ${kind} dims=[${dims}]`,
  };
}

function tSoftmax() {
  const kind = pick(["f32", "f64"]);
  const outer = ri(0, 3);
  const dim = ri(0, 6);
  const inner = ri(0, 3);
  const n = outer * dim * inner;
  const off = ri(0, 3);
  const x = mkArr(kind, off + n + ri(0, 2));
  const out = mkArr(kind, n + ri(0, 2));
  const log = chance(0.5);
  const args = [x, off, outer, dim, inner, log, out];
  const check = () => {
    if (log) return null;
    for (let o = 0; o < outer; o++)
      for (let k = 0; k < inner; k++) {
        let sum = 0;
        let finite = true;
        for (let d = 0; d < dim; d++) {
          const xi = x[off + (o * dim + d) * inner + k];
          if (!Number.isFinite(xi)) finite = false;
          sum += out[(o * dim + d) * inner + k];
        }
        if (finite && dim > 0 && Math.abs(sum - 1) > 1e-4) return `row (${o}, ${k}) sums to ${sum}`;
      }
    return null;
  };
  return {
    fn: "softmax", args, required: 7, metaIndex: -1, numbers: [], bools: [5],
    ints: [
      { i: 1, lo: 0, hi: 2 ** 53, role: "xOffset" },
      { i: 2, lo: 0, hi: 2 ** 53 },
      { i: 3, lo: 0, hi: 2 ** 53 },
      { i: 4, lo: 0, hi: 2 ** 53 },
    ],
    arrays: [{ i: 0, kind, need: off + n }, { i: 6, kind, need: n }],
    check, desc: `softmax ${kind} ${outer}x${dim}x${inner} off=${off}`,
  };
}

function tGemm() {
  const kind = pick(["f32", "f64"]);
  const big = chance(0.1);
  const M = big ? ri(20, 70) : ri(0, 5);
  const N = big ? ri(20, 70) : ri(0, 5);
  const K = big ? ri(20, 70) : ri(0, 5);
  const ta = ri(0, 1);
  const tb = ri(0, 1);
  const batch = ri(0, 3);
  const mat = (rows, cols, addressed) => {
    const off = ri(0, 3);
    const ld = Math.max(cols, 1) + ri(0, 2);
    const stride = rows * ld + ri(0, 3);
    const need = addressed && rows > 0 && cols > 0 && batch > 0 ? off + (batch - 1) * stride + (rows - 1) * ld + cols : 0;
    return { off, ld, stride, rows, cols, need, addressed: need > 0 };
  };
  const kb = M > 0 && N > 0;
  const A = mat(ta ? K : M, ta ? M : K, kb);
  const B = mat(tb ? N : K, tb ? K : N, kb);
  const C = mat(M, N, true);
  const a = mkArr(kind, A.need + ri(0, 2));
  const b = mkArr(kind, B.need + ri(0, 2));
  const c = mkArr(kind, C.need + ri(0, 2));
  const alpha = pick([1, 0.5, -2]);
  const beta = pick([0, 1, 0.25]);
  const meta = [ta, tb, M, N, K, alpha, beta, A.off, A.ld, B.off, B.ld, C.off, C.ld, batch, A.stride, B.stride, C.stride];
  const c0 = c.slice();
  const ints = [
    { meta: true, j: 0, lo: 0, hi: 1 }, { meta: true, j: 1, lo: 0, hi: 1 },
    { meta: true, j: 2, lo: 0, hi: 2 ** 53 }, { meta: true, j: 3, lo: 0, hi: 2 ** 53 }, { meta: true, j: 4, lo: 0, hi: 2 ** 53 },
    { meta: true, j: 7, lo: 0, hi: 2 ** 53, role: "offset", arg: 0, gemm: A },
    { meta: true, j: 8, lo: 1, hi: 2 ** 53, role: "ld", gemm: A },
    { meta: true, j: 9, lo: 0, hi: 2 ** 53, role: "offset", arg: 1, gemm: B },
    { meta: true, j: 10, lo: 1, hi: 2 ** 53, role: "ld", gemm: B },
    { meta: true, j: 11, lo: 0, hi: 2 ** 53, role: "offset", arg: 2, gemm: C },
    { meta: true, j: 12, lo: 1, hi: 2 ** 53, role: "ld", gemm: C },
    { meta: true, j: 13, lo: 0, hi: 2 ** 53 },
    { meta: true, j: 14, lo: 0, hi: 2 ** 53 }, { meta: true, j: 15, lo: 0, hi: 2 ** 53 }, { meta: true, j: 16, lo: 0, hi: 2 ** 53 },
  ];
  const args = [a, b, c, new Float64Array(meta)];
  const check = () => {
    const at = (arr, m, r, col) => arr[m.off + r * m.ld + col];
    for (let bt = 0; bt < batch; bt++)
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let acc = 0;
          for (let k = 0; k < K; k++) {
            const av = ta ? a[A.off + bt * A.stride + k * A.ld + i] : a[A.off + bt * A.stride + i * A.ld + k];
            const bv = tb ? b[B.off + bt * B.stride + j * B.ld + k] : b[B.off + bt * B.stride + k * B.ld + j];
            acc += av * bv;
          }
          const ci = C.off + bt * C.stride + i * C.ld + j;
          const want = beta === 0 ? alpha * acc : alpha * acc + beta * c0[ci];
          const got = c[ci];
          void at;
          if (Number.isNaN(want)) {
            if (!Number.isNaN(got) && Number.isFinite(want)) return `c[${ci}] = ${got}, want NaN`;
          } else if (Number.isFinite(want) && !(Math.abs(got - want) <= 1e-3 * (1 + Math.abs(want)))) return `c[${ci}] = ${got}, want ${want}`;
        }
    return null;
  };
  return {
    fn: "gemm", args, required: 4, metaIndex: 3, ints, numbers: [], bools: [],
    arrays: [
      { i: 0, kind, need: A.need },
      { i: 1, kind, need: B.need },
      { i: 2, kind, need: C.need },
    ],
    check, desc: `gemm ${kind} ta=${ta} tb=${tb} ${M}x${N}x${K} batch=${batch}`,
  };
}

function tSgd() {
  const kind = pick(["f32", "f64"]);
  const n = chance(0.1) ? ri(100, 3000) : ri(0, 9);
  const momentum = pick([0, 0.9]);
  const p = mkArr(kind, n);
  const g = mkArr(kind, n);
  const withBuf = momentum !== 0 || chance(0.3);
  const buf = withBuf ? mkArr(kind, n) : null;
  const lr = 0.1;
  const meta = [lr, momentum, 0, 0, 0, 0, ri(0, 1)];
  const p0 = p.slice();
  const arrays = [{ i: 0, kind, need: n, exact: true }, { i: 1, kind, need: n, exact: true }];
  if (withBuf) arrays.push({ i: 2, kind, need: n, exact: momentum !== 0, loose: momentum === 0, nullable: true });
  const check = () => {
    if (momentum !== 0) return null;
    for (let i = 0; i < n; i++) {
      const want = round(kind)(p0[i] - lr * g[i]);
      if (!(Object.is(p[i], want) || Math.abs(p[i] - want) <= 1e-6 * (1 + Math.abs(want)) || (Number.isNaN(p[i]) && Number.isNaN(want))))
        return `param ${i}: got ${p[i]}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "sgdStep", args: [p, g, buf, new Float64Array(meta)], required: 4, metaIndex: 3, numbers: [], bools: [],
    ints: [4, 5, 6].map((j) => ({ meta: true, j, lo: 0, hi: 1 })), arrays,
    check, desc: `sgdStep ${kind} n=${n} momentum=${momentum}`,
  };
}

function tAdam() {
  const kind = pick(["f32", "f64"]);
  const n = chance(0.1) ? ri(100, 3000) : ri(0, 9);
  const amsgrad = ri(0, 1);
  const p = mkArr(kind, n);
  const g = mkArr(kind, n);
  const m1 = mkArr(kind, n);
  const m2 = mkArr(kind, n, { values: "positive" });
  const withMx = amsgrad === 1 || chance(0.3);
  const mx = withMx ? mkArr(kind, n, { values: "positive" }) : null;
  const meta = [1e-3, 0.9, 0.999, 1e-8, pick([0, 0.01]), ri(0, 1), amsgrad, ri(0, 1), ri(1, 100)];
  const arrays = [0, 1, 2, 3].map((i) => ({ i, kind, need: n, exact: true }));
  if (withMx) arrays.push({ i: 4, kind, need: n, exact: amsgrad === 1, loose: amsgrad === 0, nullable: true });
  return {
    fn: "adamStep", args: [p, g, m1, m2, mx, new Float64Array(meta)], required: 6, metaIndex: 5, numbers: [], bools: [],
    ints: [5, 6, 7].map((j) => ({ meta: true, j, lo: 0, hi: 1 })), arrays,
    check: null, desc: `adamStep ${kind} n=${n} amsgrad=${amsgrad}`,
  };
}

function tThreads() {
  const n = ri(1, 4);
  return {
    fn: "setNumThreads", args: [n], required: 1, metaIndex: -1, numbers: [], bools: [], arrays: [],
    ints: [{ i: 0, lo: 1, hi: 1024 }],
    // With several threads fuzzing, another one may change the (process-wide) pool size in between.
    check: () => (nThreads > 1 || !isMainThread || addon.getNumThreads() === n ? null : `getNumThreads() = ${addon.getNumThreads()} after setNumThreads(${n})`),
    desc: `setNumThreads(${n})`,
  };
}

// ---------------------------------------------------------------- index kernels
// indexSelect / indexAdd / gather / scatterAdd (native/addon/bind_index.cc), float32, float64 and int32:
// (data, meta, dim, index, data), the dtype code in the view's meta.
/** Row-major multi-index of `flat` in `dims`. */
function multiOf(flat, dims) {
  const m = new Array(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    m[d] = flat % dims[d];
    flat = (flat - m[d]) / dims[d];
  }
  return m;
}
const atMulti = (m, strides, off) => m.reduce((acc, i, d) => acc + i * strides[d], off);
const sameValue = (got, want) => Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
function indexDims() {
  const dims = randShape(3);
  if (dims.length === 0) dims.push(ri(0, 5));
  return dims;
}
function indexValues(n, size) {
  const idx = new Int32Array(n);
  for (let k = 0; k < n; k++) idx[k] = ri(0, size - 1);
  return idx;
}
/** The dim argument's slot (arg 2). */
function indexInts(nd) {
  return [{ i: 2, lo: 0, hi: nd - 1 }];
}

function tIndexSelect() {
  const kind = pick(["f32", "f64", "i32"]);
  const dims = indexDims();
  const dim = ri(0, dims.length - 1);
  const x = operandFor(dims, kind, { broadcast: true });
  const nIdx = dims[dim] === 0 ? 0 : ri(0, 6);
  const idx = indexValues(nIdx, dims[dim]);
  const outDims = dims.map((s, d) => (d === dim ? nIdx : s));
  const nOut = numelOf(outDims);
  const out = mkArr(kind, nOut + ri(0, 2));
  const meta = [dims.length, ...dims];
  const ints = indexInts(dims.length);
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, x, 0);
  const check = () => {
    for (let k = 0; k < nOut; k++) {
      const m = multiOf(k, outDims);
      m[dim] = idx[m[dim]];
      const want = x.arr[atMulti(m, x.strides, x.off)];
      if (!sameValue(out[k], want)) return `element ${k}: got ${out[k]}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "indexSelect", args: [x.arr, new Float64Array(meta), dim, idx, out], required: 5, metaIndex: 1,
    ints, numbers: [], bools: [],
    // the index's length is its count (a shorter one is another valid call): only its kind is checked
    arrays: [{ i: 0, kind, need: needed(dims, x.strides, x.off) }, { i: 3, kind: "i32", need: nIdx, loose: true }, { i: 4, kind, need: nOut }],
    check, desc: `indexSelect ${kind} dims=[${dims}] dim=${dim} index=[${idx}]`,
  };
}

function tIndexAdd() {
  const kind = pick(["f32", "f64", "i32"]);
  const dims = indexDims();
  const dim = ri(0, dims.length - 1);
  const nIdx = dims[dim] === 0 ? 0 : ri(0, 6);
  const idx = indexValues(nIdx, dims[dim]);
  const srcDims = dims.map((s, d) => (d === dim ? nIdx : s));
  const src = operandFor(srcDims, kind, { broadcast: true });
  const out = mkArr(kind, numelOf(dims) + ri(0, 2));
  const want = out.slice(); // same typed array kind: stores round (float32) and wrap (int32) like the kernels
  const outStrides = contiguousStrides(dims);
  for (let k = 0; k < numelOf(srcDims); k++) {
    const m = multiOf(k, srcDims);
    const v = src.arr[atMulti(m, src.strides, src.off)];
    m[dim] = idx[m[dim]];
    want[atMulti(m, outStrides, 0)] += v;
  }
  const meta = [dims.length, ...dims];
  const ints = indexInts(dims.length);
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, srcDims, src, 4);
  const check = () => {
    for (let k = 0; k < out.length; k++) if (!sameValue(out[k], want[k])) return `element ${k}: got ${out[k]}, want ${want[k]}`;
    return null;
  };
  return {
    fn: "indexAdd", args: [out, new Float64Array(meta), dim, idx, src.arr], required: 5, metaIndex: 1,
    ints, numbers: [], bools: [],
    arrays: [{ i: 0, kind, need: numelOf(dims) }, { i: 3, kind: "i32", need: nIdx, loose: true }, { i: 4, kind, need: needed(srcDims, src.strides, src.off) }],
    check, desc: `indexAdd ${kind} out=[${dims}] dim=${dim} index=[${idx}]`,
  };
}

function tGather() {
  const kind = pick(["f32", "f64", "i32"]);
  const dims = indexDims();
  const dim = ri(0, dims.length - 1);
  const outDims = dims.map((s, d) => (d === dim ? (s === 0 ? 0 : ri(0, 4)) : ri(0, s)));
  const n = numelOf(outDims);
  const idx = indexValues(n + ri(0, 2), Math.max(dims[dim], 1));
  const x = operandFor(dims, kind, { broadcast: true });
  const out = mkArr(kind, n + ri(0, 2));
  const meta = [dims.length, ...dims];
  const ints = indexInts(dims.length);
  metaShapeSlots(ints, dims, 0);
  pushView(meta, ints, dims, x, 0);
  outDims.forEach((v) => {
    ints.push({ meta: true, j: meta.length, lo: 0, hi: MAX_SAFE, role: "dim" });
    meta.push(v);
  });
  const check = () => {
    for (let k = 0; k < n; k++) {
      const m = multiOf(k, outDims);
      m[dim] = idx[k];
      const want = x.arr[atMulti(m, x.strides, x.off)];
      if (!sameValue(out[k], want)) return `element ${k}: got ${out[k]}, want ${want}`;
    }
    return null;
  };
  return {
    fn: "gather", args: [x.arr, new Float64Array(meta), dim, idx, out], required: 5, metaIndex: 1,
    ints, numbers: [], bools: [],
    arrays: [{ i: 0, kind, need: needed(dims, x.strides, x.off) }, { i: 3, kind: "i32", need: n }, { i: 4, kind, need: n }],
    check, desc: `gather ${kind} x=[${dims}] dim=${dim} out=[${outDims}]`,
  };
}

function tScatterAdd() {
  const kind = pick(["f32", "f64", "i32"]);
  const dims = indexDims();
  const dim = ri(0, dims.length - 1);
  const srcDims = dims.map((s, d) => (d === dim ? (s === 0 ? 0 : ri(0, 4)) : ri(0, s)));
  const n = numelOf(srcDims);
  const idx = indexValues(n + ri(0, 2), Math.max(dims[dim], 1));
  const src = operandFor(srcDims, kind, { broadcast: true });
  const out = mkArr(kind, numelOf(dims) + ri(0, 2));
  const want = out.slice();
  const outStrides = contiguousStrides(dims);
  for (let k = 0; k < n; k++) {
    const m = multiOf(k, srcDims);
    const v = src.arr[atMulti(m, src.strides, src.off)];
    m[dim] = idx[k];
    want[atMulti(m, outStrides, 0)] += v;
  }
  const meta = [srcDims.length, ...srcDims];
  const ints = indexInts(dims.length);
  metaShapeSlots(ints, srcDims, 0);
  pushView(meta, ints, srcDims, src, 4);
  dims.forEach((v) => {
    ints.push({ meta: true, j: meta.length, lo: 0, hi: MAX_SAFE, role: "dim" });
    meta.push(v);
  });
  const check = () => {
    for (let k = 0; k < out.length; k++) if (!sameValue(out[k], want[k])) return `element ${k}: got ${out[k]}, want ${want[k]}`;
    return null;
  };
  return {
    fn: "scatterAdd", args: [out, new Float64Array(meta), dim, idx, src.arr], required: 5, metaIndex: 1,
    ints, numbers: [], bools: [],
    arrays: [{ i: 0, kind, need: n > 0 ? numelOf(dims) : 0 }, { i: 3, kind: "i32", need: n }, { i: 4, kind, need: needed(srcDims, src.strides, src.off) }],
    check, desc: `scatterAdd ${kind} out=[${dims}] src=[${srcDims}] dim=${dim}`,
  };
}

const TEMPLATES = [tUnary, tBinary, tWhere, tFill, tReduce, tArgReduce, tSoftmax, tGemm, tSgd, tAdam, tThreads, tIndexSelect, tIndexAdd, tGather, tScatterAdd];

// ---------------------------------------------------------------- mutations
const NOT_ARRAYS = () => [
  new Int16Array(4), new Uint8ClampedArray(4), new BigInt64Array(2), new Uint16Array(4), new Float64Array(0).buffer,
  new DataView(new ArrayBuffer(16)), [1, 2, 3], { length: 3, 0: 1 }, "abc", 42, true, () => 0, Symbol("x"), 10n,
];
const BAD_INTS = (lo) => [NaN, Infinity, -Infinity, 1.5, -0.5, 2 ** 53 + 2, 1e300, -1e300, ...(lo >= 0 ? [-1, lo - 1] : [])];
const NOT_NUMBERS = ["1", {}, [], null, undefined, 1n, Symbol("n"), true];
const NOT_BOOLS = [1, 0, "true", null, undefined, {}];

function detach(ta) {
  if (typeof SharedArrayBuffer === "function" && ta.buffer instanceof SharedArrayBuffer) return false;
  structuredClone(ta.buffer, { transfer: [ta.buffer] });
  return true;
}
function withMeta(t, f) {
  const m = Array.from(t.args[t.metaIndex]);
  f(m);
  t.args[t.metaIndex] = new Float64Array(m);
}

/** Applies one random mutation; returns { name, mustThrow }. */
function mutate(t) {
  const kinds = ["missing", "arrayKind", "detach", "shorten", "badInt", "oob", "number", "bool", "metaTrunc", "metaKind", "aliasOk"];
  for (let tries = 0; tries < 20; tries++) {
    const k = pick(kinds);
    switch (k) {
      case "missing": {
        const n = ri(0, t.required - 1);
        t.args = t.args.slice(0, n);
        return { name: `missing args (${n} of ${t.required})`, mustThrow: true };
      }
      case "arrayKind": {
        if (t.arrays.length === 0) break;
        const a = pick(t.arrays);
        const other = pick([...NOT_ARRAYS(), ...["f32", "f64", "i32", "u8"].filter((x) => x !== a.kind).map((x) => mkArr(x, Math.max(a.need, 1), { plain: true }))]);
        const otherKind = kindOf(other);
        const floatSwap = (otherKind === "f32" || otherKind === "f64") && (a.kind === "f32" || a.kind === "f64");
        const mustThrow = !((a.altFloatOk || a.loose) && floatSwap);
        t.args[a.i] = other;
        return { name: `arg ${a.i} (${a.kind}) replaced by ${describe(other)}`, mustThrow };
      }
      case "detach": {
        const cands = t.arrays.map((a) => a.i).concat(t.metaIndex >= 0 ? [t.metaIndex] : []);
        if (cands.length === 0) break;
        const i = pick(cands);
        if (!detach(t.args[i])) break;
        return { name: `arg ${i} detached`, mustThrow: true };
      }
      case "shorten": {
        const cands = t.arrays.filter((a) => !a.loose && (a.need > 0 || a.exact));
        if (cands.length === 0) break;
        const a = pick(cands);
        const longer = a.exact && chance(0.4);
        const len = longer ? a.need + ri(1, 3) : a.need - ri(1, Math.min(a.need, 3));
        if (len < 0) break;
        t.args[a.i] = mkArr(a.kind, len);
        return { name: `arg ${a.i} length ${len} (needs ${a.exact ? "exactly " : ""}${a.need})`, mustThrow: true };
      }
      case "badInt": {
        if (t.ints.length === 0) break;
        const slot = pick(t.ints);
        let v = pick(BAD_INTS(slot.lo));
        if (slot.hi < 2 ** 53 && chance(0.3)) v = slot.hi + 1;
        if (slot.meta) withMeta(t, (m) => (m[slot.j] = v));
        else t.args[slot.i] = v;
        return { name: `${slot.meta ? `meta[${slot.j}]` : `arg ${slot.i}`}${slot.role ? ` (${slot.role})` : ""} = ${v}`, mustThrow: true };
      }
      case "oob": {
        const slots = t.ints.filter((x) => x.role === "offset" || x.role === "stride" || x.role === "ld" || x.role === "xOffset");
        if (slots.length === 0) break;
        const slot = pick(slots);
        if (slot.role === "xOffset") {
          t.args[1] = t.args[0].length + ri(1, 1000);
          return { name: `softmax xOffset past the end (${t.args[1]})`, mustThrow: true };
        }
        if (slot.gemm) {
          const g = slot.gemm;
          if (!g.addressed) break;
          if (slot.role === "ld") {
            if (g.cols < 2) break;
            const v = ri(1, g.cols - 1);
            withMeta(t, (m) => (m[slot.j] = v));
            return { name: `gemm meta[${slot.j}] ld = ${v} < cols ${g.cols}`, mustThrow: true };
          }
          const len = t.args[slot.arg].length;
          const v = len + ri(0, 5);
          withMeta(t, (m) => (m[slot.j] = v));
          return { name: `gemm meta[${slot.j}] offset = ${v} (buffer ${len})`, mustThrow: true };
        }
        const len = t.args[slot.arg].length;
        if (slot.role === "offset") {
          const v = len + ri(1, 5) + (chance(0.2) ? 2 ** 40 : 0);
          withMeta(t, (m) => (m[slot.j] = v));
          return { name: `meta[${slot.j}] offset = ${v} (buffer ${len})`, mustThrow: true };
        }
        if (!slot.oob || len === 0) break;
        const v = (chance(0.5) ? 1 : -1) * (len + ri(0, 3)) * (chance(0.1) ? 2 ** 30 : 1);
        withMeta(t, (m) => (m[slot.j] = v));
        return { name: `meta[${slot.j}] stride = ${v} (buffer ${len})`, mustThrow: true };
      }
      case "number": {
        if (t.numbers.length === 0) break;
        const i = pick(t.numbers);
        const v = pick(NOT_NUMBERS);
        t.args[i] = v;
        return { name: `arg ${i} = ${describe(v)}`, mustThrow: true };
      }
      case "bool": {
        if (t.bools.length === 0) break;
        const i = pick(t.bools);
        const v = pick(NOT_BOOLS);
        t.args[i] = v;
        return { name: `arg ${i} = ${describe(v)}`, mustThrow: true };
      }
      case "metaTrunc": {
        if (t.metaIndex < 0) break;
        const m = t.args[t.metaIndex];
        if (m.length === 0) break;
        const n = ri(0, m.length - 1);
        t.args[t.metaIndex] = m.slice(0, n);
        return { name: `meta truncated to ${n} of ${m.length}`, mustThrow: true };
      }
      case "metaKind": {
        if (t.metaIndex < 0) break;
        const m = t.args[t.metaIndex];
        const v = pick([new Float32Array(m), Array.from(m), new Int32Array(m), { ...m }, null]);
        t.args[t.metaIndex] = v;
        return { name: `meta as ${describe(v)}`, mustThrow: true };
      }
      case "aliasOk": {
        // Trailing extra arguments are ignored; the call stays valid.
        t.args.push(pick([1, "x", {}, null]));
        return { name: "extra trailing argument", mustThrow: false, stillValid: true };
      }
    }
  }
  return { name: "none", mustThrow: false, stillValid: true };
}

function describe(v) {
  if (v === null) return "null";
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length ?? v.byteLength})`;
  if (v instanceof ArrayBuffer) return "ArrayBuffer";
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === "symbol") return "Symbol";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "function";
  if (typeof v === "object") return "object";
  return `${typeof v} ${String(v)}`;
}

// ---------------------------------------------------------------- wild calls
const FNS = ["unary", "binary", "where", "fill", "reduce", "argReduce", "softmax", "gemm", "sgdStep", "adamStep", "setNumThreads", "getNumThreads", "cpuLevel", "indexSelect", "indexAdd", "gather", "scatterAdd"];
function wildValue() {
  switch (ri(0, 7)) {
    case 0: return mkArr(pick(["f32", "f64", "i32", "u8"]), ri(0, 12));
    case 1: {
      // a metadata-like Float64Array: small dims/offsets/strides, sometimes a bad value
      const m = new Float64Array(ri(0, 20));
      for (let i = 0; i < m.length; i++) m[i] = chance(0.1) ? pick([NaN, -1, 1.5, 1e300, -3]) : ri(0, 4);
      return m;
    }
    case 2: return pick([0, 1, 2, 3, -1, 0.5, NaN, 1e9]);
    case 3: return pick([true, false]);
    case 4: return pick([null, undefined]);
    case 5: return pick(NOT_ARRAYS());
    case 6: return pick(NOT_NUMBERS);
    default: {
      const a = mkArr(pick(["f32", "f64"]), ri(1, 6), { plain: true });
      if (chance(0.5)) detach(a);
      return a;
    }
  }
}

// ---------------------------------------------------------------- canary
function canary() {
  const x = new Float32Array([1, -2, 3]);
  const out = new Float32Array(3);
  addon.unary(1, x, out, new Float64Array([1, 3, 0, 0, 1, 0, 0, 1]), 0, 0);
  if (out[0] !== -1 || out[1] !== 2 || out[2] !== -3) return `unary neg canary gave [${out}]`;
  const c = new Float64Array(4);
  addon.gemm(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), c, new Float64Array([0, 0, 2, 2, 2, 1, 0, 0, 2, 0, 2, 0, 2, 1, 0, 0, 0]));
  if (c.join() !== "19,22,43,50") return `gemm canary gave [${c}]`;
  const r = new Float32Array(1);
  addon.reduce(0, new Float32Array([1, 2, 3, 4]), new Float64Array([1, 4, 0, 0, 1]), 1, r);
  if (r[0] !== 10) return `reduce canary gave ${r[0]}`;
  return null;
}

// ---------------------------------------------------------------- main
const workers = [];
if (isMainThread && nThreads > 1) {
  for (let k = 1; k < nThreads; k++) {
    const w = new Worker(__filename, { workerData: { argv: [root, String(seed + 7919 * k), String(nCalls), ...(verbose ? ["--verbose"] : [])] } });
    workers.push(
      new Promise((resolve) => {
        w.on("message", resolve);
        w.on("error", (e) => resolve({ seed: seed + 7919 * k, calls: 0, threw: 0, passed: 0, failures: [{ call: -1, desc: "worker", problem: `worker error: ${e && e.message}` }] }));
      }),
    );
  }
}
const result = { seed, calls: 0, threw: 0, passed: 0, failures: [] };
const fail = (i, desc, problem) => {
  if (result.failures.length < 20) result.failures.push({ call: i, desc, problem });
};
const threadsBefore = addon.getNumThreads();
for (let i = 0; i < nCalls; i++) {
  let desc;
  let fn;
  let args;
  let mustThrow = false;
  let check = null;
  if (chance(0.1)) {
    fn = pick(FNS);
    args = Array.from({ length: ri(0, 8) }, wildValue);
    desc = `wild ${fn}(${args.map(describe).join(", ")})`;
  } else {
    const t = pick(TEMPLATES)();
    const m = chance(0.2) ? { name: "none", mustThrow: false, stillValid: true } : mutate(t);
    fn = t.fn;
    args = t.args;
    mustThrow = m.mustThrow;
    if (m.stillValid) check = t.check;
    desc = `${t.desc}; mutation: ${m.name}`;
    if (m.stillValid) mustThrow = false;
    if (m.stillValid) desc += " (valid)";
  }
  if (verbose) require("node:fs").writeSync(2, `#${i} ${desc}\n`);
  result.calls++;
  let threw = null;
  try {
    addon[fn](...args);
  } catch (e) {
    threw = e;
  }
  if (threw !== null) {
    result.threw++;
    if (!(threw instanceof Error)) fail(i, desc, `threw a non-Error: ${describe(threw)}`);
    else if (!/^tensorgrad native \w+: /.test(threw.message)) fail(i, desc, `unexpected message: ${threw.message}`);
    else if (check !== null) fail(i, desc, `a valid call threw: ${threw.message}`);
  } else {
    if (mustThrow) fail(i, desc, "misuse was accepted without an error");
    else if (check) {
      const problem = check();
      if (problem) fail(i, desc, `wrong result: ${problem}`);
      else result.passed++;
    }
  }
  if (i % 25 === 24) {
    const problem = canary();
    if (problem) fail(i, "canary after errors", problem);
  }
}
const last = canary();
if (last) fail(nCalls, "final canary", last);
addon.setNumThreads(threadsBefore);
if (!isMainThread) parentPort.postMessage(result);
else
  Promise.all(workers).then((reports) => {
    for (const r of reports) {
      result.calls += r.calls;
      result.threw += r.threw;
      result.passed += r.passed;
      for (const f of r.failures) result.failures.push({ ...f, desc: `[thread seed ${r.seed}] ${f.desc}` });
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  });
