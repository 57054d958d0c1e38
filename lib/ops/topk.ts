import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gather } from './layout.js';
import { reshape } from './reshape.js';

/**
 * The k largest values along the last axis and their indices (int32), largest first; ties keep the lower
 * index first, as tfjs. The values are gathered from x, so they carry its gradient.
 * @example const { values, indices } = tl.topk(tl.tensor([1, 5, 3]), 2); // values [5, 3], indices [1, 2]
 */
export function topk(
  x: TensorLike,
  k = 1,
  sorted = true,
): {
  /** The k largest values along the last axis. */
  values: Tensor;
  /** Their indices (int32). */
  indices: Tensor;
} {
  const t = toTensor('topk', x);
  if (t.rank === 0) throw new TensileError('topk', 'needs a tensor of rank ≥ 1, got a scalar');
  const n = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new TensileError(
      'topk',
      `k must be an integer in [0, ${n}] (the last axis of ${fmt(t.shape)}), got ${String(k)}`,
    );
  if (typeof sorted !== 'boolean')
    throw new TensileError('topk', `sorted must be true or false, got ${String(sorted)}`);
  const v = t.data;
  const rows = n === 0 ? 0 : v.length / n;
  const idx = new Float32Array(rows * k);
  const flat = new Int32Array(rows * k);
  const order = Array.from({ length: n }, (_, i) => i);
  // NaN sorts above every number, as in TensorFlow's TopKV2.
  const key = (a: number) => (Number.isNaN(a) ? Infinity : a);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const picked = order
      .slice()
      .sort(
        (a, b) =>
          key(v[base + b]) - key(v[base + a]) ||
          (Number.isNaN(v[base + b]) ? 1 : 0) - (Number.isNaN(v[base + a]) ? 1 : 0) ||
          a - b,
      );
    for (let j = 0; j < k; j++) {
      idx[r * k + j] = picked[j];
      flat[r * k + j] = base + picked[j];
    }
  }
  const outShape = [...t.shape.slice(0, -1), k];
  const values = reshape(gather(reshape(t, [-1]), flat), outShape);
  return { values, indices: new Tensor(idx, outShape, false, 'int32') };
}
