import { withCustomGradient } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { crossentropy, mul, reshape, scalar, sigmoid, softmax, sub, sum } from '../ops/index.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Loss, alignLabels } from './loss.js';
import { oneHotLabels } from '../ops/one-hot.js';

/** Keras' epsilon: probabilities are clipped to [EPS, 1 − EPS] before the log. */
export const EPS = 1e-7;

/** −Σ y·log(clip(p)) over the last axis, p first normalised to sum 1 (Keras' categorical_crossentropy). */
function categoricalFromProbs(yTrue: Tensor, p: Tensor): Tensor {
  return crossentropy('categorical', yTrue, p, EPS);
}

/** mean over the last axis of −[y·log p + (1 − y)·log(1 − p)], p clipped (Keras' binary_crossentropy). */
function binaryFromProbs(yTrue: Tensor, p: Tensor): Tensor {
  return crossentropy('binary', yTrue, p, EPS);
}

/** yTrue aligned to yPred ([N] against [N, 1] is fine, as in Keras), or a TensileError when the shapes differ. */
function checkSameShape(op: string, yTrueIn: Tensor, yPred: Tensor): Tensor {
  const yTrue = alignLabels(yTrueIn, yPred);
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i]))
    throw new TensileError(
      op,
      `yTrue has shape ${fmt(yTrue.shape)} but yPred has shape ${fmt(yPred.shape)}; they must match`,
    );
  return yTrue;
}

/**
 * Softmax followed by categorical crossentropy, from logits: the reported value keeps Keras' clipping,
 * the gradient is the exact, stable p·Σy − y.
 */
function softmaxCategoricalFused(yTrue: Tensor, logits: Tensor): Tensor {
  return withCustomGradient('softmaxCrossentropy', [logits], () => {
    const p = softmax(logits);
    return {
      value: categoricalFromProbs(yTrue, p),
      backward: (dy) => [
        mul(reshape(dy, [...dy.shape, 1]), sub(mul(p, sum(yTrue, { axis: -1, keepDims: true })), yTrue)),
      ],
    };
  });
}

/** Sigmoid followed by binary crossentropy, from logits: gradient (p − y)/C per element. */
function sigmoidBinaryFused(yTrue: Tensor, logits: Tensor): Tensor {
  return withCustomGradient('sigmoidCrossentropy', [logits], () => {
    const p = sigmoid(logits);
    const c = logits.shape[logits.rank - 1];
    return {
      value: binaryFromProbs(yTrue, p),
      backward: (dy) => [mul(reshape(dy, [...dy.shape, 1]), mul(sub(p, yTrue), scalar(1 / c)))],
    };
  });
}

export const binaryCrossentropy: Loss = {
  name: 'binaryCrossentropy',
  perSample: (yTrue, yPred) => {
    const t = checkSameShape('binaryCrossentropy', yTrue, yPred);
    return binaryFromProbs(t, yPred);
  },
  fused: {
    activation: 'sigmoid',
    perSample: (yTrue, logits) => {
      const t = checkSameShape('binaryCrossentropy', yTrue, logits);
      return sigmoidBinaryFused(t, logits);
    },
  },
};

export const categoricalCrossentropy: Loss = {
  name: 'categoricalCrossentropy',
  perSample: (yTrue, yPred) => {
    const t = checkSameShape('categoricalCrossentropy', yTrue, yPred);
    return categoricalFromProbs(t, yPred);
  },
  fused: {
    activation: 'softmax',
    perSample: (yTrue, logits) => {
      const t = checkSameShape('categoricalCrossentropy', yTrue, logits);
      return softmaxCategoricalFused(t, logits);
    },
  },
};

const sparseRows = (yPred: Tensor): [number, number] => {
  if (yPred.rank < 2)
    throw new TensileError(
      'sparseCategoricalCrossentropy',
      `yPred must have a class axis, got shape ${fmt(yPred.shape)}`,
    );
  const c = yPred.shape[yPred.rank - 1];
  return [yPred.size / c, c];
};

export const sparseCategoricalCrossentropy: Loss = {
  name: 'sparseCategoricalCrossentropy',
  perSample: (yTrue, yPred) => {
    const [rows, c] = sparseRows(yPred);
    return categoricalFromProbs(
      reshape(oneHotLabels('sparseCategoricalCrossentropy', yTrue, c, rows), yPred.shape),
      yPred,
    );
  },
  fused: {
    activation: 'softmax',
    perSample: (yTrue, logits) => {
      const [rows, c] = sparseRows(logits);
      return softmaxCategoricalFused(
        reshape(oneHotLabels('sparseCategoricalCrossentropy', yTrue, c, rows), logits.shape),
        logits,
      );
    },
  },
};
