import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { type Shape, fmt, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Resolve a target shape with at most one -1 against a size. */
function resolveShape(from: Shape, to: readonly number[]): Shape {
  const size = sizeOf(from);
  let infer = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1 && infer < 0) infer = i;
    else if (!Number.isInteger(d) || d < 0)
      throw new TensileError('reshape', `shape entries must be non-negative integers or one -1, got ${fmt(to)}`);
    else known *= d;
  });
  if (infer >= 0) {
    if (known === 0 || size % known !== 0)
      throw new TensileError('reshape', `cannot reshape ${fmt(from)} (${size} elements) to ${fmt(to)}`);
    const out = [...to];
    out[infer] = size / known;
    return out;
  }
  if (known !== size)
    throw new TensileError(
      'reshape',
      `cannot reshape ${fmt(from)} (${size} elements) to ${fmt(to)} (${known} elements)`,
    );
  return to;
}

const reshapeOp: Op<{ shape: Shape }> = defineOp<{ shape: Shape }>({
  name: 'reshape',
  dtype: sameDtype,
  outShape: (_, { shape }) => shape,
  forward: (k, [x], out) => k.copy(x.raw, out),
  view: ([x]) => x.raw, // the same values in a new shape: shared, as the no-grad path below
  backward: (dy, [x]) => [reshape(dy, x.shape)],
});

/**
 * The same values in a new shape (one entry may be -1); may share the immutable values with x.
 * @example tl.reshape(tl.arange(6), [2, -1]) // shape [2, 3]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('reshape', x);
  if (!Array.isArray(shape)) throw new TensileError('reshape', `shape must be an array, got ${typeof shape}`);
  const target = resolveShape(t.shape, shape);
  if (!t.requiresGrad) return new Tensor(t.raw, target, false, t.dtype); // values are immutable: sharing them is safe
  return reshapeOp([t], { shape: target });
}
