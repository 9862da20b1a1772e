import "./tensor-methods";
import { grad as autogradGrad, backward as autogradBackward } from "./autograd/api";
import { gradcheck } from "./autograd/gradcheck";
import { makeDot } from "./autograd/make-dot";
import { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from "./autograd/grad-mode";
import { Node } from "./autograd/node";
import { AutogradFunction, AutogradFunctionCtx } from "./autograd/function";

export { Tensor } from "./tensor";
export type { Device, VersionCounter } from "./tensor";
export type { DType } from "./backend/types";
export {
  tensor,
  zeros,
  ones,
  empty,
  full,
  rand,
  randn,
  randint,
  randperm,
  linspace,
  arange,
  eye,
  zerosLike,
  onesLike,
  emptyLike,
  fullLike,
  randnLike,
  randLike,
  setDefaultDtype,
  getDefaultDtype,
} from "./creation";
export type { TensorOptions, RandomOptions, TensorDataOptions, NestedArray } from "./creation";
export { manualSeed, initialSeed, Generator, defaultGenerator } from "./random/index";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./autograd/grad-mode";
export { getBackend, setBackend, setNumThreads, getNumThreads } from "./backend/index";
export type { BackendName } from "./backend/index";
export { save, saveSync, load, loadSync } from "./io/save-load";
export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  abs,
  sign,
  exp,
  log,
  sqrt,
  rsqrt,
  reciprocal,
  square,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  leakyRelu,
  elu,
  clamp,
  maximum,
  minimum,
  atan2,
  log1p,
  erf,
  expm1,
  floor,
  ceil,
  round,
  trunc,
  isnan,
  isinf,
  remainder,
  flip,
  roll,
  tile,
  split,
  chunk,
  tril,
  triu,
  outer,
  diag,
  diagonal,
  diagEmbed,
  meshgrid,
  bmm,
  baddbmm,
  maskedFill,
  sort,
  argsort,
  topk,
  cumsum,
  multinomial,
  cumprod,
  any,
  all,
  norm,
  eq,
  ne,
  gt,
  lt,
  ge,
  le,
  logicalNot,
  where,
  sum,
  mean,
  max,
  min,
  argmax,
  argmin,
  std,
  variance as var,
  logsumexp,
  softmax,
  logSoftmax,
  matmul,
  mm,
  mv,
  dot,
  t,
  transpose,
  reshape,
  view,
  unsqueeze,
  squeeze,
  flatten,
  expand,
  permute,
  narrow,
  select,
  indexSelect,
  gather,
  scatter,
  scatterAdd,
  indexAdd,
  indexPut,
  indexPut_,
  maskedSelect,
  einsum,
  cat,
  stack,
  clone,
  detach,
} from "./ops/index";
export { clamp as clip } from "./ops/index";
export type { Operand } from "./ops/core";
export type { ValuesIndices, Dims } from "./ops/reduce";
export type { NestedList } from "./ops/convert";
export type { IndexItem, IndexList, SliceIndex, ScatterReduce, IndexAddOptions } from "./ops/index";

/** torch.autograd: functional gradients, checks and graph inspection. */
export const autograd = {
  grad: autogradGrad,
  backward: autogradBackward,
  gradcheck,
  makeDot,
  setDetectAnomaly,
  isAnomalyEnabled,
  detectAnomaly,
  Node,
  /** torch.autograd.Function: subclass with static forward(ctx, ...) and backward(ctx, ...grads); call Fn.apply(...). */
  Function: AutogradFunction,
  FunctionCtx: AutogradFunctionCtx,
};
// `autograd.FunctionCtx` and `autograd.Function` as types too (class Legendre3 extends autograd.Function).
export declare namespace autograd {
  type FunctionCtx = AutogradFunctionCtx;
  type Function = AutogradFunction;
}
export type { GradOptions, BackwardOptions } from "./autograd/api";
export type { GradcheckOptions } from "./autograd/gradcheck";
export type { MakeDotOptions } from "./autograd/make-dot";
export * as nn from "./nn/index";
export * as optim from "./optim/index";
export * as data from "./data/index";
export { saveCheckpoint, saveCheckpointSync, loadCheckpoint, loadCheckpointSync } from "./io/checkpoint";
export type { CheckpointContents, LoadedCheckpoint } from "./io/checkpoint";
export type { TypedArray } from "./backend/types";
export type { AlphaOptions } from "./ops/arithmetic";
export type { MultinomialOptions } from "./ops/sampling";
export type { GeneratorState } from "./random/index";
export type { RemovableHandle, TensorHook, PostAccumulateGradHook } from "./autograd/hooks";
export * as distributed from "./distributed/index";
