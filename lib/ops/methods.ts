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

type Bin = (b: TensorLike) => Tensor;
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
    /** Sum over all values or the given axes (tl.sum). */
    sum(options?: reduce.ReduceOptions): Tensor;
    /** Mean over all values or the given axes (tl.mean). */
    mean(options?: reduce.ReduceOptions): Tensor;
    /** Maximum over all values or the given axes (tl.max). */
    max(options?: reduce.ReduceOptions): Tensor;
    /** Minimum over all values or the given axes (tl.min). */
    min(options?: reduce.ReduceOptions): Tensor;
    /** Index of the largest value along an axis, the last by default (tl.argmax). */
    argmax(axis?: number): Tensor;
    /** The same values in another shape; one dimension may be −1 (tl.reshape). */
    reshape(shape: readonly number[]): Tensor;
    /** Axes permuted, reversed by default (tl.transpose). */
    transpose(perm?: readonly number[]): Tensor;
    /** A block starting at begin, of the given size (−1: to the end) (tl.slice). */
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    /** Rows (axis 0) picked by index (tl.gather). */
    gather(indices: TensorLike | Int32Array): Tensor;
    /** Broadcast to a larger shape, NumPy rules (tl.broadcastTo). */
    broadcastTo(shape: readonly number[]): Tensor;
    /** Each value limited to [lo, hi] (tl.clip). */
    clip(lo: number, hi: number): Tensor;
    /** This where cond ≠ 0, else other (tl.where). */
    where(cond: TensorLike, other: TensorLike): Tensor;
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
  P[name] = function (this: Tensor, o?: reduce.ReduceOptions) { return f(this, o); };
}
P.softmax = function (this: Tensor, axis?: number) { return softmax(this, axis); };
P.logSoftmax = function (this: Tensor, axis?: number) { return logSoftmax(this, axis); };
P.matmul = function (this: Tensor, b, o) { return matmul(this, b, o); };
P.argmax = function (this: Tensor, axis?: number) { return reduce.argmax(this, axis); };
P.reshape = function (this: Tensor, s) { return reshape(this, s); };
P.transpose = function (this: Tensor, p) { return layout.transpose(this, p); };
P.slice = function (this: Tensor, b, s) { return layout.slice(this, b, s); };
P.gather = function (this: Tensor, i) { return layout.gather(this, i); };
P.broadcastTo = function (this: Tensor, s) { return reduce.broadcastTo(this, s); };
P.clip = function (this: Tensor, lo: number, hi: number) { return clip(this, lo, hi); };
/** x.where(cond, other): x where cond ≠ 0, else other. */
P.where = function (this: Tensor, cond, other) { return where(cond, this, other); };
