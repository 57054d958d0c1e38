import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { equal, maximum, mul, scalar, sub } from './elementwise-binary.js';

// Logical ops on truth values (any non-zero is true), written with element-wise ops; results are bool.
const truth = (op: string, x: TensorLike, name: string): Tensor => cast(toTensor(op, x, name), 'bool');

/** a ∧ b, broadcasting. @example tl.logicalAnd(tl.tensor([1, 1, 0]), tl.tensor([1, 0, 0])) // [1, 0, 0] (bool) */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor =>
  cast(mul(truth('logicalAnd', a, 'a'), truth('logicalAnd', b, 'b')), 'bool');
/** a ∨ b, broadcasting. @example tl.logicalOr(tl.tensor([1, 0]), tl.tensor([0, 0])) // [1, 0] (bool) */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor =>
  cast(maximum(truth('logicalOr', a, 'a'), truth('logicalOr', b, 'b')), 'bool');
/** ¬x. @example tl.logicalNot(tl.tensor([1, 0])) // [0, 1] (bool) */
export const logicalNot = (x: TensorLike): Tensor => cast(sub(scalar(1), truth('logicalNot', x, 'x')), 'bool');
/** a ⊕ b, broadcasting. @example tl.logicalXor(tl.tensor([1, 1]), tl.tensor([1, 0])) // [0, 1] (bool) */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor =>
  logicalNot(equal(truth('logicalXor', a, 'a'), truth('logicalXor', b, 'b')));
/** 1 where a ≠ b (bool). @example tl.notEqual(tl.tensor([1, 2]), 2) // [1, 0] */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => logicalNot(equal(a, b));
