import type { Tensor } from '../tensor/tensor.js';

/**
 * One recorded op: its inputs and how to turn the output's gradient into theirs
 * (null for an input that needs none). Written with ops, so gradients are tensors like any other.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Run fn without recording a graph (inference, optimizer updates).
 * @example
 * const y = tl.noGrad(() => model.predict(x));
 */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}
