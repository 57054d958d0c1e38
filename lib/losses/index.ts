import { TensileError } from '../errors.js';
import { mean } from '../ops/index.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { lookup, unknownName } from '../internal/names.js';
import {
  binaryCrossentropy as bce,
  categoricalCrossentropy as cce,
  sparseCategoricalCrossentropy as scce,
} from './crossentropy.js';
import type { Loss } from './loss.js';
import { type LossOrMetricFn, perSampleOf } from './custom.js';
export type { LossOrMetricFn } from './custom.js';
import { huber as hub, meanAbsoluteError as mae, meanSquaredError as mse } from './regression.js';

export type { Loss } from './loss.js';

/** The built-in losses by name. */
export const LOSSES: Readonly<Record<string, Loss>> = {
  meanSquaredError: mse,
  meanAbsoluteError: mae,
  binaryCrossentropy: bce,
  categoricalCrossentropy: cce,
  sparseCategoricalCrossentropy: scce,
  huber: hub,
};

/** A loss by name or as a function. */
export type LossIdentifier = keyof typeof LOSSES | 'mse' | 'mae' | (string & {});

/** Resolve a loss by name: camelCase, Keras snake_case or the short mse/mae. */
export function getLoss(op: string, id: LossIdentifier | Loss | LossOrMetricFn): Loss {
  if (typeof id === 'object' && id !== null && typeof id.perSample === 'function') return id;
  // A function (yTrue, yPred) => Tensor written by the user, as Keras' and tfjs' compile take it.
  if (typeof id === 'function') return perSampleOf(id.name || 'customLoss', id);
  const loss = lookup(LOSSES, id as string, {
    mse: 'meanSquaredError',
    mae: 'meanAbsoluteError',
    MSE: 'meanSquaredError',
    MAE: 'meanAbsoluteError',
  });
  if (!loss) throw new TensileError(op, unknownName('loss', id, Object.keys(LOSSES)));
  return loss;
}

const scalarLoss =
  (loss: Loss) =>
  (yTrue: TensorLike, yPred: TensorLike): Tensor =>
    mean(loss.perSample(toTensor(loss.name, yTrue, 'yTrue'), toTensor(loss.name, yPred, 'yPred')));

/** Mean over all elements of (yPred − yTrue)². @example tl.losses.meanSquaredError([[1]], [[3]]) // 4 */
export const meanSquaredError = scalarLoss(mse);
/** Mean absolute error. */
export const meanAbsoluteError = scalarLoss(mae);
/** Keras binary crossentropy on probabilities, clipped to [1e-7, 1 − 1e-7], averaged over all elements. */
export const binaryCrossentropy = scalarLoss(bce);
/** Keras categorical crossentropy: −Σ y·log p over classes, averaged over the batch. */
export const categoricalCrossentropy = scalarLoss(cce);
/** Categorical crossentropy against integer labels. */
export const sparseCategoricalCrossentropy = scalarLoss(scce);
/** Huber loss with delta 1. */
export const huber = scalarLoss(hub);
