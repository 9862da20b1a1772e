/**
 * The elementwise op table: the single source of truth for every elementwise kernel of both backends.
 * scripts/gen-ops.ts writes from it the C++ op codes, switches and cost flags
 * (native/elementwise/ops.gen.h) and the TypeScript row loops (ts/backend/js/elementwise.gen.ts);
 * test/backend/op-table.test.ts regenerates both and fails if a committed file differs. The op codes are
 * the entries' positions, so append new ops at the end of their table.
 *
 * Formulas are expressions. Unary ops read `x`, binary ops `a` and `b`; `p0`, `p1` are the op's scalar
 * parameters (named in `params`). `js` is evaluated on doubles and stored into the output typed array;
 * `cpp` is evaluated per element with `T` the element type (float or double) and cast to T; helper
 * functions they call live in ts/backend/js/scalar-fns.ts and native/elementwise/scalar_fns.h.
 * `vecF32` names a float32 vector function (vf → vf, in native/elementwise/vmath.h) used instead of
 * `cpp` on float32 data. `costly` ops (libm or polynomial) get a smaller threading grain and a smaller
 * native crossover.
 */

export interface UnaryOpSpec {
  readonly params?: readonly string[];
  /** Parameter sets the parity and fuzz tests run the op with (default: one set, 0.3 for each parameter). */
  readonly testParams?: readonly (readonly number[])[];
  readonly costly?: boolean;
  readonly js: string;
  /**
   * Used instead of `js` when the output is float32, for ops that PyTorch computes as several float32
   * roundings (x·x·x, 1/√x): evaluating `js` in double and rounding once would differ in the last bit.
   */
  readonly jsF32?: string;
  readonly cpp: string;
  readonly vecF32?: string;
}

export interface BinaryOpSpec {
  readonly params?: readonly string[];
  /** Parity tolerance of a result that crosses zero: each element may differ by parityAtol·max(1, |a|) too. */
  readonly parityAtol?: number;
  readonly testParams?: readonly (readonly number[])[];
  readonly costly?: boolean;
  /** Comparisons write a bool (0/1) output. */
  readonly compare?: boolean;
  readonly js: string;
  readonly cpp: string;
  readonly vecF32?: string;
}

