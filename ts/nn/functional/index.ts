export * from "./activation";
export * from "./dropout";
export * from "./loss";
export * from "./loss-more";
