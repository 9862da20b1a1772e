export { clipGradNorm_, clipGradValue_ } from "./clip-grad";
export type { ClipGradNormOptions } from "./clip-grad";
export { parametersToVector, vectorToParameters } from "./convert-parameters";