/** `copy` with a different output dtype casts (floats to int32 truncate toward zero; to bool: x != 0). */
export const UNARY_OPS = {
  copy: { js: "x", cpp: "x" },
  neg: { js: "-x", cpp: "-x" },
  abs: { js: "Math.abs(x)", cpp: "__builtin_fabs(x)" },
  /** PyTorch 1.13's sign: 0 for ±0 and NaN. */
  sign: { js: "x > 0 ? 1 : x < 0 ? -1 : 0", cpp: "sign_of(x)" },
  exp: { costly: true, js: "Math.exp(x)", cpp: "exp((double)x)", vecF32: "exp_v" },
  log: { costly: true, js: "Math.log(x)", cpp: "log((double)x)", vecF32: "log_v" },
  sqrt: { costly: true, js: "Math.sqrt(x)", cpp: "sqrt((double)x)" },
  /** 1/√x with the square root rounded to the element type first, as PyTorch's rsqrt kernel. */
  rsqrt: { costly: true, js: "1 / Math.sqrt(x)", jsF32: "1 / Math.fround(Math.sqrt(x))", cpp: "T(1) / (T)sqrt((double)x)" },
  square: { js: "x * x", cpp: "x * x" },
  reciprocal: { js: "1 / x", cpp: "T(1) / x" },
  sin: { costly: true, js: "Math.sin(x)", cpp: "sin((double)x)", vecF32: "sin_v" },
  cos: { costly: true, js: "Math.cos(x)", cpp: "cos((double)x)", vecF32: "cos_v" },
  tanh: { costly: true, js: "Math.tanh(x)", cpp: "tanh((double)x)", vecF32: "tanh_v" },
  /** Stable logistic: exp of −|x| only, so no overflow for large |x|. */
  sigmoid: { costly: true, js: "sigmoid(x)", cpp: "sigmoid_of((double)x)", vecF32: "sigmoid_v" },
  relu: { js: "x < 0 ? 0 : x", cpp: "x < T(0) ? T(0) : x" },
  leakyRelu: { params: ["negativeSlope"], testParams: [[0.01]], js: "x > 0 ? x : x * p0", cpp: "x > T(0) ? x : (T)(x * p0)" },
  elu: { params: ["alpha"], testParams: [[1.3]], costly: true, js: "x > 0 ? x : p0 * Math.expm1(x)", cpp: "x > T(0) ? x : (T)(p0 * expm1((double)x))" },
  /** NaN bounds mean unbounded; a NaN input stays NaN. */
  clamp: { params: ["min", "max"], testParams: [[-0.5, 0.7], [NaN, 0.3], [0.2, NaN]], js: "clamp(x, p0, p1)", cpp: "clamp_of(x, p0, p1)" },
  /**
   * The exponents PyTorch's pow kernel special-cases are computed as it does, in the element type
   * (0 → 1, 1 → x, 2 → x·x, 3 → x·x·x, −2 → 1/(x·x), 0.5 → √x, −0.5 → 1/√x, −1 → 1/x); others are pow in double.
   */
  powScalar: {
    params: ["exponent"],
    testParams: [[2], [-1.5], [0.5], [-1], [3], [-2], [-0.5], [0], [1], [4]],
    costly: true,
    js: "powScalar(x, p0)",
    jsF32: "powScalarF32(x, p0)",
    cpp: "pow_scalar(x, p0)",
  },
  addScalar: { params: ["other"], testParams: [[0.1]], js: "x + p0", cpp: "x + p0" },
  mulScalar: { params: ["other"], js: "x * p0", cpp: "x * p0" },
  rsubScalar: { params: ["self"], testParams: [[1.7]], js: "p0 - x", cpp: "p0 - x" },
  rdivScalar: { params: ["self"], testParams: [[2.1]], js: "p0 / x", cpp: "p0 / x" },
  logicalNot: { js: "x === 0 ? 1 : 0", cpp: "x == T(0) ? T(1) : T(0)" },
  log1p: { costly: true, js: "Math.log1p(x)", cpp: "log1p((double)x)" },
  expm1: { costly: true, js: "Math.expm1(x)", cpp: "expm1((double)x)" },
  floor: { js: "Math.floor(x)", cpp: "floor(x)" },
  ceil: { js: "Math.ceil(x)", cpp: "ceil(x)" },
  /** Half to even, as torch.round. */
  round: { js: "roundHalfEven(x)", cpp: "nearbyint(x)" },
  trunc: { js: "Math.trunc(x)", cpp: "trunc(x)" },
  /** Written as 0/1 into a bool output. */
  isnan: { js: "x !== x ? 1 : 0", cpp: "x != x" },
  isinf: { js: "x === Infinity || x === -Infinity ? 1 : 0", cpp: "__builtin_isinf(x) ? 1 : 0" },
  erf: { costly: true, js: "erf(x)", cpp: "erf((double)x)" },
  /** GELU x·Φ(x) in one pass (double; float32 vectorised), and PyTorch's tanh approximation. */
  gelu: { costly: true, js: "gelu(x, 0)", cpp: "gelu_of((double)x, 0)", vecF32: "gelu_v" },
  geluTanh: { costly: true, js: "gelu(x, 1)", cpp: "gelu_of((double)x, 1)" },
} as const satisfies Record<string, UnaryOpSpec>;

/**
 * maximum/minimum propagate NaN. The *Backward ops are the fused activation backwards, a = incoming
 * gradient, b = saved value; they test "saved <= 0" as ATen does (threshold_backward, elu_backward), so a
 * NaN saved value passes the gradient through. tanh/sigmoid backwards compute in double: 1 − y² cancels
 * badly in float32.
 */
