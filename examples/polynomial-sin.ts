/**
 * PyTorch's "Learning PyTorch with Examples": fit y = sin(x) on [-π, π] with a third-order polynomial, six ways —
 * tensors with hand-written gradients, autograd, a custom autograd.Function (LegendrePolynomial3),
 * nn.Sequential + Flatten with MSELoss(reduction "sum"), optim.RMSprop, and the random-depth DynamicNet.
 * Each variant prints its loss every 100 steps (DynamicNet every 2000) and the tutorial's "Result: y = ..." line.
 * The tutorial does not seed; here each variant starts from manualSeed(0) (and Python's random.seed(0) for
 * DynamicNet), so the numbers are PyTorch 1.13's (test/reference/gen_polynomial_sin.py).
 * Run: npm run example polynomial-sin [-- --quick]
 */
import { type Tensor, autograd, full, linspace, manualSeed, nn, noGrad, optim, randn, tensor } from "tensorgrad";
import { quick, type RunOptions } from "./lib/args";

/** What one variant logged: [step, loss] every 100 steps, and its final line. */
export interface Fit {
  losses: [number, number][];
  result: string;
}

export interface FitOptions {
  /** Training steps (the tutorial's 2000, 30,000 for DynamicNet). */
  steps?: number;
  /** Print the tutorial's lines (default true). */
  verbose?: boolean;
}

/** Python's repr of a float, as the tutorial's print and f-strings show it: 3238.300537109375, 1.3e-09, 5.0. */
export function pyRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (v !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

const sinData = () => {
  const x = linspace(-Math.PI, Math.PI, 2000);
  return { x, y: x.sin() };
};

/** Runs a loop body, logging every `every` steps as the tutorial's `if t % 100 == 99: print(t, loss)`. */
function logger(verbose: boolean, every = 100) {
  const losses: [number, number][] = [];
  return {
    losses,
    log(t: number, loss: () => number): void {
      if (t % 100 !== 99) return;
      const l = loss();
      losses.push([t, l]);
      if (verbose && t % every === every - 1) console.log(t, pyRepr(l));
    },
  };
}

function finish(verbose: boolean, losses: [number, number][], result: string): Fit {
  if (verbose) console.log(result);
  return { losses, result };
}

const polyResult = (a: number, b: number, c: number, d: number) =>
  `Result: y = ${pyRepr(a)} + ${pyRepr(b)} x + ${pyRepr(c)} x^2 + ${pyRepr(d)} x^3`;

/** (1) Tensors: forward and backward passes written by hand. */
export function tensorsByHand({ steps = 2000, verbose = true }: FitOptions = {}): Fit {
  manualSeed(0);
  const { x, y } = sinData();
  const [a, b, c, d] = [randn([]), randn([]), randn([]), randn([])];
  const learningRate = 1e-6;
  const { losses, log } = logger(verbose);
  for (let t = 0; t < steps; t++) {
    const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
    const loss = yPred.sub(y).pow(2).sum().item();
    log(t, () => loss);
    const gradYPred = yPred.sub(y).mul(2.0);
    const gradA = gradYPred.sum();
    const gradB = gradYPred.mul(x).sum();
    const gradC = gradYPred.mul(x.pow(2)).sum();
    const gradD = gradYPred.mul(x.pow(3)).sum();
    a.sub_(gradA.mul(learningRate));
    b.sub_(gradB.mul(learningRate));
    c.sub_(gradC.mul(learningRate));
    d.sub_(gradD.mul(learningRate));
  }
  return finish(verbose, losses, polyResult(a.item(), b.item(), c.item(), d.item()));
}

/** Manual updates of leaves, as the tutorial's `with torch.no_grad(): a -= learning_rate * a.grad; a.grad = None`. */
function sgdByHand(params: Tensor[], learningRate: number): void {
  noGrad(() => {
    for (const p of params) {
      p.sub_((p.grad as Tensor).mul(learningRate));
      p.grad = null;
    }
  });
}

/** (2) Autograd computes the gradients. */
export function autogradFit({ steps = 2000, verbose = true }: FitOptions = {}): Fit {
  manualSeed(0);
  const { x, y } = sinData();
  const params = [0, 1, 2, 3].map(() => randn([], { requiresGrad: true }));
  const [a, b, c, d] = params;
  const { losses, log } = logger(verbose);
  for (let t = 0; t < steps; t++) {
    const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
    const loss = yPred.sub(y).pow(2).sum();
    log(t, () => loss.item());
    loss.backward();
    sgdByHand(params, 1e-6);
  }
  return finish(verbose, losses, polyResult(a.item(), b.item(), c.item(), d.item()));
}

/** P3(x) = ½(5x³ − 3x), the Legendre polynomial of degree 3, with its derivative written by hand. */
export class LegendrePolynomial3 extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }

  static override backward(ctx: autograd.FunctionCtx, gradOutput: Tensor): Tensor {
    const [input] = ctx.savedTensors as Tensor[];
    return gradOutput.mul(1.5).mul(input.pow(2).mul(5).sub(1));
  }
}

