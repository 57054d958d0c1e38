import { defineOp, type Op } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { normAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './elementwise-binary.js';
import { exp } from './elementwise-unary.js';
import { sum } from './reduce.js';
import { transpose } from './layout.js';

const rowsCols = (x: Tensor): [number, number] => {
  const cols = x.shape[x.rank - 1];
  return [cols === 0 ? 0 : x.size / cols, cols];
};

// Fused and shifted by the row max: stable for inputs of any magnitude. Gradients are written with ops.
const softmaxLast: Op<undefined> = defineOp({
  name: 'softmax',
  outShape: ([x]) => x.shape,
  forward: (k, [x], out) => k.softmax(x.raw, out, ...rowsCols(x), false),
  // dx = y ⊙ (dy − Σ dy⊙y)
  backward: (dy, _x, y) => [mul(y, sub(dy, sum(mul(dy, y), { axis: -1, keepDims: true })))],
});

const logSoftmaxLast: Op<undefined> = defineOp({
  name: 'logSoftmax',
  outShape: ([x]) => x.shape,
  forward: (k, [x], out) => k.softmax(x.raw, out, ...rowsCols(x), true),
  // dx = dy − softmax(x) ⊙ Σ dy
  backward: (dy, _x, y) => [sub(dy, mul(exp(y), sum(dy, { axis: -1, keepDims: true })))],
});

function alongAxis(name: string, op: typeof softmaxLast) {
  return (x: TensorLike, axis = -1): Tensor => {
    const t = toTensor(name, x);
    if (t.rank === 0) throw new TensileError(name, 'needs a tensor of rank ≥ 1, got a scalar');
    const a = normAxis(name, axis, t.shape);
    if (a === t.rank - 1) return op([t], undefined);
    // Move the axis last, apply, move it back (the permutation swapping a and the last axis is its own inverse).
    const perm = t.shape.map((_, i) => (i === a ? t.rank - 1 : i === t.rank - 1 ? a : i));
    return transpose(op([transpose(t, perm)], undefined), perm);
  };
}

/** exp(x) / Σ exp(x) along an axis (default last), without overflow. @example tl.softmax(tl.tensor([1, 2, 3])) */
export const softmax = alongAxis('softmax', softmaxLast);
/** log(softmax(x)) computed stably. @example tl.logSoftmax(tl.tensor([1e4, 0])) // [0, -1e4] */
export const logSoftmax = alongAxis('logSoftmax', logSoftmaxLast);
