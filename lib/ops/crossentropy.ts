import { defineOp, type Op } from '../autograd/define-op.js';
import { backend } from '../backend/index.js';
import type { CrossentropyKind } from '../backend/backend.js';
import { TensileError } from '../errors.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

interface Attrs {
  readonly kind: CrossentropyKind;
  readonly eps: number;
}

const rowsCols = (p: Tensor): [number, number] => {
  const cols = p.shape[p.rank - 1];
  return [cols === 0 ? 0 : p.size / cols, cols];
};

// One kernel each way instead of a dozen element-wise ops: the loss of every training step.
const crossentropyOp: Op<Attrs> = defineOp<Attrs>({
  name: 'crossentropy',
  outShape: ([y, p], { kind }) => {
    if (p.rank < 1 || !shapesEqual(y.shape, p.shape))
      throw new TensileError(
        `${kind}Crossentropy`,
        `yTrue has shape ${fmt(y.shape)} but yPred has shape ${fmt(p.shape)}; they must match`,
      );
    return p.shape.slice(0, -1);
  },
  forward: (k, [y, p], out, _s, { kind, eps }) => k.crossentropy(kind, y.raw, p.raw, out, ...rowsCols(p), eps),
  backward: (dy, [y, p], _out, { kind, eps }) => {
    const dp = new Float32Array(p.size);
    backend().crossentropyBackward(kind, y.raw, p.raw, dy.raw, dp, ...rowsCols(p), eps);
    return [null, new Tensor(dp, p.shape)];
  },
});

/**
 * Per-sample Keras crossentropy of probabilities (last axis = classes), p clipped to [eps, 1 − eps]:
 * 'binary' averages −[y·log p + (1 − y)·log(1 − p)] over the last axis; 'categorical' sums −y·log(p/Σp).
 * The gradient flows to p only.
 */
export function crossentropy(kind: CrossentropyKind, yTrue: Tensor, p: Tensor, eps: number): Tensor {
  return crossentropyOp([yTrue, p], { kind, eps });
}
