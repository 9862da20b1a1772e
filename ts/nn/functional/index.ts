export * from "./activation";
export * from "./dropout";
export * from "./loss";
export * from "./loss-more";
export * from "./activation-more";
export { embedding } from "../embedding";
export { layerNorm, rmsNorm } from "../layer-norm";
export { scaledDotProductAttention } from "../attention";
