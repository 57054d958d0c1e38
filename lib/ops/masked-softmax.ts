import { defineOp, type Op } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { type Shape, broadcastShapes, fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo } from './reduce.js';

interface MaskedSoftmaxAttrs {
  readonly rows: number;
  readonly cols: number;
  /** Consecutive blocks of `inner` rows share one mask row across `heads` blocks (Backend.maskedSoftmax). */
  readonly heads: number;
  readonly inner: number;
}

const rowsOf = (shape: Shape, cols: number) => (cols === 0 ? 0 : shape.reduce((p, q) => p * q, 1) / cols);

// dx = y ⊙ (dy − Σ dy⊙y) in one kernel; masked entries have y = 0 and so no gradient. Not differentiable again.
const softmaxBackwardOp: Op<MaskedSoftmaxAttrs> = defineOp<MaskedSoftmaxAttrs>({
  name: 'softmaxBackward',
  outShape: ([y]) => y.shape,
  forward: (k, [y, dy], out, _s, a) => k.softmaxBackward(y.raw, dy.raw, out, a.rows, a.cols),
});

const maskedSoftmaxOp: Op<MaskedSoftmaxAttrs> = defineOp<MaskedSoftmaxAttrs>({
  name: 'maskedSoftmax',
  outShape: ([x]) => x.shape,
  forward: (k, [x, mask], out, _s, a) =>
    k.maskedSoftmax(x.raw, mask ? mask.raw : new Float32Array(0), out, a.rows, a.cols, a.heads, a.inner),
  backward: (dy, inputs, y, a) => [softmaxBackwardOp([y, dy], a), ...(inputs.length > 1 ? [null] : [])],
});

/**
 * Softmax over the last axis of the entries where mask ≠ 0 (Keras' Softmax layer with a mask: masked entries get
 * probability 0, a row masked everywhere is uniform). mask (or null) broadcasts to x; scores [batch, heads, q, k]
 * with a mask [batch, 1, q, k] share it across heads without copying. The mask gets no gradient.
 * @example tl.maskedSoftmax(tl.tensor([[1, 2, 3]]), tl.tensor([[1, 1, 0]])) // [[0.269, 0.731, 0]]
 */
export function maskedSoftmax(x: Tensor, mask: Tensor | null): Tensor {
  const op = 'maskedSoftmax';
  if (!(x instanceof Tensor)) throw new TensileError(op, `expects a Tensor, got ${typeof x}`);
  if (x.rank === 0) throw new TensileError(op, 'needs a tensor of rank ≥ 1, got a scalar');
  const cols = x.shape[x.rank - 1];
  const rows = rowsOf(x.shape, cols);
  if (!mask) return maskedSoftmaxOp([x], { rows, cols, heads: 1, inner: 1 });
  if (!(mask instanceof Tensor)) throw new TensileError(op, `mask must be a Tensor or null, got ${typeof mask}`);
  const b = mask.rank <= x.rank ? broadcastShapesOrNull(x.shape, mask.shape) : null;
  if (!b || !shapesEqual(b, x.shape))
    throw new TensileError(op, `mask of shape ${fmt(mask.shape)} cannot be broadcast to the scores ${fmt(x.shape)}`);
  const aligned = [...new Array<number>(x.rank - mask.rank).fill(1), ...mask.shape];
  if (x.rank === 4 && aligned[1] === 1 && x.shape[1] > 1) {
    // [batch, heads, q, k] scores, a mask shared by the heads: keep it at [batch, 1, q, k].
    const shared = broadcastTo(mask.reshape(aligned), [x.shape[0], 1, x.shape[2], x.shape[3]]);
    return maskedSoftmaxOp([x, shared], { rows, cols, heads: x.shape[1], inner: x.shape[2] });
  }
  const full = broadcastTo(mask, x.shape);
  return maskedSoftmaxOp([x, full], { rows, cols, heads: 1, inner: 1 });
}

function broadcastShapesOrNull(a: Shape, b: Shape): Shape | null {
  try {
    return broadcastShapes('maskedSoftmax', a, b);
  } catch {
    return null;
  }
}
