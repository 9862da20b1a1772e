export { Generator, defaultGenerator, manualSeed, initialSeed, normalizeSeed, DEFAULT_SEED } from "./generator";
export type { GeneratorState } from "./generator";
export { uniform, uniformFloat01 } from "./uniform";
export { normal, normalDouble } from "./normal";
export type { NormalOptions, CpuCapability } from "./normal";
export { randint, randperm, randomInt32, randomInt64 } from "./integer";
export { bernoulli } from "./bernoulli";
export { shuffleIndices, dataLoaderShuffle } from "./sampler";
export { kaimingUniformBound, linearBiasBound } from "./init";
