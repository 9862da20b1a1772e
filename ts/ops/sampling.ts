import { isHalf, widened } from "./half";
import { Tensor } from "../tensor";
import { Generator, defaultGenerator, multinomial as drawMultinomial } from "../random/index";
import { emptyTensor } from "./core";
import { argError, intArg, optBoolArg, optionsArg, tensorArg } from "./args";
import { contiguous } from "./views";

export interface MultinomialOptions {
  generator?: Generator;
}

/**
 * torch.multinomial: `numSamples` category indices per row of (unnormalised) probabilities, int32. Draws
 * PyTorch's stream for the same seed (the rows' values are taken in float64).
 */
export function multinomial(probs: Tensor, numSamples: number, replacement = false, opts: MultinomialOptions = {}): Tensor {
  if (isHalf(probs?.dtype)) return multinomial(widened(probs), numSamples, replacement, opts);
  tensorArg(probs, "multinomial", "input", 1);
  intArg(numSamples, "multinomial", "num_samples", 2);
  optBoolArg(replacement, "multinomial", "replacement", 3);
  opts = optionsArg<MultinomialOptions>(opts, "multinomial", "options", 4) ?? {};
  if (opts.generator !== undefined && !(opts.generator instanceof Generator)) throw argError("multinomial", "generator", 4, "Generator", opts.generator);
  if (probs.ndim !== 1 && probs.ndim !== 2) throw new RangeError(`prob_dist must be 1 or 2 dim`);
  if (probs.dtype !== "float32" && probs.dtype !== "float64") throw new TypeError(`multinomial only supports floating-point dtypes for input, got: ${probs.dtype}`);
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError("cannot sample n_sample <= 0 samples");
  const k = probs.shape[probs.ndim - 1];
  if (!replacement && numSamples > k) throw new RangeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  const rows = probs.ndim === 1 ? 1 : probs.shape[0];
  const data = contiguous(probs.detach())._data;
  const out = emptyTensor(probs.ndim === 1 ? [numSamples] : [rows, numSamples], "int32");
  const gen = opts.generator ?? defaultGenerator;
  const row = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) row[j] = data[r * k + j];
    const picks = drawMultinomial(row, numSamples, replacement, gen);
    for (let s = 0; s < numSamples; s++) out._data[r * numSamples + s] = picks[s];
  }
  return out;
}
