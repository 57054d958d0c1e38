import { defineOp, type Op } from '../autograd/define-op.js';
import type { UnaryOp } from '../backend/kinds.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub, div, scalar } from './elementwise-binary.js';

type Grad = (dy: Tensor, x: Tensor, y: Tensor) => Tensor;

function unaryOp(name: UnaryOp, grad?: Grad): (x: TensorLike) => Tensor {
  const op: Op<undefined> = defineOp({
    name,
    outShape: ([x]) => x.shape,
    forward: (k, [x], out) => k.unary(name, x.raw, out),
    backward: grad && ((dy, [x], y) => [grad(dy, x, y)]),
  });
  return (x) => op([toTensor(name, x)], undefined);
}

/** -x. @example tl.neg(tl.tensor([1, -2])) // [-1, 2] */
export const neg: (x: TensorLike) => Tensor = unaryOp('neg', (dy) => neg(dy));
/** e^x. @example tl.exp(tl.tensor([0, 1])) */
export const exp: (x: TensorLike) => Tensor = unaryOp('exp', (dy, _x, y) => mul(dy, y));
/** Natural logarithm. @example tl.log(tl.tensor([1, Math.E])) // [0, 1] */
export const log: (x: TensorLike) => Tensor = unaryOp('log', (dy, x) => div(dy, x));
/** Square root. @example tl.sqrt(tl.tensor([4])) // [2] */
export const sqrt: (x: TensorLike) => Tensor = unaryOp('sqrt', (dy, _x, y) => div(dy, mul(y, scalar(2))));
/** |x|. @example tl.abs(tl.tensor([-3])) // [3] */
export const abs: (x: TensorLike) => Tensor = unaryOp('abs', (dy, x) => mul(dy, sign(x)));
/** x². @example tl.square(tl.tensor([3])) // [9] */
export const square: (x: TensorLike) => Tensor = unaryOp('square', (dy, x) => mul(dy, mul(x, scalar(2))));
/** max(x, 0). @example tl.relu(tl.tensor([-1, 2])) // [0, 2] */
export const relu: (x: TensorLike) => Tensor = unaryOp('relu', (dy, x) => mul(dy, step(x)));
/** 1 / (1 + e^−x), computed without overflow. @example tl.sigmoid(tl.tensor([0])) // [0.5] */
export const sigmoid: (x: TensorLike) => Tensor = unaryOp('sigmoid', (dy, _x, y) => mul(dy, mul(y, sub(scalar(1), y))));
/** Hyperbolic tangent. @example tl.tanh(tl.tensor([0])) // [0] */
export const tanh: (x: TensorLike) => Tensor = unaryOp('tanh', (dy, _x, y) => mul(dy, sub(scalar(1), mul(y, y))));
/** 1 where x > 0, else 0 (no gradient). @example tl.step(tl.tensor([-1, 2])) // [0, 1] */
export const step: (x: TensorLike) => Tensor = unaryOp('step');
/** −1, 0 or 1 by the sign of x (no gradient). @example tl.sign(tl.tensor([-2, 0, 5])) // [-1, 0, 1] */
export const sign: (x: TensorLike) => Tensor = unaryOp('sign');
