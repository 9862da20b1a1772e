import type { Tensor } from "../../tensor";
import { noGrad } from "../../autograd/grad-mode";
import { cat } from "../../ops/index";

/** The parameters flattened into one vector, in order (torch.nn.utils.parameters_to_vector); differentiable. */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = [...parameters];
  if (list.length === 0) throw new RangeError("parameters_to_vector(): expected a non-empty list of parameters");
  return cat(list.map((p) => p.reshape(-1)));
}

/** Copies slices of `vec` into the parameters' data, in order (torch.nn.utils.vector_to_parameters). */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (vec === null || typeof vec !== "object" || !("shape" in vec)) throw new TypeError(`expected torch.Tensor, but got: ${typeof vec}`);
  if (vec.ndim !== 1) throw new RangeError(`expected a 1-d vector, got shape [${vec.shape.join(", ")}]`);
  const list = [...parameters];
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (total !== vec.shape[0]) throw new RangeError(`vector of ${vec.shape[0]} elements does not match the parameters' ${total} elements`);
  noGrad(() => {
    let at = 0;
    for (const p of list) {
      const n = p.numel();
      p.data.copy_(vec.narrow(0, at, n).reshape(p.shape));
      at += n;
    }
  });
}
