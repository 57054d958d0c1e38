import { broadcastTo, mean } from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';

/** A loss or metric written by the user as Keras and tfjs take it: (yTrue, yPred) → per-sample values or a scalar. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * The per-sample form of a user's function: a result with yPred's rank is averaged over the last axis (as Keras
 * reduces per-element losses), a scalar counts for every sample, anything of shape [batch] is taken as it is.
 */
export function perSampleOf(
  name: string,
  fn: LossOrMetricFn,
): { name: string; perSample(yTrue: Tensor, yPred: Tensor): Tensor } {
  return {
    name,
    perSample(yTrue, yPred) {
      const v = fn(yTrue, yPred);
      if (!(v instanceof Tensor))
        throw new TypeError(`${name}: a custom loss or metric must return a Tensor, got ${typeof v}`);
      if (v.rank === 0) return broadcastTo(v, yPred.shape.slice(0, 1));
      return v.rank === yPred.rank && v.rank > 1 ? mean(v, { axis: -1 }) : v;
    },
  };
}
