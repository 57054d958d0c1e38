import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { slice } from './layout.js';

interface PadAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

const padOp: Op<PadAttrs> = defineOp<PadAttrs>({
  name: 'pad',
  dtype: sameDtype,
  outShape: (_inputs, { size }) => size,
  forward: (k, [x], out, shape, { begin }) => k.unslice(x.data, x.shape, begin, out, shape),
  backward: (dy, [x], _y, { begin }) => [slice(dy, begin, x.shape)],
});

/**
 * x surrounded by zeros: `paddings[i]` = [before, after] for axis i.
 * @example tl.pad(tl.ones([1, 2, 2, 1]), [[0, 0], [1, 1], [1, 1], [0, 0]]).shape // [1, 4, 4, 1]
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[]): Tensor {
  if (paddings.length !== x.rank || !paddings.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0)))
    throw new TensileError('pad', `paddings must be one [before, after] pair of non-negative integers per axis of ${fmt(x.shape)}, got ${JSON.stringify(paddings)}`);
  return padOp([x], { begin: paddings.map((p) => p[0]), size: x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]) });
}
