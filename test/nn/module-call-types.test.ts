/**
 * A module's call is typed from its own forward: a subclass that writes no generics still gets `net(x): Tensor`
 * and rejects `net(a, a, a)`. (A forward taking or returning other than tensors still names its types in
 * `Module<In, Out>`, which the base forward checks it against.) The `@ts-expect-error` lines are checked by `tsc -p tsconfig.check.json` (an
 * unused one is an error, so each line must keep failing to compile); the runtime assertions check the calls.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { nn, Tensor, tensor } from "../../ts/index";

class Net extends nn.Module {
  fc = new nn.Linear(2, 1);
  override forward(x: Tensor): Tensor {
    return this.fc(x);
  }
}

class Pair extends nn.Module<[Tensor, Tensor?], [Tensor, Tensor]> {
  override forward(a: Tensor, b?: Tensor): [Tensor, Tensor] {
    return [a, b ?? a];
  }
}

class Scale extends nn.Module<[Tensor, { factor: number }]> {
  override forward(x: Tensor, opts: { factor: number }): Tensor {
    return x.mul(opts.factor);
  }
}

class Explicit extends nn.Module<[Tensor, Tensor], Tensor> {
  override forward(a: Tensor, b: Tensor): Tensor {
    return a.add(b);
  }
}

const a = tensor([[1, 2]]);

describe("Module call signature typed from forward", () => {
  it("an untyped subclass's call takes forward's parameters and returns its result", () => {
    const net = new Net();
    expectTypeOf(net).parameters.toEqualTypeOf<[x: Tensor]>();
    expectTypeOf(net).returns.toEqualTypeOf<Tensor>();
    expect(net(a).shape).toEqual([1, 1]);
    // @ts-expect-error forward takes one tensor
    expect(() => net(a, a, a)).not.toThrow(); // extra arguments are ignored at runtime, as in JavaScript
    // @ts-expect-error forward takes a tensor, not a number
    expect(() => net(1)).toThrow();
    // @ts-expect-error forward needs its argument
    expect(() => net()).toThrow();
  });

  it("optional parameters, options objects and tuple results carry over from forward's own names", () => {
    const pair = new Pair();
    expectTypeOf(pair).parameters.toEqualTypeOf<[a: Tensor, b?: Tensor]>();
    expectTypeOf(pair).returns.toEqualTypeOf<[Tensor, Tensor]>();
    expect(pair(a)[1]).toBe(a);
    const scale = new Scale();
    expectTypeOf(scale).returns.toEqualTypeOf<Tensor>();
    expect(scale(a, { factor: 2 }).tolist()).toEqual([[2, 4]]);
    // @ts-expect-error the options object is required by forward
    expect(() => scale(a)).toThrow();
  });

  it("explicit generics, built-in layers and containers keep their types", () => {
    const ex = new Explicit();
    expectTypeOf(ex).parameters.toEqualTypeOf<[a: Tensor, b: Tensor]>();
    expect(ex(a, a).tolist()).toEqual([[2, 4]]);
    const lin = new nn.Linear(2, 3);
    expectTypeOf(lin).returns.toEqualTypeOf<Tensor>();
    // @ts-expect-error Linear takes one input
    lin(a, a);
    const seq = new nn.Sequential(new Net(), new nn.ReLU());
    expectTypeOf(seq).returns.toEqualTypeOf<Tensor>();
    expect(seq(a).shape).toEqual([1, 1]);
    const mse = new nn.MSELoss();
    expectTypeOf(mse).parameters.toEqualTypeOf<[input: Tensor, target: Tensor]>();
  });

  it("a subclass is assignable to the Module types used for unknown modules", () => {
    const asModule: nn.Module = new Net();
    expectTypeOf(asModule).returns.toEqualTypeOf<Tensor>();
    const one: nn.Module<[Tensor], Tensor> = new Net();
    expect(one(a).shape).toEqual([1, 1]);
    // @ts-expect-error a two-input module is not a one-input module
    const wrong: nn.Module<[Tensor], Tensor> = new Explicit();
    expect(wrong).toBeInstanceOf(nn.Module);
  });

  it("generic code calls a module through its declared Module type", () => {
    function apply<M extends nn.Module<[Tensor], Tensor>>(m: M, x: Tensor): Tensor {
      const call: nn.Module<[Tensor], Tensor> = m;
      return call(x);
    }
    expect(apply(new Net(), a).shape).toEqual([1, 1]);
  });
});
