import type { Generator as RandomGenerator } from "./generator";

/** torch.multinomial(weights, n, replacement) for one float64 distribution, on the CPU, as in PyTorch 1.13. */
export function multinomial(w: Float64Array, n: number, replacement: boolean, gen: RandomGenerator): number[] {
  const k = w.length;
  if (!replacement) {
    if (n > k) throw new Error("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    let sum = 0;
    for (const v of w) {
      if (!(v >= 0 && v < Infinity)) throw new Error("probability tensor contains either `inf`, `nan` or element < 0");
      sum += v;
    }
    if (sum === 0) throw new Error("invalid multinomial distribution (sum of probabilities <= 0)");
    // Gumbel top-k: argsort of w / q with q ~ Exp(1), one exponential_ draw per category, in order.
    const keys = new Float64Array(k);
    for (let j = 0; j < k; j++) keys[j] = w[j] / (-1 * Math.log(1 - gen.randomDouble53()));
    const order = Array.from({ length: k }, (_, j) => j);
    // Ties (zero weights) have no PyTorch-defined order; the lower index comes first here.
    order.sort((a, b) => keys[b] - keys[a] || a - b);
    return order.slice(0, n);
  }
  const cum = new Float64Array(k);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const v = w[j];
    if (!(v >= 0)) throw new Error("invalid multinomial distribution (encountering probability entry < 0)");
    if (!Number.isFinite(v)) throw new Error("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
    sum += v;
    cum[j] = sum;
  }
  if (!(sum > 0)) throw new Error("invalid multinomial distribution (sum of probabilities <= 0)");
  for (let j = 0; j < k; j++) cum[j] /= sum;
  cum[k - 1] = 1; // so that every uniform lands in some bucket
  const out: number[] = [];
  for (let s = 0; s < n; s++) {
    const u = gen.randomDouble53();
    // The first bucket whose cumulative probability reaches u.
    let lo = 0;
    let hi = k;
    while (hi > lo) {
      const mid = lo + ((hi - lo) >> 1);
      if (cum[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out.push(lo);
  }
  return out;
}
