export { Optimizer } from "./optimizer";
export type { ParamGroup, ParamsInput, ParamState, StateValue, OptimizerStateDict } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam, AdamW } from "./adam";
export type { AdamOptions } from "./adam";
export { RMSprop } from "./rmsprop";
export type { RMSpropOptions } from "./rmsprop";
export * as lrScheduler from "./lr-scheduler/index";
