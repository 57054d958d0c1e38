import { type LossOrMetricFn, perSampleOf } from '../losses/custom.js';
import { TensileError } from '../errors.js';
import { abs, argmax, equal, greater, mean, reshape, scalar, square, sub } from '../ops/index.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Loss } from '../losses/index.js';
import { alignLabels } from '../losses/loss.js';
import { lookup, unknownName } from '../internal/names.js';

/** A metric as the training loop sees it: one value per sample, averaged over batches and epochs. */
export interface Metric {
  /** The name shown in logs and History (the user's spelling for 'accuracy'/'acc'). */
  readonly name: string;
  /** The loss of each sample, before averaging. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

const sameCount = (op: string, yTrue: Tensor, yPred: Tensor, perRow: boolean) => {
  const rows = yPred.rank === 0 ? 1 : yPred.size / yPred.shape[yPred.rank - 1];
  if (perRow ? yTrue.size !== rows : yTrue.size !== yPred.size)
    throw new TensileError(op, `yTrue of shape ${fmt(yTrue.shape)} does not fit yPred of shape ${fmt(yPred.shape)}`);
};

const binaryAcc: Metric = {
  name: 'binaryAccuracy',
  perSample: (t, p) => (
    sameCount('binaryAccuracy', t, p, false),
    mean(equal(reshape(t, p.shape), greater(p, scalar(0.5))), { axis: -1 })
  ),
};
const categoricalAcc: Metric = {
  name: 'categoricalAccuracy',
  perSample: (t, p) => (sameCount('categoricalAccuracy', t, p, false), equal(argmax(reshape(t, p.shape)), argmax(p))),
};
const sparseCategoricalAcc: Metric = {
  name: 'sparseCategoricalAccuracy',
  perSample: (t, p) => {
    sameCount('sparseCategoricalAccuracy', t, p, true);
    const labels = argmax(p);
    return equal(reshape(t, labels.shape), labels);
  },
};
const mseMetric: Metric = { name: 'mse', perSample: (t, p) => mean(square(sub(p, alignLabels(t, p))), { axis: -1 }) };
const maeMetric: Metric = { name: 'mae', perSample: (t, p) => mean(abs(sub(p, alignLabels(t, p))), { axis: -1 }) };

/** The built-in metrics by name. */
export const METRICS: Readonly<Record<string, Metric>> = {
  binaryAccuracy: binaryAcc,
  categoricalAccuracy: categoricalAcc,
  sparseCategoricalAccuracy: sparseCategoricalAcc,
  mse: mseMetric,
  mae: maeMetric,
};

/** A metric by name or as a function. */
export type MetricIdentifier = 'accuracy' | 'acc' | keyof typeof METRICS | (string & {});

/**
 * Resolve a metric by name. 'accuracy' (or 'acc') follows the loss as Keras does: binary crossentropy
 * (or a single output unit) → binaryAccuracy, sparse categorical → sparseCategoricalAccuracy, else categoricalAccuracy.
 */
export function getMetric(
  op: string,
  id: MetricIdentifier | Metric | LossOrMetricFn,
  loss?: Loss,
  outputUnits?: number,
): Metric {
  if (typeof id === 'object' && id !== null && typeof id.perSample === 'function') return id;
  if (typeof id === 'function') return perSampleOf(id.name || 'customMetric', id);
  if (id === 'accuracy' || id === 'acc') {
    const base =
      loss?.name === 'binaryCrossentropy' || outputUnits === 1
        ? binaryAcc
        : loss?.name === 'sparseCategoricalCrossentropy'
          ? sparseCategoricalAcc
          : categoricalAcc;
    return { name: id, perSample: base.perSample };
  }
  const m = lookup(METRICS, id as string, {
    meanSquaredError: 'mse',
    meanAbsoluteError: 'mae',
    mean_squared_error: 'mse',
    mean_absolute_error: 'mae',
  });
  if (!m) throw new TensileError(op, unknownName('metric', id, ['accuracy', ...Object.keys(METRICS)]));
  return m;
}

const scalarMetric =
  (m: Metric) =>
  (yTrue: TensorLike, yPred: TensorLike): Tensor =>
    mean(m.perSample(toTensor(m.name, yTrue, 'yTrue'), toTensor(m.name, yPred, 'yPred')));

/** Fraction of elements where (yPred > 0.5) equals yTrue. @example tl.metrics.binaryAccuracy([[1, 0]], [[0.9, 0.7]]) // 0.5 */
export const binaryAccuracy = scalarMetric(binaryAcc);
/** Fraction of rows whose argmax matches the one-hot yTrue's. */
export const categoricalAccuracy = scalarMetric(categoricalAcc);
/** Fraction of rows whose argmax equals the integer label. */
export const sparseCategoricalAccuracy = scalarMetric(sparseCategoricalAcc);
/** Mean squared error. */
export const mse = scalarMetric(mseMetric);
/** Mean absolute error. */
export const mae = scalarMetric(maeMetric);
