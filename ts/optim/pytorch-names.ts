/**
 * PyTorch's spelling of optimizer state dicts. In memory tensorgrad keeps camelCase (`paramGroups`, `weightDecay`,
 * `expAvg`), as the rest of its API; a checkpoint file uses PyTorch's names (`param_groups`, `weight_decay`,
 * `exp_avg`) so that one written by `torch.optim` loads here and the other way round.
 */
/** Every camelCase key a tensorgrad optimizer or scheduler puts in a group or a state entry, and PyTorch's name. */
const PYTORCH_NAME: Readonly<Record<string, string>> = {
  // group options
  weightDecay: "weight_decay",
  lrDecay: "lr_decay",
  initialAccumulatorValue: "initial_accumulator_value",
  momentumDecay: "momentum_decay",
  // keys the learning-rate schedulers add to groups
  initialLr: "initial_lr",
  maxLr: "max_lr",
  minLr: "min_lr",
  maxMomentum: "max_momentum",
  baseMomentum: "base_momentum",
  // per-parameter state
  expAvg: "exp_avg",
  expAvgSq: "exp_avg_sq",
  maxExpAvgSq: "max_exp_avg_sq",
  momentumBuffer: "momentum_buffer",
  squareAvg: "square_avg",
  accDelta: "acc_delta",
  gradAvg: "grad_avg",
  expInf: "exp_inf",
  muProduct: "mu_product",
};

const TENSORGRAD_NAME: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(PYTORCH_NAME).map(([k, v]) => [v, k]));

/**
 * Group keys of torch.optim that choose how PyTorch computes a step (foreach, fused, capturable kernels;
 * differentiable through the step), never what it computes on the CPU; tensorgrad has no such choices, so a
 * PyTorch file's values for them are dropped on load.
 */
export const PYTORCH_ONLY_GROUP_KEYS: readonly string[] = ["foreach", "fused", "capturable", "differentiable"];

/**
 * Group keys of later torch.optim versions that change what a step computes and that tensorgrad does not
 * implement, with the one value that means "off": a file with that value loads (the key dropped), any other is
 * refused rather than resumed with different arithmetic.
 */
export const PYTORCH_OFF_ONLY_GROUP_KEYS: Readonly<Record<string, unknown>> = { decoupled_weight_decay: false };

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** PyTorch's name for a tensorgrad key; keys PyTorch spells the same (lr, betas, step, sum, ...) or that are the user's own pass unchanged. */
export function pytorchName(key: string): string {
  return hasOwn(PYTORCH_NAME, key) ? PYTORCH_NAME[key] : key;
}

/** A message about a loaded state with its key names as the file spells them (`expAvg` → `exp_avg`). */
export function withPyTorchNames(message: string): string {
  return message.replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, (w) => pytorchName(w));
}

/** The inverse of pytorchName. */
export function tensorgradName(key: string): string {
  return hasOwn(TENSORGRAD_NAME, key) ? TENSORGRAD_NAME[key] : key;
}

/**
 * A copy of obj with each key renamed; two keys that land on one name (a group holding both `weightDecay` and
 * `weight_decay`) are refused, since one would silently overwrite the other.
 */
export function renameKeys<V>(obj: Readonly<Record<string, V>>, rename: (k: string) => string, where: string): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(obj)) {
    const n = rename(k);
    if (hasOwn(out, n)) throw new Error(`${where} has both ${JSON.stringify(k)} and another key that is also named ${JSON.stringify(n)}`);
    Object.defineProperty(out, n, { value: obj[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
