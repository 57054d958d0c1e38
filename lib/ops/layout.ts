import { defineOp, type Op, sameDtype } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { type Shape, fmt, normAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { hostStep } from '../backend/recording.js';

// ---- transpose -------------------------------------------------------------------------------
const transposeOp: Op<{ perm: readonly number[] }> = defineOp<{ perm: readonly number[] }>({
  name: 'transpose',
  dtype: sameDtype,
  outShape: ([x], { perm }) => perm.map((p) => x.shape[p]),
  forward: (k, [x], out, _s, { perm }) => k.transpose(x.raw, out, x.shape, perm),
  backward: (dy, _x, _y, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transposeOp([dy], { perm: inverse })];
  },
});

/** Permute axes (default: reverse them). Copies. @example tl.transpose(tl.zeros([2, 3, 4]), [0, 2, 1]).shape // [2, 4, 3] */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor('transpose', x);
  if (perm !== undefined && !Array.isArray(perm))
    throw new TensileError('transpose', `perm must be an array of axes, got ${perm === null ? 'null' : typeof perm}`);
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const valid = p.length === t.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid)
    throw new TensileError(
      'transpose',
      `perm [${p.join(', ')}] is not a permutation of the axes of shape ${fmt(t.shape)}`,
    );
  return transposeOp([t], { perm: p });
}

// ---- slice and its inverse -------------------------------------------------------------------
interface Box {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

const sliceOp: Op<Box> = defineOp<Box>({
  name: 'slice',
  dtype: sameDtype,
  outShape: (_, { size }) => size,
  forward: (k, [x], out, shape, { begin }) => k.slice(x.raw, x.shape, begin, out, shape),
  backward: (dy, [x], _y, { begin }) => [unsliceOp([dy], { begin, size: x.shape })],
});

/** Writes x into a zero tensor of `size` at `begin`: the gradient of slice. */
const unsliceOp: Op<Box> = defineOp<Box>({
  name: 'unslice',
  dtype: sameDtype,
  outShape: (_, { size }) => size,
  forward: (k, [x], out, shape, { begin }) => k.unslice(x.raw, x.shape, begin, out, shape),
  backward: (dy, [x], _y, { begin }) => [sliceOp([dy], { begin, size: x.shape })],
});

/**
 * The box [begin, begin + size) of x; a size of -1 takes the rest of that axis (tfjs semantics).
 * @example tl.slice(tl.tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]) // [[2, 3], [5, 6]]
 */
export function slice(x: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = toTensor('slice', x);
  if (!Array.isArray(begin) || (size !== undefined && !Array.isArray(size)))
    throw new TensileError('slice', `begin and size must be arrays with one entry per axis of shape ${fmt(t.shape)}`);
  if (begin.length !== t.rank)
    throw new TensileError(
      'slice',
      `begin [${begin.join(', ')}] must have one entry per axis of shape ${fmt(t.shape)}`,
    );
  const sz = (size ?? begin.map(() => -1)).map((s, i) => (s === -1 ? t.shape[i] - begin[i] : s));
  if (sz.length !== t.rank)
    throw new TensileError('slice', `size [${sz.join(', ')}] must have one entry per axis of shape ${fmt(t.shape)}`);
  t.shape.forEach((d, i) => {
    const b = begin[i],
      s = sz[i];
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > d)
      throw new TensileError(
        'slice',
        `begin [${begin.join(', ')}] and size [${(size ?? []).join(', ')}] fall outside shape ${fmt(t.shape)} at axis ${i}`,
      );
  });
  return sliceOp([t], { begin, size: sz });
}

// ---- concat ----------------------------------------------------------------------------------
/** Join tensors along an axis; all other dimensions must agree. @example tl.concat([tl.ones([2, 1]), tl.zeros([2, 2])], 1).shape // [2, 3] */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new TensileError('concat', 'needs a non-empty array of tensors');
  const ts = xs.map((x, i) => toTensor('concat', x, `tensors[${i}]`));
  const rank = ts[0].rank;
  if (rank === 0) throw new TensileError('concat', 'cannot concatenate scalars');
  const a = normAxis('concat', axis, ts[0].shape);
  ts.forEach((t) => {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i]))
      throw new TensileError('concat', `shapes ${ts.map((u) => fmt(u.shape)).join(', ')} differ outside axis ${a}`);
  });
  return concatOp(ts, { axis: a });
}

