import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Examples import the package by name (its built bundle when run); tests read the sources instead.
  resolve: { alias: { tensorgrad: fileURLToPath(new URL("./ts/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Fails the run in CI when the native addon did not load (the native tests would skip), warns locally.
    globalSetup: ["test/support/native-required.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
