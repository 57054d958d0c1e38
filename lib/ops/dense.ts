import { defineOp, type Op } from '../autograd/define-op.js';
import { backend } from '../backend/index.js';
import type { DenseActivation } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const EMPTY = new Float32Array(0);

interface DenseAttrs {
  readonly activation: DenseActivation;
}

/** x [m, k], kernel [k, n], bias [n] or absent. */
function dims(inputs: readonly Tensor[]) {
  const [x, w, b] = inputs;
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0] || (b && (b.rank !== 1 || b.shape[0] !== w.shape[1])))
    throw new TensileError(
      'dense',
      `expects x [m, k], kernel [k, n] and bias [n]; got x ${fmt(x.shape)}, kernel ${fmt(w.shape)}${b ? `, bias ${fmt(b.shape)}` : ''}`,
    );
  return { m: x.shape[0], k: x.shape[1], n: w.shape[1] };
}

// One kernel each way: GEMM + bias + activation forward; dPre, dw, db, dx backward. The same math as
// activation(add(matmul(x, kernel), bias)) with one backend call instead of several ops.
const denseOp: Op<DenseAttrs> = defineOp<DenseAttrs>({
  name: 'dense',
  outShape: (inputs) => {
    const { m, n } = dims(inputs);
    return [m, n];
  },
  forward: (k, [x, w, b], out, _s, { activation }) =>
    k.dense(x.raw, w.raw, b ? b.raw : EMPTY, out, dims([x, w, b]), activation),
  backward: (dy, inputs, y, { activation }) => {
    const [x, w, b] = inputs;
    const d = dims(inputs);
    const grad = (t: Tensor | undefined, shape: number[]) =>
      t?.requiresGrad ? new Tensor(new Float32Array(shape.reduce((p, q) => p * q, 1)), shape) : null;
    const dx = grad(x, [d.m, d.k]);
    const dw = grad(w, [d.k, d.n]);
    const db = grad(b, [d.n]);
    backend().denseBackward(
      x.raw,
      w.raw,
      y.raw,
      dy.raw,
      { dx: dx?.raw ?? EMPTY, dw: dw?.raw ?? EMPTY, db: db?.raw ?? EMPTY },
      d,
      activation,
    );
    return b ? [dx, dw, db] : [dx, dw];
  },
});

/**
 * activation(x·kernel + bias) for a batch of rows, as one fused kernel each way (the core of a Dense layer).
 * @example tl.dense(tl.ones([2, 3]), tl.ones([3, 4]), tl.zeros([4]), 'relu') // shape [2, 4]
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: DenseActivation = 'linear'): Tensor {
  return denseOp(bias ? [x, kernel, bias] : [x, kernel], { activation });
}
