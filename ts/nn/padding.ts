/**
 * The padding layers (ConstantPad1d/2d/3d, ZeroPad2d, ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d): thin
 * modules over nn.functional.pad. An int pads every side; an array is the pad list, last dim first.
 */
import type { Tensor } from "../tensor";
import { intsArg, numberArg } from "../ops/args";
import { pad, type PadMode } from "../ops/pad";
import { Module } from "./module";
import { pyRepr } from "./normalization";

export type Padding = number | readonly number[];

abstract class PadNd extends Module<[Tensor], Tensor> {
  readonly padding: number[];
  constructor(padding: Padding, dims: number, readonly mode: PadMode, readonly value: number) {
    super();
    const p = intsArg(padding, new.target.name, "padding", 1);
    this.padding = typeof p === "number" ? new Array<number>(2 * dims).fill(p) : [...p];
  }
  override forward(input: Tensor): Tensor {
    return pad(input, this.padding, this.mode, this.mode === "constant" ? this.value : undefined);
  }
  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}

abstract class ConstantPadNd extends PadNd {
  constructor(padding: Padding, value: number, dims: number) {
    super(padding, dims, "constant", numberArg(value, new.target.name, "value", 2));
  }
  override extraRepr(): string {
    return `padding=(${this.padding.join(", ")}), value=${pyRepr(this.value)}`;
  }
}

export class ConstantPad1d extends ConstantPadNd {
  constructor(padding: Padding, value: number) {
    super(padding, value, 1);
  }
}
export class ConstantPad2d extends ConstantPadNd {
  constructor(padding: Padding, value: number) {
    super(padding, value, 2);
  }
}
export class ConstantPad3d extends ConstantPadNd {
  constructor(padding: Padding, value: number) {
    super(padding, value, 3);
  }
}
export class ZeroPad2d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 2, "constant", 0);
  }
}
export class ReflectionPad1d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 1, "reflect", 0);
  }
}
export class ReflectionPad2d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 2, "reflect", 0);
  }
}
export class ReflectionPad3d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 3, "reflect", 0);
  }
}
export class ReplicationPad1d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 1, "replicate", 0);
  }
}
export class ReplicationPad2d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 2, "replicate", 0);
  }
}
export class ReplicationPad3d extends PadNd {
  constructor(padding: Padding) {
    super(padding, 3, "replicate", 0);
  }
}
