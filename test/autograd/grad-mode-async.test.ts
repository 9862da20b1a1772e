import { describe, expect, it } from "vitest";
import * as tg from "../../ts/index";

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe("grad mode and async code", () => {
  it("noGrad(async fn) covers the whole body, after awaits too", async () => {
    const x = tg.ones(2, { requiresGrad: true });
    const [before, after] = await tg.noGrad(async () => {
      const a = x.mul(2);
      await tick();
      const b = x.mul(3);
      await tick();
      return [a, b];
    });
    expect(before.requiresGrad).toBe(false);
    expect(after.requiresGrad).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it("code running concurrently outside the scope keeps recording", async () => {
    const x = tg.ones(2, { requiresGrad: true });
    let outside: tg.Tensor | null = null;
    const scoped = tg.noGrad(async () => {
      await tick();
      await tick();
      return x.mul(2);
    });
    const other = (async () => {
      await tick();
      outside = x.mul(5);
    })();
    const [inside] = await Promise.all([scoped, other]);
    expect(inside.requiresGrad).toBe(false);
    expect(outside!.requiresGrad).toBe(true);
  });

  it("enableGrad inside an async noGrad scope, and sync noGrad inside it, nest", async () => {
    const x = tg.ones(2, { requiresGrad: true });
    const r = await tg.noGrad(async () => {
      await tick();
      const on = tg.enableGrad(() => x.mul(2));
      const off = tg.noGrad(() => x.mul(2));
      const onAsync = await tg.enableGrad(async () => {
        await tick();
        return x.mul(2);
      });
      return { on, off, onAsync, still: x.mul(2) };
    });
    expect([r.on.requiresGrad, r.off.requiresGrad, r.onAsync.requiresGrad, r.still.requiresGrad]).toEqual([true, false, true, false]);
  });

  it("an async body that throws rejects and leaves grad mode as it was", async () => {
    await expect(tg.noGrad(async () => {
      await tick();
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(tg.isGradEnabled()).toBe(true);
  });

  it("a non-async function returning a promise is refused with a clear error", () => {
    expect(() => tg.noGrad(() => Promise.resolve(1))).toThrow(/Pass an async function/);
    expect(tg.isGradEnabled()).toBe(true);
  });
});
