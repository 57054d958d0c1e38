import type { Tensor } from '../tensor/tensor.js';

/** A loss as the training loop sees it: per-sample values, then a (weighted) mean over the batch. */
export interface Loss {
  readonly name: string;
  /** One value per sample: shape yPred.shape without its last axis. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * When the model's output activation is `activation`, the same loss from the pre-activation
   * logits: numerically stable, with the exact gradient p − y.
   */
  readonly fused?: {
    readonly activation: 'softmax' | 'sigmoid';
    perSample(yTrue: Tensor, logits: Tensor): Tensor;
  };
}