const concatOp = defineOp<{ axis: number }>({
  name: 'concat',
  dtype: sameDtype,
  outShape: (ts, { axis }) => ts[0].shape.map((d, i) => (i === axis ? ts.reduce((s, t) => s + t.shape[axis], 0) : d)),
  forward: (k, ts, out, shape, { axis }) => {
    let offset = 0;
    for (const t of ts) {
      k.unslice(
        t.raw,
        t.shape,
        shape.map((_, i) => (i === axis ? offset : 0)),
        out,
        shape,
      );
      offset += t.shape[axis];
    }
  },
  backward: (dy, ts, _y, { axis }) => {
    let offset = 0;
    return ts.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? offset : 0));
      offset += t.shape[axis];
      return t.requiresGrad ? sliceOp([dy], { begin, size: t.shape }) : null;
    });
  },
});

// ---- gather rows ------------------------------------------------------------------------------
interface GatherAttrs {
  readonly indices: Int32Array;
  /** Shape of the index tensor: the leading axes of gather's output. */
  readonly indexShape: Shape;
}

const gatherOp: Op<GatherAttrs> = defineOp<GatherAttrs>({
  name: 'gather',
  dtype: sameDtype,
  outShape: ([x], { indexShape }) => [...indexShape, ...x.shape.slice(1)],
  forward: (k, [x], out, _s, { indices }) => k.gather(x.raw, indices, out, sizeOf(x.shape.slice(1))),
  backward: (dy, [x], _y, attrs) => [scatterAddOp([dy], { ...attrs, outShape: x.shape })],
});

/** Sums the rows of x into a zero tensor of outShape at the given row indices: the gradient of gather. */
const scatterAddOp: Op<GatherAttrs & { readonly outShape: Shape }> = defineOp<
  GatherAttrs & { readonly outShape: Shape }
>({
  name: 'scatterAdd',
  dtype: sameDtype,
  outShape: (_, { outShape }) => outShape,
  forward: (k, [x], out, shape, { indices }) => k.scatterAdd(x.raw, indices, out, sizeOf(shape.slice(1))),
  backward: (dy, _x, _y, attrs) => [gatherOp([dy], attrs)],
});

/**
 * Slices of x along `axis` (default 0, negative counts from the end) picked by integer indices, as tfjs'
 * gather: the result has shape [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)].
 * @example
 * tl.gather(tl.tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]) // [[5, 6], [1, 2]]
 * tl.gather(tl.tensor([[1, 2, 3], [4, 5, 6]]), [2, 0], 1) // [[3, 1], [6, 4]]
 */
export function gather(x: TensorLike, indices: TensorLike | Int32Array, axis = 0): Tensor {
  const t = toTensor('gather', x);
  if (t.rank === 0) throw new TensileError('gather', 'cannot gather from a scalar');
  const a = normAxis('gather', axis, t.shape);
  if (a === 0) return gatherRows(t, indices);
  // Gather along another axis: move it to the front, gather rows, move the index axes back to where it was.
  const front = [a, ...t.shape.map((_, i) => i).filter((i) => i !== a)];
  const rows = gatherRows(transposeOp([t], { perm: front }), indices);
  const k = rows.rank - (t.rank - 1); // the index tensor's rank
  const perm = [
    ...Array.from({ length: a }, (_, i) => k + i),
    ...Array.from({ length: k }, (_, i) => i),
    ...Array.from({ length: t.rank - 1 - a }, (_, i) => k + a + i),
  ];
  return transposeOp([rows], { perm });
}

function gatherRows(t: Tensor, indices: TensorLike | Int32Array): Tensor {
  const idx =
    indices instanceof Int32Array ? { data: indices, shape: [indices.length] } : toTensor('gather', indices, 'indices');
  const rows = t.shape[0];
  const idxValues = idx.data;
  const checked = new Int32Array(idxValues.length);
  // A host step: a compiled step checks and converts each batch's indices again (an embedding's inputs).
  hostStep(
    [checked],
    () => {
      for (let i = 0; i < checked.length; i++) {
        const v = idxValues[i];
        if (!Number.isInteger(v) || v < 0 || v >= rows)
          throw new TensileError(
            'gather',
            `index ${v} at position ${i} is not an integer in [0, ${rows}) for x of shape ${fmt(t.shape)}`,
          );
        checked[i] = v;
      }
    },
    [idxValues],
  );
  return gatherOp([t], { indices: checked, indexShape: idx.shape });
}
