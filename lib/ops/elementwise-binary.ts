import { defineOp, type Op } from '../autograd/define-op.js';
import type { BinaryOp } from '../backend/kinds.js';
import { broadcastPlan } from '../tensor/broadcast.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type DType, arithmeticDtype } from '../tensor/dtype.js';
import { log, neg } from './elementwise-unary.js';
import { sumTo } from './reduce.js';
import { where } from './select.js';

/** A constant scalar tensor. */
export const scalar = (v: number): Tensor => new Tensor(Float32Array.of(v), []);

type Grad = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

const COMPARISONS: readonly BinaryOp[] = ['equal', 'greater', 'greaterEqual', 'less', 'lessEqual'];
const INTEGRAL: readonly BinaryOp[] = ['add', 'sub', 'mul', 'maximum', 'minimum'];
/** As tfjs: comparisons give bool; add, sub, mul, maximum, minimum of int32 or bool values give int32; else float32. */
const binaryDtype = (name: BinaryOp, a: Tensor, b: Tensor): DType =>
  COMPARISONS.includes(name) ? 'bool' : INTEGRAL.includes(name) ? arithmeticDtype(a.dtype, b.dtype) : 'float32';

function binaryOp(name: BinaryOp, grad?: Grad): (a: TensorLike, b: TensorLike) => Tensor {
  const op: Op<undefined> = defineOp({
    name,
    dtype: ([a, b]) => binaryDtype(name, a, b),
    outShape: ([a, b]) => broadcastShapes(name, a.shape, b.shape),
    forward: (k, [a, b], out, shape) => k.binary(name, a.raw, b.raw, out, broadcastPlan(shape, [a.shape, b.shape])),
    // Each gradient is summed back to its input's shape: broadcasting in forward is a sum in backward.
    backward:
      grad &&
      ((dy, [a, b], y) => {
        const [da, db] = grad(dy, a, b, y);
        return [a.requiresGrad && da ? sumTo(da, a.shape) : null, b.requiresGrad && db ? sumTo(db, b.shape) : null];
      }),
  });
  return (a, b) => op([toTensor(name, a, 'a'), toTensor(name, b, 'b')], undefined);
}

/** a + b, broadcasting like NumPy. @example tl.add(tl.tensor([[1], [2]]), tl.tensor([10, 20])) */
export const add: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('add', (dy) => [dy, dy]);
/** a − b. @example tl.sub(tl.tensor([3]), 1) // [2] */
export const sub: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('sub', (dy, a, b) => [
  dy,
  b.requiresGrad ? neg(dy) : null,
]);
/** a · b element-wise. @example tl.mul(tl.tensor([2, 3]), 2) // [4, 6] */
export const mul: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('mul', (dy, a, b) => [
  a.requiresGrad ? mul(dy, b) : null,
  b.requiresGrad ? mul(dy, a) : null,
]);
/** a / b. @example tl.div(tl.tensor([1]), 4) // [0.25] */
export const div: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('div', (dy, a, b, y) => [
  a.requiresGrad ? div(dy, b) : null,
  b.requiresGrad ? neg(div(mul(dy, y), b)) : null,
]);
/** a ** b. @example tl.pow(tl.tensor([2, 3]), 2) // [4, 9] */
export const pow: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('pow', (dy, a, b, y) => [
  a.requiresGrad ? mul(dy, mul(b, pow(a, sub(b, scalar(1))))) : null,
  // d(a^b)/db = a^b·ln a, taken as 0 where a = 0 (the limit used by PyTorch and TF).
  b.requiresGrad ? mul(dy, where(equal(a, scalar(0)), scalar(0), mul(y, log(a)))) : null,
]);
/** Element-wise max; NaN propagates. @example tl.maximum(tl.tensor([1, 5]), 3) // [3, 5] */
export const maximum: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('maximum', (dy, a, b) => [
  a.requiresGrad ? mul(dy, greaterEqual(a, b)) : null,
  b.requiresGrad ? mul(dy, less(a, b)) : null,
]);
/** Element-wise min; NaN propagates. @example tl.minimum(tl.tensor([1, 5]), 3) // [1, 3] */
export const minimum: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('minimum', (dy, a, b) => [
  a.requiresGrad ? mul(dy, lessEqual(a, b)) : null,
  b.requiresGrad ? mul(dy, greater(a, b)) : null,
]);

// Comparisons give bool tensors (1 or 0) and carry no gradient.
/** 1 where a = b. @example tl.equal(tl.tensor([1, 2]), 2) // [0, 1] */
export const equal: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('equal');
/** 1 where a > b. */
export const greater: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('greater');
/** 1 where a ≥ b. */
export const greaterEqual: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('greaterEqual');
/** 1 where a < b. */
export const less: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('less');
/** 1 where a ≤ b. */
export const lessEqual: (a: TensorLike, b: TensorLike) => Tensor = binaryOp('lessEqual');