/** (3) A custom autograd.Function: y = a + b·P3(c + d·x), from the tutorial's starting point (no randomness). */
export function customFunction({ steps = 2000, verbose = true }: FitOptions = {}): Fit {
  const { x, y } = sinData();
  const params = [0.0, -1.0, 0.0, 0.3].map((v) => full([], v, { requiresGrad: true }));
  const [a, b, c, d] = params;
  const { losses, log } = logger(verbose);
  for (let t = 0; t < steps; t++) {
    const P3 = LegendrePolynomial3.apply;
    const yPred = a.add(b.mul(P3(c.add(d.mul(x))) as Tensor));
    const loss = yPred.sub(y).pow(2).sum();
    log(t, () => loss.item());
    loss.backward();
    sgdByHand(params, 5e-6);
  }
  return finish(verbose, losses, `Result: y = ${pyRepr(a.item())} + ${pyRepr(b.item())} * P3(${pyRepr(c.item())} + ${pyRepr(d.item())} x)`);
}

/** The nn variants' model: (x, x², x³) → Linear(3, 1) → Flatten(0, 1), so the output has y's shape. */
function polynomialModel() {
  const { x, y } = sinData();
  const p = tensor([1, 2, 3]);
  const xx = x.unsqueeze(-1).pow(p);
  const model = new nn.Sequential(new nn.Linear(3, 1), new nn.Flatten(0, 1));
  const linearResult = () => {
    const linear = model.at(0) as nn.Linear;
    const w = (i: number) => pyRepr(linear.weight.at(0, i).item());
    return `Result: y = ${pyRepr((linear.bias as Tensor).item())} + ${w(0)} x + ${w(1)} x^2 + ${w(2)} x^3`;
  };
  return { xx, y, model, lossFn: new nn.MSELoss({ reduction: "sum" }), linearResult };
}

/** (4) nn.Sequential with MSELoss(reduction "sum") and manual updates of model.parameters(). */
export function nnSequential({ steps = 2000, verbose = true }: FitOptions = {}): Fit {
  manualSeed(0);
  const { xx, y, model, lossFn, linearResult } = polynomialModel();
  const learningRate = 1e-6;
  const { losses, log } = logger(verbose);
  for (let t = 0; t < steps; t++) {
    const loss = lossFn(model(xx), y);
    log(t, () => loss.item());
    model.zeroGrad();
    loss.backward();
    noGrad(() => {
      for (const param of model.parameters()) param.sub_((param.grad as Tensor).mul(learningRate));
    });
  }
  return finish(verbose, losses, linearResult());
}

