import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { slice } from './layout.js';
import { where } from './select.js';
import { full, ones } from '../tensor/create.js';

interface PadAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

const padOp: Op<PadAttrs> = defineOp<PadAttrs>({
  name: 'pad',
  dtype: sameDtype,
  outShape: (_inputs, { size }) => size,
  forward: (k, [x], out, shape, { begin }) => k.unslice(x.raw, x.shape, begin, out, shape),
  backward: (dy, [x], _y, { begin }) => [slice(dy, begin, x.shape)],
});

/**
 * x surrounded by constantValue (default 0): `paddings[i]` = [before, after] for axis i.
 * @example
 * tl.pad(tl.ones([1, 2, 2, 1]), [[0, 0], [1, 1], [1, 1], [0, 0]]).shape // [1, 4, 4, 1]
 * tl.pad(tl.tensor([1, 2]), [[1, 0]], -1) // [-1, 1, 2]
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  if (
    !Array.isArray(paddings) ||
    paddings.length !== x.rank ||
    !paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
  )
    throw new TensileError(
      'pad',
      `paddings must be one [before, after] pair of non-negative integers per axis of ${fmt(x.shape)}, got ${JSON.stringify(paddings)}`,
    );
  if (typeof constantValue !== 'number')
    throw new TensileError('pad', `constantValue must be a number, got ${typeof constantValue}`);
  const attrs = { begin: paddings.map((p) => p[0]), size: x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]) };
  const padded = padOp([x], attrs);
  if (constantValue === 0) return padded;
  // Inside: x exactly (its gradient through the pad); outside: the constant (NaN and ±Infinity too).
  const inside = padOp([ones(x.shape, { dtype: 'bool' })], attrs);
  return where(inside, padded, full([], constantValue, { dtype: x.dtype }));
}
