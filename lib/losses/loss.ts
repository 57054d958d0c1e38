import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Keras' squeeze_or_expand_dimensions: labels [N] against predictions [N, 1] (or [N, 1] against [N])
 * are the same values, reshaped to yPred's shape; without this, [N] − [N, 1] would broadcast to [N, N].
 */
export function alignLabels(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = [yTrue.shape, yPred.shape];
  const prefix = (a: readonly number[], b: readonly number[]) => a.every((d, i) => d === b[i]);
  if (t.length === p.length - 1 && p[p.length - 1] === 1 && prefix(t, p)) return reshape(yTrue, p);
  if (t.length === p.length + 1 && t[t.length - 1] === 1 && prefix(p, t)) return reshape(yTrue, p);
  return yTrue;
}

/** A loss as the training loop sees it: per-sample values, then a (weighted) mean over the batch. */
export interface Loss {
  /** The name. */
  readonly name: string;
  /** One value per sample: shape yPred.shape without its last axis. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * When the model's output activation is `activation`, the same loss from the pre-activation
   * logits: numerically stable, with the exact gradient p − y.
   */
  readonly fused?: {
    /** The activation applied to the output. */
    readonly activation: 'softmax' | 'sigmoid';
    /** The loss of each sample, before averaging. */
    perSample(yTrue: Tensor, logits: Tensor): Tensor;
  };
}
