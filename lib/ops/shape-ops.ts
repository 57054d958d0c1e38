import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { fmt, normAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { concat, slice } from './layout.js';
import { reshape } from './reshape.js';

// Shape manipulation written with reshape, slice and concat: their gradients are those ops' own.

/** x with a new axis of size 1 at `axis` (negative counts from the end of the result). @example tl.expandDims(tl.tensor([1, 2]), 1).shape // [2, 1] */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', x);
  const a = normAxis('expandDims', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** x without its size-1 axes (all, or those listed). @example tl.squeeze(tl.zeros([1, 3, 1])).shape // [3] */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor('squeeze', x);
  const axes =
    axis === undefined
      ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normAxis('squeeze', a, t.shape));
  for (const a of axes)
    if (t.shape[a] !== 1)
      throw new TensileError('squeeze', `axis ${a} of shape ${fmt(t.shape)} has size ${t.shape[a]}, not 1`);
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Tensors of one shape joined along a new axis. @example tl.stack([tl.tensor([1, 2]), tl.tensor([3, 4])]).shape // [2, 2] */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new TensileError('stack', 'needs a non-empty array of tensors');
  const ts = xs.map((x, i) => toTensor('stack', x, `tensors[${i}]`));
  const shape = ts[0].shape;
  ts.forEach((t, i) => {
    if (t.rank !== shape.length || t.shape.some((d, j) => d !== shape[j]))
      throw new TensileError(
        'stack',
        `tensors[${i}] has shape ${fmt(t.shape)}, tensors[0] ${fmt(shape)}; all must have the same shape`,
      );
  });
  const a = normAxis('stack', axis, shape.length + 1);
  return concat(
    ts.map((t) => expandDims(t, a)),
    a,
  );
}

/** The slices of x along an axis, that axis removed. @example tl.unstack(tl.tensor([[1, 2], [3, 4]])).map((t) => t.arraySync()) // [[1, 2], [3, 4]] */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor('unstack', x);
  if (t.rank === 0) throw new TensileError('unstack', 'cannot unstack a scalar');
  const a = normAxis('unstack', axis, t.shape);
  return Array.from({ length: t.shape[a] }, (_, i) =>
    squeeze(
      slice(
        t,
        t.shape.map((_d, j) => (j === a ? i : 0)),
        t.shape.map((d, j) => (j === a ? 1 : d)),
      ),
      a,
    ),
  );
}

/**
 * x cut along an axis into `n` equal parts, or parts of the given sizes (one may be -1: the rest), as tfjs' split.
 * @example tl.split(tl.arange(6), 3).map((t) => t.arraySync()) // [[0, 1], [2, 3], [4, 5]]
 */
export function split(x: TensorLike, sizes: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor('split', x);
  if (t.rank === 0) throw new TensileError('split', 'cannot split a scalar');
  const a = normAxis('split', axis, t.shape);
  const n = t.shape[a];
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes < 1 || n % sizes !== 0)
      throw new TensileError(
        'split',
        `cannot split axis ${a} of size ${n} (shape ${fmt(t.shape)}) into ${sizes} equal parts`,
      );
    parts = new Array<number>(sizes).fill(n / sizes);
  } else {
    const rest = n - sizes.filter((s) => s !== -1).reduce((p, q) => p + q, 0);
    parts = sizes.map((s) => (s === -1 ? rest : s));
    if (
      sizes.filter((s) => s === -1).length > 1 ||
      parts.some((s) => !Number.isInteger(s) || s < 0) ||
      parts.reduce((p, q) => p + q, 0) !== n
    )
      throw new TensileError(
        'split',
        `sizes [${sizes.join(', ')}] do not add up to ${n}, the size of axis ${a} of shape ${fmt(t.shape)}`,
      );
  }
  let at = 0;
  return parts.map((s) => {
    const begin = t.shape.map((_, j) => (j === a ? at : 0));
    at += s;
    return slice(
      t,
      begin,
      t.shape.map((d, j) => (j === a ? s : d)),
    );
  });
}

/** x repeated reps[i] times along each axis i. @example tl.tile(tl.tensor([[1, 2]]), [2, 2]).arraySync() // [[1, 2, 1, 2], [1, 2, 1, 2]] */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor('tile', x);
  if (!Array.isArray(reps) || reps.length !== t.rank || reps.some((r) => !Number.isInteger(r) || r < 0))
    throw new TensileError(
      'tile',
      `reps must hold one non-negative integer per axis of shape ${fmt(t.shape)}, got ${JSON.stringify(reps)}`,
    );
  let y = t;
  reps.forEach((r, axis) => {
    if (r !== 1)
      y =
        r === 0
          ? slice(
              y,
              y.shape.map(() => 0),
              y.shape.map((d, j) => (j === axis ? 0 : d)),
            )
          : concat(new Array<Tensor>(r).fill(y), axis);
  });
  return y;
}
