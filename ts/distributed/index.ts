export {
  initProcessGroup,
  destroyProcessGroup,
  isInitialized,
  isMpiAvailable,
  getRank,
  getWorldSize,
  getBackend,
} from "./process-group";
export type { Backend, InitProcessGroupOptions } from "./process-group";
export { allReduce, broadcast, allGather, reduceScatter, barrier, Work, ReduceOp } from "./collectives";
export type { ReduceOpName, CollectiveOptions, Sync, Async } from "./collectives";
