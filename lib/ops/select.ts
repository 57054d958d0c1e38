import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { broadcastPlan } from '../tensor/broadcast.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { maximum, minimum, scalar } from './elementwise-binary.js';
import { sumTo } from './reduce.js';

const whereOp: Op<undefined> = defineOp({
  name: 'where',
  dtype: ([, a, b]) => sameDtype([a, b]),
  outShape: ([c, a, b]) => broadcastShapes('where', c.shape, a.shape, b.shape),
  forward: (k, [c, a, b], out, shape) =>
    k.where(c.raw, a.raw, b.raw, out, broadcastPlan(shape, [c.shape, a.shape, b.shape])),
  backward: (dy, [c, a, b]) => {
    const zero = scalar(0);
    return [
      null,
      a.requiresGrad ? sumTo(whereOp([c, dy, zero], undefined), a.shape) : null,
      b.requiresGrad ? sumTo(whereOp([c, zero, dy], undefined), b.shape) : null,
    ];
  },
});

/** a where cond ≠ 0, else b, broadcasting all three. @example tl.where(tl.tensor([1, 0]), tl.tensor([1, 2]), tl.tensor([9, 9])) // [1, 9] */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return whereOp([toTensor('where', cond, 'cond'), toTensor('where', a, 'a'), toTensor('where', b, 'b')], undefined);
}

/** Limit values to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. @example tl.clip(tl.tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1] */
export function clip(x: TensorLike, lo: number, hi: number): Tensor {
  if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi) || lo > hi)
    throw new TensileError('clip', `needs numbers lo ≤ hi, got lo = ${lo}, hi = ${hi}`);
  return minimum(maximum(toTensor('clip', x), scalar(lo)), scalar(hi));
}
