import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled, noGrad } from './graph.js';

/**
 * A composite computed without recording its inner graph, with a hand-written gradient:
 * for numerical stability (fused softmax + crossentropy) or speed, where the ops' own gradients would do worse.
 */
export function withCustomGradient(
  name: string,
  inputs: readonly Tensor[],
  compute: () => { value: Tensor; backward: (dy: Tensor) => readonly (Tensor | null)[] },
): Tensor {
  const { value, backward } = noGrad(compute);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    value.requiresGrad = true;
    value.node = { op: name, inputs, backward };
  }
  return value;
}
