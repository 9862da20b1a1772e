import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

const INTERNAL = /Cannot read properties|is not a function|is not iterable|Cannot convert a Symbol|Cannot mix BigInt/;

describe("the remaining public entry points check their arguments", () => {
  const cases: [string, () => unknown][] = [
    ["setNumThreads(Symbol())", () => tg.setNumThreads(Symbol() as never)],
    ["setNumThreads({})", () => tg.setNumThreads({} as never)],
    ["loadSync(Symbol())", () => tg.loadSync(Symbol() as never)],
    ["loadSync({})", () => tg.loadSync({} as never)],
    ["saveSync({}, 3)", () => tg.saveSync({} as never, 3 as never)],
    ["autograd.grad({}, {})", () => tg.autograd.grad({} as never, {} as never)],
    ["autograd.backward({})", () => tg.autograd.backward({} as never)],
    ["autograd.makeDot({})", () => tg.autograd.makeDot({} as never)],
    ["noGrad({})", () => tg.noGrad({} as never)],
    ["enableGrad(3)", () => tg.enableGrad(3 as never)],
  ];
  for (const [name, call] of cases) {
    it(`${name} is a clear TypeError naming the function`, () => {
      let err: unknown = null;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message).not.toMatch(INTERNAL);
      expect((err as Error).message).toMatch(/^(setNumThreads|loadSync|saveSync|grad|backward|makeDot|noGrad|enableGrad)\(/);
    });
  }

  it("load() of a non-string rejects with the same clear error", async () => {
    await expect(tg.load(5 as never)).rejects.toThrow("load(): argument 'path' must be str, not number");
  });
});
