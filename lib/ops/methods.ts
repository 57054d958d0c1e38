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
    add: Bin; sub: Bin; mul: Bin; div: Bin; pow: Bin; maximum: Bin; minimum: Bin;
    equal: Bin; greater: Bin; greaterEqual: Bin; less: Bin; lessEqual: Bin;
    neg(): Tensor; exp(): Tensor; log(): Tensor; sqrt(): Tensor; abs(): Tensor; square(): Tensor;
    relu(): Tensor; sigmoid(): Tensor; tanh(): Tensor;
    softmax(axis?: number): Tensor; logSoftmax(axis?: number): Tensor;
    matmul(b: TensorLike, options?: { transposeA?: boolean; transposeB?: boolean }): Tensor;
    sum: Reduce; mean: Reduce; max: Reduce; min: Reduce;
    argmax(axis?: number): Tensor;
    reshape(shape: readonly number[]): Tensor; transpose(perm?: readonly number[]): Tensor;
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    gather(indices: TensorLike | Int32Array, axis?: number): Tensor; broadcastTo(shape: readonly number[]): Tensor;
    clip(lo: number, hi: number): Tensor; where(cond: TensorLike, other: TensorLike): Tensor;
    // tfjs' names: dtype changes, shape helpers, argMax/argMin with tfjs' default axis 0, async reads.
    cast(dtype: DType): Tensor; asType(dtype: DType): Tensor; toFloat(): Tensor; toInt(): Tensor; toBool(): Tensor;
    expandDims(axis?: number): Tensor; squeeze(axis?: number | readonly number[]): Tensor; tile(reps: readonly number[]): Tensor;
    flatten(): Tensor; unstack(axis?: number): Tensor[]; cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    argMax(axis?: number): Tensor; argMin(axis?: number): Tensor; notEqual: Bin;
    logicalAnd: Bin; logicalOr: Bin; logicalXor: Bin; logicalNot(): Tensor;
    /** tfjs' async read (`data` is the values array itself here: read it with dataSync() or await array()). */
    array(): Promise<NestedArray>;
  }
}

const P = Tensor.prototype;
for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const) {
  const f = binary[name];
  P[name] = function (this: Tensor, b: TensorLike) { return f(this, b); };
}
for (const name of ['neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'relu', 'sigmoid', 'tanh'] as const) {
  const f = unary[name];
  P[name] = function (this: Tensor) { return f(this); };
}
for (const name of ['sum', 'mean', 'max', 'min'] as const) {
  const f = reduce[name];
  P[name] = function (this: Tensor, o, keepDims) {
    return f(this, typeof o === 'number' || Array.isArray(o) ? { axis: o as number | number[], keepDims } : (o as reduce.ReduceOptions | undefined));
  };
}
P.softmax = function (this: Tensor, axis?: number) { return softmax(this, axis); };
P.logSoftmax = function (this: Tensor, axis?: number) { return logSoftmax(this, axis); };
P.matmul = function (this: Tensor, b, o) { return matmul(this, b, o); };
P.argmax = function (this: Tensor, axis?: number) { return reduce.argmax(this, axis); };
P.reshape = function (this: Tensor, s) { return reshape(this, s); };
P.transpose = function (this: Tensor, p) { return layout.transpose(this, p); };
/** tfjs' short forms too: a number begins (and sizes) the first axis, the rest taken whole. */
P.slice = function (this: Tensor, b, s) {
  const begin = typeof b === 'number' ? [b, ...new Array<number>(Math.max(this.rank - 1, 0)).fill(0)] : b;
  const size = typeof s === 'number' ? [s, ...new Array<number>(Math.max(this.rank - 1, 0)).fill(-1)] : s;
  return layout.slice(this, begin, size);
};
P.gather = function (this: Tensor, i, axis?: number) { return layout.gather(this, i, axis); };
P.broadcastTo = function (this: Tensor, s) { return reduce.broadcastTo(this, s); };
P.clip = function (this: Tensor, lo: number, hi: number) { return clip(this, lo, hi); };
/** x.where(cond, other): x where cond ≠ 0, else other. */
P.where = function (this: Tensor, cond, other) { return where(cond, this, other); };

P.cast = function (this: Tensor, d: DType) { return cast(this, d); };
P.asType = P.cast;
P.toFloat = function (this: Tensor) { return cast(this, 'float32'); };
P.toInt = function (this: Tensor) { return cast(this, 'int32'); };
P.toBool = function (this: Tensor) { return cast(this, 'bool'); };
P.expandDims = function (this: Tensor, axis?: number) { return expandDims(this, axis); };
P.squeeze = function (this: Tensor, axis) { return squeeze(this, axis); };
P.tile = function (this: Tensor, reps) { return tile(this, reps); };
P.flatten = function (this: Tensor) { return reshape(this, [-1]); };
P.unstack = function (this: Tensor, axis?: number) { return unstack(this, axis); };
P.cumsum = function (this: Tensor, axis?: number, exclusive?: boolean, reverse?: boolean) { return cumsum(this, axis, exclusive, reverse); };
P.argMax = function (this: Tensor, axis = 0) { return reduce.argmax(this, axis); };
P.argMin = function (this: Tensor, axis = 0) { return argMin(this, axis); };
P.notEqual = function (this: Tensor, b: TensorLike) { return logical.notEqual(this, b); };
P.logicalAnd = function (this: Tensor, b: TensorLike) { return logical.logicalAnd(this, b); };
P.logicalOr = function (this: Tensor, b: TensorLike) { return logical.logicalOr(this, b); };
P.logicalXor = function (this: Tensor, b: TensorLike) { return logical.logicalXor(this, b); };
P.logicalNot = function (this: Tensor) { return logical.logicalNot(this); };
P.array = async function (this: Tensor) { return this.arraySync(); };
