import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "ts/index.ts" },
  // CommonJS only: dist/index.mjs is a thin wrapper over it (scripts/esm-wrapper.js), so both module systems
  // share one instance.
  format: ["cjs"],
  // Members tagged @internal (engine bookkeeping, `_`-prefixed helpers) stay out of the published types.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: "node18",
  outExtension: () => ({ js: ".cjs" }),
});
