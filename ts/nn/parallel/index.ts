export { DistributedDataParallel } from "./distributed";
export type { DistributedDataParallelOptions } from "./distributed";