/** (5) The same model trained by optim.RMSprop(lr 1e-3). */
export function optimRMSprop({ steps = 2000, verbose = true }: FitOptions = {}): Fit {
  manualSeed(0);
  const { xx, y, model, lossFn, linearResult } = polynomialModel();
  const optimizer = new optim.RMSprop(model.parameters(), { lr: 1e-3 });
  const { losses, log } = logger(verbose);
  for (let t = 0; t < steps; t++) {
    const loss = lossFn(model(xx), y);
    log(t, () => loss.item());
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return finish(verbose, losses, linearResult());
}

/**
 * Python's `random` module (MT19937 seeded by init_by_array, randint by rejection on getrandbits), for the depth
 * DynamicNet draws with `random.randint(4, 6)`: tensorgrad's own generator is torch's, which that stream is not.
 * With it the example draws Python's exact depths, so nothing here differs from PyTorch's run.
 */
export class PyRandom {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    // random.seed(n) for a non-negative n < 2**32: init_by_array with the key [n].
    this.initGenrand(19650218);
    const key = [seed >>> 0];
    const mt = this.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(624, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) mt[i] = (Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0;
    this.index = 624;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.randint(lo, hi), both ends included (a range of at most 2**31 values). */
  randint(lo: number, hi: number): number {
    const n = hi - lo + 1;
    const k = 32 - Math.clz32(n);
    let r: number;
    do r = this.next32() >>> (32 - k);
    while (r >= n);
    return lo + r;
  }
}

/** (6) Control flow and weight sharing: each forward adds the x⁴ and x⁵ terms (sharing e) with a random depth. */
export class DynamicNet extends nn.Module<[Tensor], Tensor> {
  a = new nn.Parameter(randn([]));
  b = new nn.Parameter(randn([]));
  c = new nn.Parameter(randn([]));
  d = new nn.Parameter(randn([]));
  e = new nn.Parameter(randn([]));

  constructor(private readonly random: PyRandom) {
    super();
  }

  override forward(x: Tensor): Tensor {
    let y = this.a.add(this.b.mul(x)).add(this.c.mul(x.pow(2))).add(this.d.mul(x.pow(3)));
    // Drawn once per forward, as Python's range(4, random.randint(4, 6)) evaluates its bound once.
    const end = this.random.randint(4, 6);
    for (let exp = 4; exp < end; exp++) y = y.add(this.e.mul(x.pow(exp)));
    return y;
  }

  string(): string {
    const [a, b, c, d, e] = [this.a, this.b, this.c, this.d, this.e].map((p) => pyRepr(p.item()));
    return `y = ${a} + ${b} x + ${c} x^2 + ${d} x^3 + ${e} x^4 ? + ${e} x^5 ?`;
  }
}

/** DynamicNet trained by SGD(lr 1e-8, momentum 0.9) for 30,000 steps, printing every 2000. */
export function dynamicNet({ steps = 30_000, verbose = true }: FitOptions = {}): Fit {
  manualSeed(0);
  const { x, y } = sinData();
  const model = new DynamicNet(new PyRandom(0));
  const criterion = new nn.MSELoss({ reduction: "sum" });
  const optimizer = new optim.SGD(model.parameters(), { lr: 1e-8, momentum: 0.9 });
  const { losses, log } = logger(verbose, 2000);
  for (let t = 0; t < steps; t++) {
    const loss = criterion(model(x), y);
    log(t, () => loss.item());
    // PyTorch 1.13's zero_grad() zeroes instead of setting to None (tensorgrad's default is 2.x's): at a depth of 4,
    // e's gradient is then 0 rather than absent, so SGD still moves e by its momentum, as in the tutorial's run.
    optimizer.zeroGrad(false);
    loss.backward();
    optimizer.step();
  }
  return finish(verbose, losses, `Result: ${model.string()}`);
}

export const variants: [string, (o: FitOptions) => Fit][] = [
  ["tensors, gradients by hand", tensorsByHand],
  ["autograd", autogradFit],
  ["custom autograd.Function (LegendrePolynomial3)", customFunction],
  ["nn.Sequential + MSELoss(reduction sum)", nnSequential],
  ["optim.RMSprop", optimRMSprop],
  ["DynamicNet (control flow + weight sharing)", dynamicNet],
];

export function main(opts: RunOptions = {}): Record<string, Fit> {
  const verbose = opts.verbose ?? true;
  const out: Record<string, Fit> = {};
  for (const [name, fit] of variants) {
    if (verbose) console.log(`== ${name} ==`);
    const steps = opts.quick ? (fit === dynamicNet ? 2000 : 500) : undefined;
    out[name] = fit({ steps, verbose });
    if (!verbose) console.log(`${name}: ${out[name].result}`);
  }
  return out;
}

if (require.main === module) main({ quick });
