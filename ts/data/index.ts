export { Dataset, TensorDataset } from "./dataset";
export { DataLoader } from "./dataloader";
export type { DataLoaderOptions } from "./dataloader";
export { defaultCollate } from "./collate";
export type { Collated } from "./collate";
