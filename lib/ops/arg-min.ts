import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { neg } from './elementwise-unary.js';
import { argmax } from './reduce.js';

/** Index of the first minimum along an axis (default: the last), int32: argmax of −x. @example tl.argMin(tl.tensor([[4, 1, 3]])) // [1] */
export function argMin(x: TensorLike, axis = -1): Tensor {
  return argmax(neg(toTensor('argMin', x)), axis);
}
