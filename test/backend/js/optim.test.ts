import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsBackend } from "../../../ts/backend/js/index.js";
import type { AdamArgs, SgdArgs } from "../../../ts/backend/types.js";

const sgdDefaults: SgdArgs = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: true };
const adamDefaults: AdamArgs = {
  lr: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  amsgrad: false,
  maximize: false,
  step: 1,
};

describe("jsBackend.sgdStep (float64, by hand)", () => {
  it("plain step: p -= lr·g", () => {
    const p = new Float64Array([1, -2]);
    jsBackend.sgdStep(p, new Float64Array([0.5, 0.25]), null, sgdDefaults);
    expect(Array.from(p)).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * 0.25]);
  });

  it("weight decay adds wd·p to the gradient; maximize negates the gradient first", () => {
    const p = new Float64Array([2]);
    jsBackend.sgdStep(p, new Float64Array([0.5]), null, { ...sgdDefaults, weightDecay: 0.1, maximize: true });
    expect(p[0]).toBe(2 - 0.1 * (-0.5 + 0.1 * 2));
  });

  it("momentum: the buffer starts as the gradient, then buf = m·buf + (1−dampening)·g", () => {
    const p = new Float64Array([1]);
    const buf = new Float64Array([123]);
    const args = { ...sgdDefaults, momentum: 0.9, dampening: 0.25 };
    jsBackend.sgdStep(p, new Float64Array([0.5]), buf, { ...args, firstStep: true });
    expect(buf[0]).toBe(0.5);
    expect(p[0]).toBe(1 - 0.1 * 0.5);
    jsBackend.sgdStep(p, new Float64Array([0.2]), buf, { ...args, firstStep: false });
    const b2 = 0.9 * 0.5 + 0.75 * 0.2;
    expect(buf[0]).toBe(b2);
    expect(p[0]).toBe(1 - 0.1 * 0.5 - 0.1 * b2);
  });

  it("nesterov steps along g + m·buf", () => {
    const p = new Float64Array([1]);
    const buf = new Float64Array(1);
    const args = { ...sgdDefaults, momentum: 0.9, nesterov: true };
    jsBackend.sgdStep(p, new Float64Array([0.5]), buf, args);
    expect(p[0]).toBe(1 - 0.1 * (0.5 + 0.9 * 0.5));
    jsBackend.sgdStep(p, new Float64Array([0.2]), buf, { ...args, firstStep: false });
    const b2 = 0.9 * 0.5 + 0.2;
    expect(p[0]).toBe(1 - 0.1 * (0.5 + 0.9 * 0.5) - 0.1 * (0.2 + 0.9 * b2));
  });

  it("rejects mismatched state and a missing momentum buffer", () => {
    expect(() => jsBackend.sgdStep(new Float64Array(2), new Float64Array(3), null, sgdDefaults)).toThrow(/length/);
    expect(() => jsBackend.sgdStep(new Float64Array(2), new Float64Array(2), null, { ...sgdDefaults, momentum: 0.9 })).toThrow(/momentum/);
  });
});

/** Adam as written in torch/optim/adam.py, one scalar at a time. */
function adamByHand(p: number, grads: number[], a: AdamArgs): number {
  let m = 0;
  let v = 0;
  let vMax = 0;
  grads.forEach((g0, t) => {
    const step = t + 1;
    let g = a.maximize ? -g0 : g0;
    if (a.weightDecay !== 0) {
      if (a.decoupled) p = p * (1 - a.lr * a.weightDecay);
      else g = g + a.weightDecay * p;
    }
    m = m * a.beta1 + (1 - a.beta1) * g;
    v = v * a.beta2 + (1 - a.beta2) * g * g;
    vMax = Math.max(vMax, v);
    const bc1 = 1 - a.beta1 ** step;
    const bc2 = 1 - a.beta2 ** step;
    const denom = Math.sqrt(a.amsgrad ? vMax : v) / Math.sqrt(bc2) + a.eps;
    p = p - ((a.lr / bc1) * m) / denom;
  });
  return p;
}

