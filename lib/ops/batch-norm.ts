import { defineOp, type Op } from '../autograd/define-op.js';
import { backend } from '../backend/index.js';
import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt, normAxes } from '../tensor/shape.js';
import { reshape } from './reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, scalar, sub } from './elementwise-binary.js';
import { sqrt, square } from './elementwise-unary.js';
import { mean } from './reduce.js';

// Batch normalization over the last axis. With given statistics (inference, or statistics of the caller's own)
// it is written with ops, their gradients the ops' own; in training (the batch's own statistics) one fused kernel
// each way (Backend.batchNorm, batchNormBackward), the gradient going through the batch mean and variance.

/**
 * Mean and (biased, as Keras and tfjs) variance of x over the given axes (default: every axis but the last,
 * per channel as batch normalization takes them; tensile/tfjs' moments defaults to all axes, as tfjs).
 * @example const { mean, variance } = tl.moments(x, [0, 1]); // over the batch and rows of [n, h, c]
 */
export function moments(
  x: TensorLike,
  axis?: number | readonly number[],
  keepDims = false,
): {
  /** The mean over the axes. */
  mean: Tensor;
  /** The variance over the axes (population: divided by n). */
  variance: Tensor;
} {
  const t = toTensor('moments', x);
  const axes = normAxes('moments', axis ?? t.shape.slice(0, -1).map((_, i) => i), t.shape);
  const m = mean(t, { axis: axes, keepDims: true });
  const variance = mean(square(sub(t, m)), { axis: axes, keepDims });
  return {
    mean: keepDims
      ? m
      : reshape(
          m,
          t.shape.filter((_, i) => !axes.includes(i)),
        ),
    variance,
  };
}

/**
 * (x − mean)/√(variance + ε)·gamma + beta, each of shape [channels] broadcast over x's last axis; gamma, beta may be null.
 * @example tl.batchNorm(x, moments(x).mean, moments(x).variance, null, null, 1e-3)
 */
export function batchNorm(
  x: Tensor,
  m: Tensor,
  variance: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  epsilon: number,
): Tensor {
  const c = x.shape[x.rank - 1];
  for (const [name, t] of [
    ['mean', m],
    ['variance', variance],
    ['gamma', gamma],
    ['beta', beta],
  ] as const)
    if (t && (t.rank !== 1 || t.shape[0] !== c))
      throw new TensileError(
        'batchNorm',
        `${name} must have shape [${c}] (the last axis of x ${fmt(x.shape)}), got ${fmt(t.shape)}`,
      );
  // One scale per channel first: [c] work instead of [n·h·w·c].
  const inv = div(gamma ?? scalar(1), sqrt(add(variance, scalar(epsilon))));
  const y = mul(sub(x, m), inv);
  return beta ? add(y, beta) : y;
}

const EMPTY = new Float32Array(0);

interface BatchStatsAttrs {
  readonly rows: number;
  readonly cols: number;
  readonly epsilon: number;
  /** Which of gamma, beta follow x in the inputs. */
  readonly hasGamma: boolean;
  readonly hasBeta: boolean;
  /** Filled by the forward pass: each column's batch mean, (biased) variance and 1/√(variance + ε). */
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly rstd: Float32Array;
}

const batchNormOp: Op<BatchStatsAttrs> = defineOp<BatchStatsAttrs>({
  name: 'batchNorm',
  outShape: ([x]) => x.shape,
  forward: (k, inputs, out, _s, a) => {
    const gamma = a.hasGamma ? inputs[1] : undefined,
      beta = a.hasBeta ? inputs[a.hasGamma ? 2 : 1] : undefined;
    k.batchNorm(
      inputs[0].raw,
      gamma?.raw ?? EMPTY,
      beta?.raw ?? EMPTY,
      out,
      a.mean,
      a.variance,
      a.rstd,
      a.rows,
      a.cols,
      a.epsilon,
    );
  },
  backward: (dy, inputs, _y, a) => {
    const [x] = inputs,
      gamma = a.hasGamma ? inputs[1] : undefined,
      beta = a.hasBeta ? inputs[a.hasGamma ? 2 : 1] : undefined;
    const grad = (t: Tensor | undefined) => (t?.requiresGrad ? new Tensor(new Float32Array(t.size), t.shape) : null);
    const [dx, dgamma, dbeta] = [grad(x), grad(gamma), grad(beta)];
    backend().batchNormBackward(
      x.raw,
      gamma?.raw ?? EMPTY,
      a.mean,
      a.rstd,
      dy.raw,
      { dx: dx?.raw ?? EMPTY, dgamma: dgamma?.raw ?? EMPTY, dbeta: dbeta?.raw ?? EMPTY },
      a.rows,
      a.cols,
    );
    return [dx, ...(gamma ? [dgamma] : []), ...(beta ? [dbeta] : [])];
  },
});

/**
 * Batch normalization in training: x normalized by its own batch mean and (biased) variance over every axis but the
 * last, ·gamma + beta ([channels] or null); the same numbers as batchNorm(x, moments(x)…) up to rounding, in one
 * kernel each way. Also gives the batch statistics (no gradient), for the moving averages.
 * @example const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3);
 */
export function batchNormTraining(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  epsilon: number,
  name = 'batchNorm',
): {
  /** The normalized x. */
  y: Tensor;
  /** The batch mean [channels]. */
  mean: Tensor;
  /** The batch (biased) variance [channels]. */
  variance: Tensor;
} {
  if (x.rank < 1) throw new TensileError(name, 'needs a tensor of rank ≥ 1, got a scalar');
  const cols = x.shape[x.rank - 1];
  for (const [what, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const)
    if (t && (t.rank !== 1 || t.shape[0] !== cols))
      throw new TensileError(
        name,
        `${what} must have shape [${cols}] (the last axis of x ${fmt(x.shape)}), got ${fmt(t.shape)}`,
      );
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon))
    throw new TensileError(name, `epsilon must be a non-negative number, got ${String(epsilon)}`);
  const rows = cols === 0 ? 0 : x.size / cols;
  const attrs: BatchStatsAttrs = {
    rows,
    cols,
    epsilon,
    hasGamma: gamma !== null,
    hasBeta: beta !== null,
    mean: new Float32Array(cols),
    variance: new Float32Array(cols),
    rstd: new Float32Array(cols),
  };
  const y = batchNormOp([x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])], attrs);
  return { y, mean: new Tensor(attrs.mean, [cols]), variance: new Tensor(attrs.variance, [cols]) };
}
