import { describe, expect, it } from "vitest";
import { getBackend } from "../../ts/index";
import { main } from "../../examples/char-transformer";

describe("examples/char-transformer on the real English word list", () => {
  // The TypeScript backend runs the same code, ~10× slower: the full suite checks it on native only.
  it.skipIf(getBackend() !== "native")("beats the bigram baseline on validation after 80 steps", () => {
    const { valLoss, bigram } = main({ quick: true, steps: 80, verbose: false, plots: false });
    expect(bigram).toBeGreaterThan(2.3);
    expect(valLoss).toBeLessThan(bigram);
  });
});
