import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { uniform, withSeed } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * numSamples class indices per row of logits [batch, classes] (or [classes]), drawn with probabilities
 * softmax(logits), or the rows themselves when `normalized` (as tfjs' multinomial); int32, no gradient.
 * @example tl.multinomial(tl.tensor([0, 100]), 3).arraySync() // [1, 1, 1]
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number | null, normalized = false): Tensor {
  const t = toTensor('multinomial', logits, 'logits');
  if (t.rank !== 1 && t.rank !== 2)
    throw new TensileError('multinomial', `logits must have shape [classes] or [batch, classes], got ${fmt(t.shape)}`);
  if (!Number.isInteger(numSamples) || numSamples < 1)
    throw new TensileError('multinomial', `numSamples must be a positive integer, got ${String(numSamples)}`);
  const classes = t.shape[t.rank - 1];
  if (classes < 1) throw new TensileError('multinomial', `needs at least one class, got logits ${fmt(t.shape)}`);
  const v = t.data;
  const rows = v.length / classes;
  const out = new Float32Array(rows * numSamples);
  const p = new Float64Array(classes);
  withSeed('multinomial', seed, () => {
    for (let r = 0; r < rows; r++) {
      const row = v.subarray(r * classes, (r + 1) * classes);
      const max = normalized ? 0 : Math.max(...row);
      let total = 0;
      for (let c = 0; c < classes; c++) total += p[c] = normalized ? row[c] : Math.exp(row[c] - max);
      if (!(total > 0) || p.some((q) => q < 0 || Number.isNaN(q)))
        throw new TensileError(
          'multinomial',
          `row ${r} of ${fmt(t.shape)} is not a distribution (${normalized ? 'probabilities must be ≥ 0 and not all 0' : 'logits must be finite'})`,
        );
      for (let s = 0; s < numSamples; s++) {
        let u = uniform() * total;
        let c = 0;
        while (c < classes - 1 && (u -= p[c]) >= 0) c++;
        out[r * numSamples + s] = c;
      }
    }
  });
  return new Tensor(out, t.rank === 1 ? [numSamples] : [rows, numSamples], false, 'int32');
}