export const BINARY_OPS = {
  add: { js: "a + b", cpp: "a + b" },
  sub: { js: "a - b", cpp: "a - b" },
  mul: { js: "a * b", cpp: "a * b" },
  div: { js: "a / b", cpp: "a / b" },
  pow: { costly: true, js: "Math.pow(a, b)", cpp: "pow((double)a, (double)b)" },
  maximum: { js: "a > b || a !== a ? a : b", cpp: "a != a ? a : (b != b ? b : (a > b ? a : b))" },
  minimum: { js: "a < b || a !== a ? a : b", cpp: "a != a ? a : (b != b ? b : (a < b ? a : b))" },
  eq: { compare: true, js: "a === b ? 1 : 0", cpp: "a == b" },
  ne: { compare: true, js: "a !== b ? 1 : 0", cpp: "a != b" },
  gt: { compare: true, js: "a > b ? 1 : 0", cpp: "a > b" },
  lt: { compare: true, js: "a < b ? 1 : 0", cpp: "a < b" },
  ge: { compare: true, js: "a >= b ? 1 : 0", cpp: "a >= b" },
  le: { compare: true, js: "a <= b ? 1 : 0", cpp: "a <= b" },
  tanhBackward: { js: "a * (1 - b * b)", cpp: "(double)a * (1.0 - (double)b * (double)b)" },
  sigmoidBackward: { js: "a * (1 - b) * b", cpp: "(double)a * (1.0 - (double)b) * (double)b" },
  reluBackward: { js: "b <= 0 ? 0 : a", cpp: "b <= T(0) ? T(0) : a" },
  leakyReluBackward: { params: ["negativeSlope"], testParams: [[0.01]], js: "b > 0 ? a : a * p0", cpp: "b > T(0) ? a : (T)(a * p0)" },
  eluBackward: { params: ["alpha"], testParams: [[1.3]], js: "b <= 0 ? a * (b + p0) : a", cpp: "b <= T(0) ? (T)(a * ((double)b + p0)) : a" },
  atan2: { costly: true, js: "Math.atan2(a, b)", cpp: "atan2((double)a, (double)b)", vecF32: "atan2_v" },
  /** Python's modulus (the sign of the divisor), as torch.remainder: fmod, then + b when the signs differ. */
  remainder: { js: "pyMod(a, b)", cpp: "py_mod((double)a, (double)b)" },
  /** a·GELU′(b) (a = incoming gradient, b = the input); GELU′ crosses zero near b = −0.75, hence the parity atol (float32 vectorised: ~1e-7). */
  geluBackward: { parityAtol: 1e-6, costly: true, js: "a * geluGrad(b, 0)", cpp: "(double)a * gelu_grad_of((double)b, 0)", vecF32: "gelu_grad_v" },
  geluTanhBackward: { parityAtol: 1e-14, costly: true, js: "a * geluGrad(b, 1)", cpp: "(double)a * gelu_grad_of((double)b, 1)" },
} as const satisfies Record<string, BinaryOpSpec>;

/**
 * Reductions over trailing dims (sum of nothing is 0, prod 1; max/min propagate NaN). Their kernels are
 * hand-written per op (PyTorch's summation order lives in them), so the table holds only names and codes.
 */
export const REDUCE_OPS = { sum: {}, prod: {}, max: {}, min: {} } as const;

export type ReduceOp = keyof typeof REDUCE_OPS;
export const REDUCE_OP_NAMES = Object.keys(REDUCE_OPS) as ReduceOp[];
export const REDUCE_CODE = Object.fromEntries(REDUCE_OP_NAMES.map((n, i) => [n, i])) as Readonly<Record<ReduceOp, number>>;

export type UnaryOp = keyof typeof UNARY_OPS;
export type BinaryOp = keyof typeof BINARY_OPS;

export const UNARY_OP_NAMES = Object.keys(UNARY_OPS) as UnaryOp[];
export const BINARY_OP_NAMES = Object.keys(BINARY_OPS) as BinaryOp[];

/** Op codes as the addon numbers them: positions in the tables. */
export const UNARY_CODE = Object.fromEntries(UNARY_OP_NAMES.map((n, i) => [n, i])) as Readonly<Record<UnaryOp, number>>;
export const BINARY_CODE = Object.fromEntries(BINARY_OP_NAMES.map((n, i) => [n, i])) as Readonly<Record<BinaryOp, number>>;

/** Every (op, parameters) pair the tests run: the table's testParams, or one set of 0.3s. */
export function testCases<Op extends string>(table: Readonly<Record<Op, UnaryOpSpec | BinaryOpSpec>>): [Op, ...number[]][] {
  const out: [Op, ...number[]][] = [];
  for (const op of Object.keys(table) as Op[]) {
    const spec = table[op];
    const sets = spec.testParams ?? [(spec.params ?? []).map(() => 0.3)];
    for (const ps of sets) out.push([op, ...ps]);
  }
  return out;
}

const COSTLY_UNARY = Object.fromEntries(
  UNARY_OP_NAMES.map((n) => [n, (UNARY_OPS[n] as UnaryOpSpec).costly === true]),
) as Readonly<Record<UnaryOp, boolean>>;
const COMPARISON = Object.fromEntries(
  BINARY_OP_NAMES.map((n) => [n, (BINARY_OPS[n] as BinaryOpSpec).compare === true]),
) as Readonly<Record<BinaryOp, boolean>>;

export function isCostlyUnary(op: UnaryOp): boolean {
  return COSTLY_UNARY[op];
}

export function isComparison(op: BinaryOp): boolean {
  return COMPARISON[op];
}
