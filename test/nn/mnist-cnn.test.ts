import { describe, expect, it } from "vitest";
import { getBackend } from "../../ts/index";
import { main } from "../../examples/mnist-cnn";

describe("examples/mnist-cnn on the mnist package's real digits", () => {
  // The TypeScript backend runs the same code, ~40× slower on convolutions: the suite checks it on native only.
  it.skipIf(getBackend() !== "native")("LeNet reaches over 90 % test accuracy in two epochs", () => {
    const { testAccuracy } = main({ epochs: 2, verbose: false, plots: false });
    expect(testAccuracy).toBeGreaterThan(0.9);
  });
});
