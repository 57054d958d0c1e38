import { TensileError } from '../errors.js';
import * as core from '../ops/index.js';
import type { ReduceOptions } from '../ops/index.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { LOSSES, getLoss } from '../losses/index.js';
import { getMetric } from '../metrics/index.js';

// tfjs-core's op signatures (positional axis, keepDims, transpose flags…) over tensile's ops.
type Axis = number | readonly number[];
const reduction =
  (f: (x: TensorLike, o?: ReduceOptions) => Tensor) =>
  (x: TensorLike, axis?: Axis | null, keepDims = false): Tensor =>
    f(x, { ...(axis !== undefined && axis !== null && { axis }), keepDims });
export const sum = reduction(core.sum),
  mean = reduction(core.mean),
  max = reduction(core.max),
  min = reduction(core.min);
/** tf.moments(x, axes = all, keepDims). */
export const moments = (x: TensorLike, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } => {
  const t = toTensor('moments', x);
  return core.moments(t, axis ?? t.shape.map((_, i) => i), keepDims);
};
export const argMax = (x: TensorLike, axis = 0): Tensor => core.argmax(x, axis);
export const argMin = (x: TensorLike, axis = 0): Tensor => core.argMin(x, axis);
export const matMul = (a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor =>
  core.matmul(a, b, { transposeA, transposeB });
export const slice = (x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor =>
  toTensor('slice', x).slice(begin, size);
export const softmax = (logits: TensorLike, dim = -1): Tensor => core.softmax(logits, dim);
export const logSoftmax = (logits: TensorLike, axis = -1): Tensor => core.logSoftmax(logits, axis);
export const clipByValue = (x: TensorLike, lo: number, hi: number): Tensor => core.clip(x, lo, hi);
export const pad = (x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor =>
  core.pad(toTensor('pad', x), paddings, constantValue);
export const square = core.square,
  sign = core.sign;
export const reciprocal = (x: TensorLike): Tensor => core.div(1, x);
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => core.square(core.sub(a, b));
export const norm = (x: TensorLike, ord: 'euclidean' | 2 = 'euclidean', axis?: Axis, keepDims = false): Tensor => {
  if (ord !== 'euclidean' && ord !== 2)
    throw new TensileError('norm', `only the euclidean norm is supported, got ${String(ord)}`);
  return core.sqrt(sum(core.square(x), axis, keepDims));
};

/** tf.losses.*: (labels, predictions) → scalar, mean reduction (tfjs' default). */
export const losses = {
  meanSquaredError: (labels: TensorLike, predictions: TensorLike): Tensor =>
    core.mean(core.square(core.sub(predictions, labels))),
  absoluteDifference: (labels: TensorLike, predictions: TensorLike): Tensor =>
    core.mean(core.abs(core.sub(predictions, labels))),
  /** Binary crossentropy of probabilities, ε = 1e-7 (tfjs' default). */
  logLoss: (labels: TensorLike, predictions: TensorLike): Tensor =>
    core.mean(LOSSES.binaryCrossentropy.perSample(toTensor('logLoss', labels), toTensor('logLoss', predictions))),
  /** Softmax crossentropy from logits, one-hot labels. */
  softmaxCrossEntropy: (onehotLabels: TensorLike, logits: TensorLike): Tensor =>
    core.mean(core.neg(core.sum(core.mul(onehotLabels, core.logSoftmax(logits, -1)), { axis: -1 }))),
  /** Sigmoid crossentropy from logits: max(x, 0) − x·z + log(1 + e^−|x|). */
  sigmoidCrossEntropy: (multiClassLabels: TensorLike, logits: TensorLike): Tensor => {
    const x = toTensor('sigmoidCrossEntropy', logits);
    return core.mean(
      core.add(
        core.sub(core.relu(x), core.mul(x, multiClassLabels)),
        core.log(core.add(1, core.exp(core.neg(core.abs(x))))),
      ),
    );
  },
  huberLoss: (labels: TensorLike, predictions: TensorLike): Tensor =>
    core.mean(
      getLoss('huberLoss', 'huber').perSample(toTensor('huberLoss', labels), toTensor('huberLoss', predictions)),
    ),
};

/** tf.metrics.*: (yTrue, yPred) → per-sample values, as tfjs' metrics. */
const perSample =
  (name: string) =>
  (yTrue: TensorLike, yPred: TensorLike): Tensor =>
    getMetric(`metrics.${name}`, name).perSample(toTensor(name, yTrue), toTensor(name, yPred));
export const metrics = {
  binaryAccuracy: perSample('binaryAccuracy'),
  categoricalAccuracy: perSample('categoricalAccuracy'),
  sparseCategoricalAccuracy: perSample('sparseCategoricalAccuracy'),
  meanSquaredError: perSample('mse'),
  MSE: perSample('mse'),
  mse: perSample('mse'),
  meanAbsoluteError: perSample('mae'),
  MAE: perSample('mae'),
  mae: perSample('mae'),
  binaryCrossentropy: (yTrue: TensorLike, yPred: TensorLike): Tensor =>
    LOSSES.binaryCrossentropy.perSample(toTensor('binaryCrossentropy', yTrue), toTensor('binaryCrossentropy', yPred)),
  categoricalCrossentropy: (yTrue: TensorLike, yPred: TensorLike): Tensor =>
    LOSSES.categoricalCrossentropy.perSample(
      toTensor('categoricalCrossentropy', yTrue),
      toTensor('categoricalCrossentropy', yPred),
    ),
};
