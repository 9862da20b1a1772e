export { Dataset, TensorDataset, IterableDataset } from "./dataset";
export type { IterableDatasetOf } from "./dataset";
export { Subset, ConcatDataset, randomSplit } from "./subset";
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler";
export type { Sized, RandomSamplerOptions } from "./sampler";
export { DataLoader } from "./dataloader";
export type { DataLoaderOptions, AnyDataset } from "./dataloader";
export { defaultCollate } from "./collate";
export type { Collated } from "./collate";
