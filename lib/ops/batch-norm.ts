import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt, normAxes } from '../tensor/shape.js';
import { reshape } from './reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, scalar, sub } from './elementwise-binary.js';
import { sqrt, square } from './elementwise-unary.js';
import { mean } from './reduce.js';

// Batch normalization over the last axis, written with ops: its gradients (through the batch mean and
// variance too, in training) are the ops' own. TODO(#6): a fused forward/backward kernel when measured to matter.

/**
 * Mean and (biased, as Keras and tfjs) variance of x over the given axes (default: every axis but the last,
 * per channel as batch normalization takes them; tensile/tfjs' moments defaults to all axes, as tfjs).
 * @example const { mean, variance } = tl.moments(x, [0, 1]); // over the batch and rows of [n, h, c]
 */
export function moments(x: TensorLike, axis?: number | readonly number[], keepDims = false): {
  /** The mean over the axes. */
  mean: Tensor;
  /** The variance over the axes (population: divided by n). */
  variance: Tensor;
} {
  const t = toTensor('moments', x);
  const axes = normAxes('moments', axis ?? t.shape.slice(0, -1).map((_, i) => i), t.shape);
  const m = mean(t, { axis: axes, keepDims: true });
  const variance = mean(square(sub(t, m)), { axis: axes, keepDims });
  return { mean: keepDims ? m : reshape(m, t.shape.filter((_, i) => !axes.includes(i))), variance };
}

/**
 * (x − mean)/√(variance + ε)·gamma + beta, each of shape [channels] broadcast over x's last axis; gamma, beta may be null.
 * @example tl.batchNorm(x, moments(x).mean, moments(x).variance, null, null, 1e-3)
 */
export function batchNorm(x: Tensor, m: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  const c = x.shape[x.rank - 1];
  for (const [name, t] of [['mean', m], ['variance', variance], ['gamma', gamma], ['beta', beta]] as const)
    if (t && (t.rank !== 1 || t.shape[0] !== c))
      throw new TensileError('batchNorm', `${name} must have shape [${c}] (the last axis of x ${fmt(x.shape)}), got ${fmt(t.shape)}`);
  // One scale per channel first: [c] work instead of [n·h·w·c].
  const inv = div(gamma ?? scalar(1), sqrt(add(variance, scalar(epsilon))));
  const y = mul(sub(x, m), inv);
  return beta ? add(y, beta) : y;
}
