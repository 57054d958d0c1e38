import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { hostWritten } from '../tensor/storage.js';
import { hostStep } from '../backend/recording.js';

/**
 * One-hot rows of integer indices: shape [...indices.shape, depth], onValue at each index, offValue elsewhere
 * (an index outside [0, depth) gives a row of offValue, as tfjs); int32, as tfjs.
 * @example tl.oneHot(tl.tensor([0, 2], undefined, { dtype: 'int32' }), 3).arraySync() // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: TensorLike | Int32Array, depth: number, onValue = 1, offValue = 0): Tensor {
  const idx =
    indices instanceof Int32Array
      ? new Tensor(Float32Array.from(indices), [indices.length], false, 'int32')
      : toTensor('oneHot', indices, 'indices');
  if (!Number.isInteger(depth) || depth < 1)
    throw new TensileError('oneHot', `depth must be a positive integer, got ${String(depth)}`);
  const v = idx.data;
  const out = new Float32Array(v.length * depth).fill(offValue);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]))
      throw new TensileError('oneHot', `index ${v[i]} at position ${i} of indices ${fmt(idx.shape)} is not an integer`);
    if (v[i] >= 0 && v[i] < depth) out[i * depth + v[i]] = onValue;
  }
  const integral = Number.isInteger(onValue) && Number.isInteger(offValue);
  return new Tensor(out, [...idx.shape, depth], false, integral ? 'int32' : 'float32');
}

/**
 * @internal One-hot rows of integer class labels ([N] or [N, 1]) for nClasses, or a TensileError naming the bad
 * label (the sparse crossentropies' targets).
 */
export function oneHotLabels(op: string, labels: Tensor, nClasses: number, rows: number): Tensor {
  if (labels.size !== rows)
    throw new TensileError(op, `expected ${rows} integer labels, got yTrue of shape ${fmt(labels.shape)}`);
  const out = new Float32Array(rows * nClasses);
  // A host step: a replayed training step makes the one-hot rows of each batch's labels again (backend/recording.ts).
  hostStep(
    [out],
    () => {
      const values = labels.data;
      out.fill(0);
      for (let i = 0; i < rows; i++) {
        const c = values[i];
        if (!Number.isInteger(c) || c < 0 || c >= nClasses)
          throw new TensileError(op, `label ${c} at row ${i} is not an integer class in [0, ${nClasses})`);
        out[i * nClasses + c] = 1;
      }
      hostWritten(out);
    },
    [labels.raw],
  );
  return new Tensor(out, [rows, nClasses]);
}
