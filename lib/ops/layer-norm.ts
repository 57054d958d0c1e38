import { defineOp, type Op } from '../autograd/define-op.js';
import { backend } from '../backend/index.js';
import { TensileError } from '../errors.js';
import { fmt, normAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const EMPTY = new Float32Array(0);

/** x, gamma, beta from the inputs [x, gamma?, beta?]. */
const params = (inputs: readonly Tensor[], a: LayerNormAttrs): [Tensor, Tensor | undefined, Tensor | undefined] => [
  inputs[0],
  a.hasGamma ? inputs[1] : undefined,
  a.hasBeta ? inputs[a.hasGamma ? 2 : 1] : undefined,
];

interface LayerNormAttrs {
  readonly rows: number;
  readonly cols: number;
  readonly epsilon: number;
  /** Which of gamma, beta follow x in the inputs. */
  readonly hasGamma: boolean;
  readonly hasBeta: boolean;
  /** Filled by the forward pass for the backward one: each row's mean and 1/√(var + ε). */
  readonly mean: Float32Array;
  readonly rstd: Float32Array;
}

// One fused kernel each way (Backend.layerNorm, layerNormBackward): the statistics are computed once and kept.
const layerNormOp: Op<LayerNormAttrs> = defineOp<LayerNormAttrs>({
  name: 'layerNorm',
  outShape: ([x]) => x.shape,
  forward: (k, inputs, out, _s, a) => {
    const [x, gamma, beta] = params(inputs, a);
    k.layerNorm(x.raw, gamma?.raw ?? EMPTY, beta?.raw ?? EMPTY, out, a.mean, a.rstd, a.rows, a.cols, a.epsilon);
  },
  backward: (dy, inputs, _y, a) => {
    const [x, gamma, beta] = params(inputs, a);
    const grad = (t: Tensor | undefined) => (t?.requiresGrad ? new Tensor(new Float32Array(t.size), t.shape) : null);
    const [dx, dgamma, dbeta] = [grad(x), grad(gamma), grad(beta)];
    backend().layerNormBackward(
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

/** Options of tl.layerNorm. */
export interface LayerNormOptions {
  /** The trailing axes normalized over, as one axis or a list (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3, Keras' default). */
  epsilon?: number;
  /** The name errors give (a layer's name; default 'layerNorm'). */
  name?: string;
}

/** The sorted, non-negative axes of a layer norm, checked to be the trailing ones (the fused kernel normalizes rows). */
export function layerNormAxes(op: string, shape: readonly number[], axis: number | readonly number[] = -1): number[] {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  if (list.length === 0) throw new TensileError(op, 'axis must name at least one axis');
  const axes = [...new Set(list.map((a) => normAxis(op, a, shape)))].sort((p, q) => p - q);
  if (axes.some((a, i) => a !== shape.length - axes.length + i))
    throw new TensileError(
      op,
      `normalizes over trailing axes only (such as -1, or [-2, -1]); got axis ${JSON.stringify(axis)} for shape ${fmt(shape)}`,
    );
  return axes;
}

/**
 * Layer normalization: (x − mean)/√(variance + ε)·gamma + beta with mean and (biased) variance over the trailing
 * axes of each sample, gamma and beta (or null) of those axes' shape; one fused kernel each way.
 * @example tl.layerNorm(tl.tensor([[1, 2, 3]]), null, null) // ≈ [[-1.2238, 0, 1.2238]] (ε = 1e-3)
 */
export function layerNorm(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  options: LayerNormOptions = {},
): Tensor {
  const op = options.name ?? 'layerNorm';
  if (!(x instanceof Tensor)) throw new TensileError(op, `expects a Tensor, got ${typeof x}`);
  if (x.rank === 0) throw new TensileError(op, 'needs a tensor of rank ≥ 1, got a scalar');
  const epsilon = options.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon))
    throw new TensileError(op, `epsilon must be a non-negative number, got ${String(epsilon)}`);
  const axes = layerNormAxes(op, x.shape, options.axis);
  const paramShape = axes.map((a) => x.shape[a]);
  const cols = sizeOf(paramShape);
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const)
    if (t && (t.size !== cols || (t.rank !== paramShape.length && t.rank !== 1)))
      throw new TensileError(
        op,
        `${name} must have shape ${fmt(paramShape)} (the normalized axes of x ${fmt(x.shape)}), got ${fmt(t.shape)}`,
      );
  const rows = cols === 0 ? 0 : x.size / cols;
  const attrs = {
    rows,
    cols,
    epsilon,
    hasGamma: gamma !== null,
    hasBeta: beta !== null,
    mean: new Float32Array(rows),
    rstd: new Float32Array(rows),
  };
  return layerNormOp([x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])], attrs);
}
