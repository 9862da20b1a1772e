/**
 * The bounds nn.Linear's reset_parameters passes to uniform_, computed in doubles exactly as
 * torch.nn.init does; uniform() then casts them to the parameter's dtype.
 */

/** kaiming_uniform_(w, a): bound = √3 · gain / √fan_in, gain = √(2 / (1 + a²)) (leaky_relu). */
export function kaimingUniformBound(fanIn: number, a = Math.sqrt(5)): number {
  // a * a, not a ** 2: Python's float power is glibc pow, which rounds x² exactly as x·x does.
  const gain = Math.sqrt(2.0 / (1 + a * a));
  const std = gain / Math.sqrt(fanIn);
  return Math.sqrt(3.0) * std;
}

/** nn.Linear's bias bound: 1 / √fan_in (0 when fan_in is 0). */
export function linearBiasBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}
