/** torch.optim.lr_scheduler: the learning rates are PyTorch 1.13's, step by step. */
export { LRScheduler } from "./base";
export type { AnyOptimizer, SchedulerBaseOptions, SchedulerStateDict } from "./base";
export {
  LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR,
  CosineAnnealingLR, CosineAnnealingWarmRestarts,
} from "./schedulers";
export type {
  LrLambda, StepLROptions, MultiStepLROptions, ConstantLROptions, LinearLROptions, PolynomialLROptions,
  CosineAnnealingLROptions, CosineAnnealingWarmRestartsOptions,
} from "./schedulers";
export { OneCycleLR } from "./one-cycle";
export type { OneCycleLROptions } from "./one-cycle";
export { ReduceLROnPlateau } from "./plateau";
export type { ReduceLROnPlateauOptions } from "./plateau";
export { SequentialLR, ChainedScheduler } from "./composite";
