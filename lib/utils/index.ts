import { TensileError } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * One-hot rows from integer class labels, like keras.utils.to_categorical.
 * @example tl.utils.toCategorical([0, 2, 1], 3) // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 */
export function toCategorical(labels: TensorLike | Int32Array, numClasses?: number): Tensor {
  const t =
    labels instanceof Int32Array
      ? new Tensor(Float32Array.from(labels), [labels.length])
      : toTensor('toCategorical', labels, 'labels');
  const values = t.data;
  let n = numClasses;
  if (n === undefined) n = values.reduce((m, v) => Math.max(m, v), -1) + 1;
  if (!Number.isInteger(n) || n < 1)
    throw new TensileError('toCategorical', `numClasses must be a positive integer, got ${numClasses}`);
  const out = new Float32Array(values.length * n);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= n!)
      throw new TensileError('toCategorical', `label ${v} at position ${i} is not an integer in [0, ${n})`);
    out[i * n! + v] = 1;
  });
  // Keras drops a trailing axis of size 1: labels [N, 1] give [N, numClasses].
  const lead = t.shape[t.rank - 1] === 1 ? t.shape.slice(0, -1) : t.shape;
  return new Tensor(out, [...lead, n]);
}