describe("jsBackend.adamStep (float64, by hand)", () => {
  const options: [string, Partial<AdamArgs>][] = [
    ["defaults", {}],
    ["L2 weight decay", { weightDecay: 0.1 }],
    ["AdamW decoupled decay", { weightDecay: 0.1, decoupled: true }],
    ["amsgrad", { amsgrad: true, beta1: 0.8, beta2: 0.9 }],
    ["maximize", { maximize: true }],
  ];
  for (const [name, extra] of options) {
    it(`two steps with ${name}`, () => {
      const args = { ...adamDefaults, ...extra };
      const p0 = [0.5, -1.5, 2];
      const grads = [
        [0.3, -0.1, 0.7],
        [-0.2, -0.4, 0.05],
      ];
      const p = Float64Array.from(p0);
      const m = new Float64Array(3);
      const v = new Float64Array(3);
      const vMax = args.amsgrad ? new Float64Array(3) : null;
      grads.forEach((g, t) => jsBackend.adamStep(p, Float64Array.from(g), m, v, vMax, { ...args, step: t + 1 }));
      for (let i = 0; i < 3; i++) {
        const expected = adamByHand(p0[i], [grads[0][i], grads[1][i]], args);
        expect(Math.abs(p[i] - expected)).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(expected)));
      }
    });
  }

  it("amsgrad keeps the running max of exp_avg_sq", () => {
    const p = new Float64Array([1]);
    const m = new Float64Array(1);
    const v = new Float64Array(1);
    const vMax = new Float64Array(1);
    const args = { ...adamDefaults, amsgrad: true };
    jsBackend.adamStep(p, new Float64Array([1]), m, v, vMax, { ...args, step: 1 });
    jsBackend.adamStep(p, new Float64Array([0]), m, v, vMax, { ...args, step: 2 });
    expect(vMax[0]).toBeCloseTo(0.001, 15);
    expect(v[0]).toBeLessThan(vMax[0]);
  });
});

interface Fixture {
  p0: number[];
  grads: number[][];
  cases: { kind: "sgd" | "adam" | "adamw"; options: Record<string, number | boolean | number[]>; steps: number[][] }[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/optim-reference.json", import.meta.url), "utf8")) as Fixture;

describe("optimizer steps on float32 match PyTorch 1.13 bit for bit (fixtures/optim-reference.json)", () => {
  for (const c of fixture.cases) {
    it(`${c.kind} ${JSON.stringify(c.options)}`, () => {
      const o = c.options;
      const n = fixture.p0.length;
      const p = Float32Array.from(fixture.p0);
      const buf = new Float32Array(n);
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const vMax = new Float32Array(n);
      const betas = (o.betas as number[] | undefined) ?? [0.9, 0.999];
      c.steps.forEach((expected, t) => {
        const g = Float32Array.from(fixture.grads[t]);
        if (c.kind === "sgd") {
          const momentum = (o.momentum as number | undefined) ?? 0;
          jsBackend.sgdStep(p, g, momentum !== 0 ? buf : null, {
            lr: o.lr as number,
            momentum,
            dampening: (o.dampening as number | undefined) ?? 0,
            weightDecay: (o.weight_decay as number | undefined) ?? 0,
            nesterov: o.nesterov === true,
            maximize: o.maximize === true,
            firstStep: t === 0,
          });
        } else {
          jsBackend.adamStep(p, g, m, v, o.amsgrad === true ? vMax : null, {
            lr: o.lr as number,
            beta1: betas[0],
            beta2: betas[1],
            eps: (o.eps as number | undefined) ?? 1e-8,
            weightDecay: (o.weight_decay as number | undefined) ?? (c.kind === "adamw" ? 0.01 : 0),
            decoupled: c.kind === "adamw",
            amsgrad: o.amsgrad === true,
            maximize: o.maximize === true,
            step: t + 1,
          });
        }
        for (let i = 0; i < n; i++) {
          expect(p[i]).toBe(expected[i]);
        }
      });
    });
  }
});
