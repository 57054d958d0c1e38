import { optionsObject } from '../internal/names.js';
import { TensileError } from '../errors.js';
import { shuffleInPlace } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { takeRows } from '../tensor/rows.js';

/** A seeded permutation of the samples (axis 0) of several tensors, the same for all. */
export function shuffle(...xs: Tensor[]): Tensor[] {
  const n = xs[0]?.shape[0] ?? 0;
  if (xs.some((t) => t.shape[0] !== n))
    throw new TensileError(
      'data.shuffle',
      `tensors have different sample counts: ${xs.map((t) => t.shape[0]).join(', ')}`,
    );
  const order = new Int32Array(n).map((_, i) => i);
  shuffleInPlace(order);
  return xs.map((t) => takeRows(t, 0, n, order));
}

/**
 * Split x and y into train and test parts, shuffled first (seeded) unless shuffle is false.
 * @example const { xTrain, yTrain, xTest, yTest } = tl.data.trainTestSplit(x, y, { testSize: 0.2 });
 */
export function trainTestSplit(
  x: Tensor,
  y: Tensor,
  options: { testSize?: number; shuffle?: boolean } = {},
): {
  /** Training samples. */
  xTrain: Tensor;
  /** Training targets. */
  yTrain: Tensor;
  /** Test samples. */
  xTest: Tensor;
  /** Test targets. */
  yTest: Tensor;
} {
  optionsObject('data.trainTestSplit', options, ['testSize', 'shuffle'], '{ testSize: 0.2 }');
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1))
    throw new TensileError('data.trainTestSplit', `testSize must be in (0, 1), got ${testSize}`);
  const [xs, ys] = options.shuffle === false ? [x, y] : shuffle(x, y);
  const n = xs.shape[0];
  const at = n - Math.round(n * testSize);
  return {
    xTrain: takeRows(xs, 0, at),
    yTrain: takeRows(ys, 0, at),
    xTest: takeRows(xs, at, n),
    yTest: takeRows(ys, at, n),
  };
}
