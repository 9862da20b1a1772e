/**
 * Shuffle orders as torch.utils.data draws them. RandomSampler (no generator given) takes
 * seed = int64 random_() from the global generator, seeds a fresh generator with it and returns
 * randperm(n) from that. DataLoader(shuffle=True) first draws its own base seed (one more int64
 * random_()) each time an epoch's iterator is created, then the sampler's.
 */
import { Generator, defaultGenerator } from "./generator";
import { randomInt64, randperm } from "./integer";

/** The order of one pass of RandomSampler over n items. */
export function shuffleIndices(n: number, gen: Generator = defaultGenerator): Int32Array {
  const seed = randomInt64(gen);
  return randperm(new Generator(seed), n);
}

/** The order of one epoch of DataLoader(shuffle=True, num_workers=0) over n items. */
export function dataLoaderShuffle(n: number, gen: Generator = defaultGenerator): Int32Array {
  randomInt64(gen); // _BaseDataLoaderIter's _base_seed, drawn whether or not workers use it
  return shuffleIndices(n, gen);
}
