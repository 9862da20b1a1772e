import type { Tensor } from "../tensor";
import { Module } from "./module";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<never[], unknown>;

/** Runs its modules in order, each one's output being the next one's input (torch.nn.Sequential). */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...modules: AnyModule[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`${typeof m} is not a Module subclass`);
      this.addModule(String(i), m);
    });
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this._modules.values()) {
      if (m !== null) x = (m as unknown as (a: unknown) => unknown)(x);
    }
    return x as Tensor;
  }

  override get length(): number {
    return this._modules.size;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): AnyModule {
    const n = this._modules.size;
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`index ${i} is out of range`);
    return [...this._modules.values()][k] as AnyModule;
  }

  append(m: AnyModule): this {
    this.addModule(String(this._modules.size), m);
    return this;
  }

  *[Symbol.iterator](): Iterator<AnyModule> {
    for (const m of this._modules.values()) if (m !== null) yield m;
  }
}
