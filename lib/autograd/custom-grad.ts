import type { Tensor } from '../tensor/tensor.js';
import { checkFinite, debugEnabled, tracedBackward } from './debug.js';
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
  if (debugEnabled) checkFinite(name, inputs, value.raw, value.shape);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    value.requiresGrad = true;
    value.node = {
      op: name,
      inputs,
      backward: debugEnabled ? tracedBackward(name, checkedBackward(name, inputs, backward)) : backward,
    };
  }
  return value;
}

/** A hand-written gradient is not made of ops: check its results itself (debug mode). */
function checkedBackward(
  name: string,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
) {
  return (dy: Tensor): readonly (Tensor | null)[] => {
    const grads = backward(dy);
    for (const g of grads) if (g) checkFinite(name, [dy, ...inputs], g.raw, g.shape);
    return grads;
  };
}
