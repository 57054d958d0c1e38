import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { gather } from './layout.js';
import { reshape } from './reshape.js';

/**
 * Slices of x picked by index tuples, as tfjs' gatherND: indices [..., m] address x's first m axes; the result
 * is [...indices.shape.slice(0, -1), ...x.shape.slice(m)]. Written as a gather of rows of x seen as
 * [x.shape[0]·…·x.shape[m−1], ...rest], so its gradient is gather's.
 * @example tl.gatherND(tl.tensor([[1, 2], [3, 4]]), [[1, 0], [0, 1]]).arraySync() // [3, 2]
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  const t = toTensor('gatherND', x);
  const idx = toTensor('gatherND', indices, 'indices');
  if (idx.rank === 0) throw new TensileError('gatherND', 'indices must have rank ≥ 1: [..., m] index tuples');
  const m = idx.shape[idx.rank - 1];
  if (m > t.rank)
    throw new TensileError(
      'gatherND',
      `index tuples of length ${m} (indices ${fmt(idx.shape)}) address more axes than x has (${fmt(t.shape)})`,
    );
  const v = idx.data;
  const count = m === 0 ? sizeOf(idx.shape.slice(0, -1)) : v.length / m;
  const rows = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let linear = 0;
    for (let j = 0; j < m; j++) {
      const i = v[r * m + j];
      if (!Number.isInteger(i) || i < 0 || i >= t.shape[j])
        throw new TensileError(
          'gatherND',
          `index ${i} at tuple ${r}, position ${j} is not an integer in [0, ${t.shape[j]}) for x of shape ${fmt(t.shape)}`,
        );
      linear = linear * t.shape[j] + i;
    }
    rows[r] = linear;
  }
  const rest = t.shape.slice(m);
  const gathered = gather(reshape(t, [sizeOf(t.shape.slice(0, m)), ...rest]), rows);
  return reshape(gathered, [...idx.shape.slice(0, -1), ...rest]);
}
