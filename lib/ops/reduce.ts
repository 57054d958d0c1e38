import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import type { ReduceOp } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { broadcastPlan } from '../tensor/broadcast.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import {
  type Shape,
  broadcastShapes,
  checkShape,
  fmt,
  normAxes,
  normAxis,
  shapesEqual,
  sizeOf,
} from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { arithmeticDtype } from '../tensor/dtype.js';
import { div, equal, mul, scalar } from './elementwise-binary.js';
import { reshape } from './reshape.js';

/** Options of the reductions: axes and keepDims. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1. */
  keepDims?: boolean;
}

interface ReduceAttrs {
  readonly op: ReduceOp;
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** The input's shape with reduced axes set to 1. */
const keptShape = (shape: Shape, axes: readonly number[]): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d));

const reduceOp: Op<ReduceAttrs> = defineOp<ReduceAttrs>({
  name: 'reduce',
  // As tfjs: a sum of int32 or bool values is int32; max and min keep the dtype.
  dtype: ([x], { op }) => (op === 'sum' ? arithmeticDtype(x.dtype) : x.dtype),
  outShape: ([x], { axes, keepDims }) =>
    keepDims ? keptShape(x.shape, axes) : x.shape.filter((_, i) => !axes.includes(i)),
  forward: (k, [x], out, _shape, { op, axes }) => {
    // Reduce each run of adjacent axes as one [outer, n, inner] pass, last run first.
    const cur = [...x.shape];
    let src = x.raw;
    const runs: [number, number][] = [];
    for (const a of axes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === a - 1) last[1] = a;
      else runs.push([a, a]);
    }
    if (runs.length === 0) return k.copy(src, out);
    for (let r = runs.length - 1; r >= 0; r--) {
      const [a0, a1] = runs[r];
      const outer = sizeOf(cur.slice(0, a0));
      const n = sizeOf(cur.slice(a0, a1 + 1));
      const inner = sizeOf(cur.slice(a1 + 1));
      const dst = r === 0 ? out : new Float32Array(outer * inner);
      k.reduce(op, src, dst, { outer, n, inner });
      for (let a = a0; a <= a1; a++) cur[a] = 1;
      src = dst;
    }
  },
  backward: (dy, [x], y, { op, axes }) => {
    const kept = keptShape(x.shape, axes);
    const dyFull = broadcastTo(reshape(dy, kept), x.shape);
    if (op === 'sum') return [dyFull];
    // max/min: the gradient goes to the elements equal to the result, split evenly among ties (as TensorFlow does).
    const mask = equal(x, broadcastTo(reshape(y, kept), x.shape));
    const ties = reduceOp([mask], { op: 'sum', axes, keepDims: true });
    return [div(mul(dyFull, mask), ties)];
  },
});

/** An options object (undefined means defaults), or a TensileError naming the op. */
function checkOptions(op: string, options: ReduceOptions | undefined | null): ReduceOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object')
    throw new TensileError(
      op,
      `options must be an object like { axis, keepDims }, got ${options === null ? 'null' : typeof options}`,
    );
  return options;
}

function reduceWith(op: ReduceOp, name: string) {
  return (x: TensorLike, options: ReduceOptions = {}): Tensor => {
    const t = toTensor(name, x);
    const o = checkOptions(name, options);
    return reduceOp([t], { op, axes: normAxes(name, o.axis, t.shape), keepDims: o.keepDims ?? false });
  };
}

/** Sum over axes. @example tl.sum(tl.tensor([[1, 2], [3, 4]]), { axis: 0 }) // [4, 6] */
export const sum = reduceWith('sum', 'sum');
/** Maximum over axes; NaN wins. @example tl.max(tl.tensor([[1, 5], [3, 4]]), { axis: 1 }) // [5, 4] */
export const max = reduceWith('max', 'max');
/** Minimum over axes; NaN wins. @example tl.min(tl.tensor([3, 1, 2])) // 1 */
export const min = reduceWith('min', 'min');

/** Mean over axes. @example tl.mean(tl.tensor([1, 2, 3, 4])) // 2.5 */
export function mean(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = toTensor('mean', x);
  options = checkOptions('mean', options);
  const axes = normAxes('mean', options.axis, t.shape);
  const n = sizeOf(axes.map((a) => t.shape[a]));
  return mul(sum(t, { axis: axes, keepDims: options.keepDims }), scalar(1 / n));
}

const argmaxOp = defineOp<{ axis: number }>({
  name: 'argmax',
  dtype: () => 'int32',
  outShape: ([x], { axis }) => {
    if (x.shape[axis] === 0)
      throw new TensileError('argmax', `cannot take argmax over axis ${axis} of size 0 in shape ${fmt(x.shape)}`);
    return x.shape.filter((_, i) => i !== axis);
  },
  forward: (k, [x], out, _s, { axis }) =>
    k.argmax(x.raw, out, {
      outer: sizeOf(x.shape.slice(0, axis)),
      n: x.shape[axis],
      inner: sizeOf(x.shape.slice(axis + 1)),
    }),
});

/** Index of the first maximum along an axis (default: the last), as int32 values. @example tl.argmax(tl.tensor([[1, 9, 3]])) // [1] */
export function argmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor('argmax', x);
  if (t.rank === 0) throw new TensileError('argmax', 'needs a tensor of rank ≥ 1, got a scalar');
  return argmaxOp([t], { axis: normAxis('argmax', axis, t.shape) });
}

const broadcastToOp: Op<{ shape: Shape }> = defineOp<{ shape: Shape }>({
  name: 'broadcastTo',
  dtype: sameDtype,
  outShape: ([x], { shape }) => {
    const b = broadcastShapes('broadcastTo', x.shape, shape);
    if (!shapesEqual(b, shape))
      throw new TensileError('broadcastTo', `cannot broadcast shape ${fmt(x.shape)} to ${fmt(shape)}`);
    return shape;
  },
  forward: (k, [x], out, shape) => k.broadcast(x.raw, out, broadcastPlan(shape, [x.shape])),
  backward: (dy, [x]) => [sumTo(dy, x.shape)],
});

/** Repeat x along broadcast axes to the given shape. @example tl.broadcastTo(tl.tensor([1, 2]), [3, 2]) */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('broadcastTo', x);
  checkShape('broadcastTo', shape);
  return shapesEqual(t.shape, shape) ? t : broadcastToOp([t], { shape });
}

/** Sum a broadcast result back to one of its operands' shapes (the gradient of broadcasting). */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  return reshape(reduceOp([x], { op: 'sum', axes, keepDims: true }), shape);
}
