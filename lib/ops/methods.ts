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
    add: Bin; sub: Bin; mul: Bin; div: Bin; pow: Bin; maximum: Bin; minimum: Bin;
    equal: Bin; greater: Bin; greaterEqual: Bin; less: Bin; lessEqual: Bin;
    neg(): Tensor; exp(): Tensor; log(): Tensor; sqrt(): Tensor; abs(): Tensor; square(): Tensor;
    relu(): Tensor; sigmoid(): Tensor; tanh(): Tensor;
    softmax(axis?: number): Tensor; logSoftmax(axis?: number): Tensor;
    matmul(b: TensorLike, options?: { transposeA?: boolean; transposeB?: boolean }): Tensor;
    sum(options?: reduce.ReduceOptions): Tensor; mean(options?: reduce.ReduceOptions): Tensor;
    max(options?: reduce.ReduceOptions): Tensor; min(options?: reduce.ReduceOptions): Tensor;
    argmax(axis?: number): Tensor;
    reshape(shape: readonly number[]): Tensor; transpose(perm?: readonly number[]): Tensor;
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    gather(indices: TensorLike | Int32Array, axis?: number): Tensor; broadcastTo(shape: readonly number[]): Tensor;
    clip(lo: number, hi: number): Tensor; where(cond: TensorLike, other: TensorLike): Tensor;
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
P.gather = function (this: Tensor, i, axis?: number) { return layout.gather(this, i, axis); };
P.broadcastTo = function (this: Tensor, s) { return reduce.broadcastTo(this, s); };
P.clip = function (this: Tensor, lo: number, hi: number) { return clip(this, lo, hi); };
/** x.where(cond, other): x where cond ≠ 0, else other. */
P.where = function (this: Tensor, cond, other) { return where(cond, this, other); };
