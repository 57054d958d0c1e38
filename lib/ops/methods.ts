// Every op as a Tensor method too: x.add(y), x.relu().sum(). Declared here so that tensor/
// stays below ops/ (dependencies point down); lib/index.ts imports this module once.
import { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/create.js';
import * as binary from './elementwise-binary.js';
import * as unary from './elementwise-unary.js';
import * as layout from './layout.js';
import { matmul } from './matmul.js';
import * as reduce from './reduce.js';
import { reshape } from './reshape.js';
import { clip, where } from './select.js';
import { logSoftmax, softmax } from './softmax.js';
import { cast } from './cast.js';
import { cumsum } from './cumsum.js';
import { argMin } from './arg-min.js';
import * as logical from './logical.js';
import { expandDims, squeeze, tile, unstack } from './shape-ops.js';
import type { DType } from '../tensor/dtype.js';
import type { NestedArray } from '../tensor/tensor.js';

type Bin = (b: TensorLike) => Tensor;
/** A reduction with options, or tfjs' positional (axis, keepDims): x.sum({ axis: 0 }) = x.sum(0). */
type Reduce = (options?: reduce.ReduceOptions | number | readonly number[], keepDims?: boolean) => Tensor;
declare module '../tensor/tensor.js' {
  interface Tensor {
    /** this + b, broadcasting (tl.add). */
    add: Bin;
    /** this − b, broadcasting (tl.sub). */
    sub: Bin;
    /** this · b element-wise, broadcasting (tl.mul). */
    mul: Bin;
    /** this / b, broadcasting (tl.div). */
    div: Bin;
    /** this raised to b, broadcasting (tl.pow). */
    pow: Bin;
    /** The larger of this and b element-wise (tl.maximum). */
    maximum: Bin;
    /** The smaller of this and b element-wise (tl.minimum). */
    minimum: Bin;
    /** 1 where this equals b, else 0 (tl.equal). */
    equal: Bin;
    /** 1 where this > b, else 0 (tl.greater). */
    greater: Bin;
    /** 1 where this ≥ b, else 0 (tl.greaterEqual). */
    greaterEqual: Bin;
    /** 1 where this < b, else 0 (tl.less). */
    less: Bin;
    /** 1 where this ≤ b, else 0 (tl.lessEqual). */
    lessEqual: Bin;
    /** −this (tl.neg). */
    neg(): Tensor;
    /** e to the power of each value (tl.exp). */
    exp(): Tensor;
    /** The natural logarithm of each value (tl.log). */
    log(): Tensor;
    /** The square root of each value (tl.sqrt). */
    sqrt(): Tensor;
    /** The absolute value of each value (tl.abs). */
    abs(): Tensor;
    /** Each value squared (tl.square). */
    square(): Tensor;
    /** max(0, x) of each value (tl.relu). */
    relu(): Tensor;
    /** 1 / (1 + e^−x) of each value (tl.sigmoid). */
    sigmoid(): Tensor;
    /** The hyperbolic tangent of each value (tl.tanh). */
    tanh(): Tensor;
    /** Softmax along an axis, the last by default (tl.softmax). */
    softmax(axis?: number): Tensor;
    /** Log of the softmax along an axis, computed stably (tl.logSoftmax). */
    logSoftmax(axis?: number): Tensor;
    /** The matrix product this · b, either side optionally transposed (tl.matmul). */
    matmul(b: TensorLike, options?: { transposeA?: boolean; transposeB?: boolean }): Tensor;
    /** Sum over all values or the given axes (tl.sum); tfjs' positional form sum(axis, keepDims) too. */
    sum: Reduce;
    /** Mean over all values or the given axes (tl.mean); also mean(axis, keepDims). */
    mean: Reduce;
    /** Maximum over all values or the given axes (tl.max); also max(axis, keepDims). */
    max: Reduce;
    /** Minimum over all values or the given axes (tl.min); also min(axis, keepDims). */
    min: Reduce;
    /** Index of the largest value along an axis, the last by default (tl.argmax). */
    argmax(axis?: number): Tensor;
    /** The same values in another shape; one dimension may be −1 (tl.reshape). */
    reshape(shape: readonly number[]): Tensor;
    /** Axes permuted, reversed by default (tl.transpose). */
    transpose(perm?: readonly number[]): Tensor;
    /** A block starting at begin, of the given size (−1: to the end); numbers slice the first axis (tl.slice). */
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    /** Slices picked by index along an axis, the first by default (tl.gather). */
    gather(indices: TensorLike | Int32Array, axis?: number): Tensor;
    /** Broadcast to a larger shape, NumPy rules (tl.broadcastTo). */
    broadcastTo(shape: readonly number[]): Tensor;
    /** Each value limited to [lo, hi] (tl.clip). */
    clip(lo: number, hi: number): Tensor;
    /** This where cond ≠ 0, else other (tl.where). */
    where(cond: TensorLike, other: TensorLike): Tensor;
    /** The values as another dtype (tl.cast). */
    cast(dtype: DType): Tensor;
    /** tfjs' name of cast. */
    asType(dtype: DType): Tensor;
    /** cast to float32. */
    toFloat(): Tensor;
    /** cast to int32 (truncating). */
    toInt(): Tensor;
    /** cast to bool (non-zero is true). */
    toBool(): Tensor;
    /** A new axis of size 1 at `axis` (default 0) (tl.expandDims). */
    expandDims(axis?: number): Tensor;
    /** Axes of size 1 removed: all, or the given ones (tl.squeeze). */
    squeeze(axis?: number | readonly number[]): Tensor;
    /** Repeated reps[i] times along each axis (tl.tile). */
    tile(reps: readonly number[]): Tensor;
    /** The values as one axis. */
    flatten(): Tensor;
    /** The slices along an axis (default 0), as a list (tl.unstack). */
    unstack(axis?: number): Tensor[];
    /** Running sums along an axis (tl.cumsum). */
    cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    /** tfjs' argMax: index of the largest value along an axis, the first by default. */
    argMax(axis?: number): Tensor;
    /** Index of the smallest value along an axis, the first by default (tl.argMin). */
    argMin(axis?: number): Tensor;
    /** 1 where the values differ, as bool (tl.notEqual). */
    notEqual: Bin;
    /** Element-wise and of two bool tensors (tl.logicalAnd). */
    logicalAnd: Bin;
    /** Element-wise or (tl.logicalOr). */
    logicalOr: Bin;
    /** Element-wise exclusive or (tl.logicalXor). */
    logicalXor: Bin;
    /** Element-wise not (tl.logicalNot). */
    logicalNot(): Tensor;
    /** tfjs' async read (`data` is the values array itself here: read it with dataSync() or await array()). */
    array(): Promise<NestedArray>;
  }
}

const P = Tensor.prototype;
for (const name of [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
] as const) {
  const f = binary[name];
  P[name] = function (this: Tensor, b: TensorLike) {
    return f(this, b);
  };
}
for (const name of ['neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'relu', 'sigmoid', 'tanh'] as const) {
  const f = unary[name];
  P[name] = function (this: Tensor) {
    return f(this);
  };
}
for (const name of ['sum', 'mean', 'max', 'min'] as const) {
  const f = reduce[name];
  P[name] = function (this: Tensor, o, keepDims) {
    return f(
      this,
      typeof o === 'number' || Array.isArray(o)
        ? { axis: o as number | number[], keepDims }
        : (o as reduce.ReduceOptions | undefined),
    );
  };
}
P.softmax = function (this: Tensor, axis?: number) {
  return softmax(this, axis);
};
P.logSoftmax = function (this: Tensor, axis?: number) {
  return logSoftmax(this, axis);
};
P.matmul = function (this: Tensor, b, o) {
  return matmul(this, b, o);
};
P.argmax = function (this: Tensor, axis?: number) {
  return reduce.argmax(this, axis);
};
P.reshape = function (this: Tensor, s) {
  return reshape(this, s);
};
P.transpose = function (this: Tensor, p) {
  return layout.transpose(this, p);
};
/** tfjs' short forms too: a number, or a list shorter than the rank, begins (and sizes) the leading axes, the rest taken whole. */
P.slice = function (this: Tensor, b, s) {
  const fill = (v: number | readonly number[], rest: number) => {
    const list = typeof v === 'number' ? [v] : v;
    return Array.isArray(list) && list.length < this.rank
      ? [...list, ...new Array<number>(this.rank - list.length).fill(rest)]
      : list;
  };
  return layout.slice(this, fill(b, 0), s === undefined ? s : fill(s, -1));
};
P.gather = function (this: Tensor, i, axis?: number) {
  return layout.gather(this, i, axis);
};
P.broadcastTo = function (this: Tensor, s) {
  return reduce.broadcastTo(this, s);
};
P.clip = function (this: Tensor, lo: number, hi: number) {
  return clip(this, lo, hi);
};
/** x.where(cond, other): x where cond ≠ 0, else other. */
P.where = function (this: Tensor, cond, other) {
  return where(cond, this, other);
};

P.cast = function (this: Tensor, d: DType) {
  return cast(this, d);
};
P.asType = P.cast;
P.toFloat = function (this: Tensor) {
  return cast(this, 'float32');
};
P.toInt = function (this: Tensor) {
  return cast(this, 'int32');
};
P.toBool = function (this: Tensor) {
  return cast(this, 'bool');
};
P.expandDims = function (this: Tensor, axis?: number) {
  return expandDims(this, axis);
};
P.squeeze = function (this: Tensor, axis) {
  return squeeze(this, axis);
};
P.tile = function (this: Tensor, reps) {
  return tile(this, reps);
};
P.flatten = function (this: Tensor) {
  return reshape(this, [-1]);
};
P.unstack = function (this: Tensor, axis?: number) {
  return unstack(this, axis);
};
P.cumsum = function (this: Tensor, axis?: number, exclusive?: boolean, reverse?: boolean) {
  return cumsum(this, axis, exclusive, reverse);
};
P.argMax = function (this: Tensor, axis = 0) {
  return reduce.argmax(this, axis);
};
P.argMin = function (this: Tensor, axis = 0) {
  return argMin(this, axis);
};
P.notEqual = function (this: Tensor, b: TensorLike) {
  return logical.notEqual(this, b);
};
P.logicalAnd = function (this: Tensor, b: TensorLike) {
  return logical.logicalAnd(this, b);
};
P.logicalOr = function (this: Tensor, b: TensorLike) {
  return logical.logicalOr(this, b);
};
P.logicalXor = function (this: Tensor, b: TensorLike) {
  return logical.logicalXor(this, b);
};
P.logicalNot = function (this: Tensor) {
  return logical.logicalNot(this);
};
P.array = async function (this: Tensor) {
  return this.arraySync();
};
