/**
 * The engine's ready list is a heap ordered by node creation (latest first, as PyTorch). These tests pin the
 * order nodes run in and the gradients of wide nodes; how fast a wide backward is, bench/wide-graph.ts says.
 */
import { describe, expect, it } from "vitest";
import { ones, stack, type Tensor } from "../../ts/index";
import { Node } from "../../ts/autograd/node";
import { ReadyHeap, runBackward } from "../../ts/autograd/engine";

/** A tensor whose gradFn records when it runs and passes its gradient to every input. */
function recorded(name: string, inputs: Tensor[], order: string[]): Tensor {
  const t = ones([1]);
  t._gradFn = new Node(name, inputs, [], (g) => {
    order.push(name);
    return inputs.map(() => g);
  });
  t._requiresGrad = true;
  return t;
}

/** The order the engine ran in before the heap: a linear scan for the highest seq among ready nodes. */
function scanOrder(root: Node): string[] {
  const deps = new Map<Node, number>();
  const seen = new Set<Node>([root]);
  const todo = [root];
  while (todo.length > 0) {
    for (const e of todo.pop()!.next) {
      if (e === null) continue;
      deps.set(e, (deps.get(e) ?? 0) + 1);
      if (!seen.has(e)) {
        seen.add(e);
        todo.push(e);
      }
    }
  }
  const order: string[] = [];
  const ready = [root];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (ready[i].seq > ready[best].seq) best = i;
    const n = ready.splice(best, 1)[0];
    if (n.name !== "AccumulateGrad") order.push(n.name);
    for (const e of n.next) {
      if (e === null) continue;
      const d = deps.get(e)! - 1;
      deps.set(e, d);
      if (d === 0) ready.push(e);
    }
  }
  return order;
}

/** Deterministic pseudo-random integers in [0, n). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe("autograd engine: ready order", () => {
  it("ReadyHeap pops the highest seq first under interleaved pushes and pops", () => {
    const rand = lcg(7);
    const nodes = Array.from({ length: 500 }, (_, i) => new Node(`n${i}`, [], [], null));
    const heap = new ReadyHeap();
    const model: Node[] = [];
    const pending = nodes.slice();
    for (let i = pending.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [pending[i], pending[j]] = [pending[j], pending[i]];
    }
    const popped: number[] = [];
    const expected: number[] = [];
    while (pending.length > 0 || heap.size > 0) {
      if (pending.length > 0 && (heap.size === 0 || rand(3) > 0)) {
        const n = pending.pop()!;
        heap.push(n);
        model.push(n);
      } else {
        model.sort((a, b) => a.seq - b.seq);
        expected.push(model.pop()!.seq);
        popped.push(heap.pop().seq);
      }
      expect(heap.size).toBe(model.length);
    }
    expect(popped).toEqual(expected);
    expect(popped).toHaveLength(500);
  });

  it("a wide node's inputs run latest-created first", () => {
    const order: string[] = [];
    const x = ones([1], { requiresGrad: true });
    const steps = Array.from({ length: 3000 }, (_, i) => recorded(`step${i}`, [x], order));
    const wide = recorded("stack", steps, order);
    const root = recorded("loss", [wide], order);
    runBackward([root._gradFn!], [ones([1])], { retainGraph: false, createGraph: false });
    const expected = ["loss", "stack", ...steps.map((_, i) => `step${i}`).reverse()];
    expect(order).toEqual(expected);
    expect(x.grad!.item()).toBe(3000);
  });

  it("random graphs run in the same order as the linear scan did", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = lcg(seed);
      const order: string[] = [];
      const leaves = [ones([1], { requiresGrad: true }), ones([1], { requiresGrad: true })];
      const made: Tensor[] = [...leaves];
      for (let i = 0; i < 60; i++) {
        const k = 1 + rand(4);
        const inputs = Array.from({ length: k }, () => made[rand(made.length)]);
        made.push(recorded(`n${i}`, inputs, order));
      }
      // The root reads every node so each one runs.
      const root = recorded("root", made.slice(2), order);
      const expected = scanOrder(root._gradFn!);
      runBackward([root._gradFn!], [ones([1])], { retainGraph: false, createGraph: false });
      expect(order).toEqual(expected);
    }
  });

  it("stacking many per-step results gives each input its gradient", () => {
    const n = 20_000;
    const x = ones([4], { dtype: "float64", requiresGrad: true });
    const ys: Tensor[] = [];
    for (let i = 0; i < n; i++) ys.push(x.mul(i + 1));
    stack(ys).sum().backward();
    expect(x.grad!.tolist()).toEqual(new Array(4).fill((n * (n + 1)) / 2));
  });
});
