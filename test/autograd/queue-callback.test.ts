import { describe, expect, it } from "vitest";
import { tensor } from "../../ts/index";
import { queueCallback } from "../../ts/autograd/engine";

describe("queueCallback: run once the backward pass has finished all its nodes", () => {
  it("runs after every leaf's gradient and post-accumulate hook, once, and may queue more", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const log: string[] = [];
    let queued = false;
    for (const [name, t] of [["a", a], ["b", b]] as const) {
      t.registerPostAccumulateGradHook(() => {
        log.push(`hook ${name}`);
        if (!queued) {
          queued = true;
          queueCallback(() => {
            log.push(`end: a.grad=${String(a.grad?.tolist())} b.grad=${String(b.grad?.tolist())}`);
            queueCallback(() => log.push("queued by a callback"));
          });
        }
      });
    }
    a.mul(b).sum().backward();
    expect(log.slice(2)).toEqual(["end: a.grad=3,4 b.grad=1,2", "queued by a callback"]);
    expect(log.slice(0, 2).sort()).toEqual(["hook a", "hook b"]);
    queued = false;
    log.length = 0;
    a.mul(b).sum().backward();
    expect(log.filter((l) => l.startsWith("end"))).toEqual(["end: a.grad=6,8 b.grad=2,4"]);
  });

  it("is refused outside a backward pass, and a failed pass drops its callbacks", () => {
    expect(() => queueCallback(() => {})).toThrow("Final callbacks can only be installed during backward pass.");
    const a = tensor([1], { requiresGrad: true });
    let ran = false;
    a.registerPostAccumulateGradHook(() => {
      queueCallback(() => (ran = true));
      throw new Error("hook fails");
    });
    expect(() => a.mul(2).sum().backward()).toThrow("hook fails");
    expect(ran).toBe(false);
    expect(() => queueCallback(() => {})).toThrow("Final callbacks can only be installed during backward pass.");
  });
});
