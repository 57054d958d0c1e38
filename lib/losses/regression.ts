import { TensileError } from '../errors.js';
import { abs, greater, mean, mul, scalar, square, sub, where } from '../ops/index.js';
import { broadcastShapes, fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Loss, alignLabels } from './loss.js';

function diff(op: string, yTrueIn: Tensor, yPred: Tensor): Tensor {
  const yTrue = alignLabels(yTrueIn, yPred);
  try {
    broadcastShapes(op, yTrue.shape, yPred.shape);
  } catch {
    throw new TensileError(op, `yTrue has shape ${fmt(yTrue.shape)} but yPred has shape ${fmt(yPred.shape)}`);
  }
  return sub(yPred, yTrue);
}

/** mean((yPred − yTrue)²) over the last axis (no ½, as Keras). */
export const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  perSample: (yTrue, yPred) => mean(square(diff('meanSquaredError', yTrue, yPred)), { axis: -1 }),
};

export const meanAbsoluteError: Loss = {
  name: 'meanAbsoluteError',
  perSample: (yTrue, yPred) => mean(abs(diff('meanAbsoluteError', yTrue, yPred)), { axis: -1 }),
};

/** Huber with delta 1 (Keras' default): ½x² where |x| ≤ δ, else δ(|x| − ½δ). */
export const huber: Loss = {
  name: 'huber',
  perSample: (yTrue, yPred) => {
    const d = 1;
    const x = abs(diff('huber', yTrue, yPred));
    const quad = mul(square(x), scalar(0.5));
    const lin = mul(sub(x, scalar(0.5 * d)), scalar(d));
    return mean(where(greater(x, scalar(d)), lin, quad), { axis: -1 });
  },
};
