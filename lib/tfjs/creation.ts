import { TensileError } from '../errors.js';
import {
  type CreateOptions,
  Tensor,
  tensor as coreTensor,
  zeros as coreZeros,
  ones as coreOnes,
  full,
} from '../tensor/index.js';
import type { NestedArray } from '../tensor/tensor.js';
import { type DType, checkDtype } from '../tensor/dtype.js';
import { checkShape, fmt, sizeOf } from '../tensor/shape.js';
import { assignValues } from '../tensor/storage.js';

// tfjs-core's creation functions: positional (values, shape, dtype), rank-checked tensorNd, buffers and variables.
type Values =
  NestedArray | Float32Array | Int32Array | Uint8Array | Float64Array | readonly number[] | boolean | boolean[];
const opts = (dtype: DType | undefined): CreateOptions => ({ dtype: checkDtype('tensor', dtype) });
const numeric = (v: Values): NestedArray | Float32Array | Int32Array | Uint8Array | Float64Array =>
  typeof v === 'boolean'
    ? Number(v)
    : Array.isArray(v) && typeof v[0] === 'boolean'
      ? (v as boolean[]).map(Number)
      : (v as NestedArray);

/** tf.tensor(values, shape?, dtype?). */
export function tensor(values: Values, shape?: readonly number[], dtype?: DType): Tensor {
  return coreTensor(
    numeric(values),
    shape,
    opts(dtype ?? (typeof values === 'boolean' ? 'bool' : values instanceof Int32Array ? 'int32' : undefined)),
  );
}
const ranked =
  (rank: number) =>
  (values: Values, shape?: readonly number[], dtype?: DType): Tensor => {
    const t = tensor(values, shape, dtype);
    if (t.rank !== rank)
      throw new TensileError(`tensor${rank}d`, `expected values of rank ${rank}, got shape ${fmt(t.shape)}`);
    return t;
  };
/** tf.tensor1d(values, dtype?): the one rank without a shape argument. */
export const tensor1d = (values: Values, dtype?: DType): Tensor => ranked(1)(values, undefined, dtype);
export const tensor2d = ranked(2),
  tensor3d = ranked(3),
  tensor4d = ranked(4),
  tensor5d = ranked(5),
  tensor6d = ranked(6);
/** tf.scalar(value, dtype?). */
export const scalar = (value: number | boolean, dtype?: DType): Tensor => ranked(0)(value, [], dtype);
export const zeros = (shape: readonly number[], dtype?: DType): Tensor => coreZeros(shape, opts(dtype));
export const ones = (shape: readonly number[], dtype?: DType): Tensor => coreOnes(shape, opts(dtype));
export const fill = (shape: readonly number[], value: number, dtype?: DType): Tensor => full(shape, value, opts(dtype));
export const zerosLike = (x: Tensor): Tensor => zeros(x.shape, x.dtype);
export const onesLike = (x: Tensor): Tensor => ones(x.shape, x.dtype);
export const clone = (x: Tensor): Tensor => new Tensor(x.data.slice(), x.shape, false, x.dtype);

/** tf.TensorBuffer: a mutable array with a shape, set element by element, then turned into a tensor. */
export class TensorBuffer {
  readonly shape: number[];
  readonly values: Float32Array;
  readonly strides: number[];
  constructor(
    shape: readonly number[],
    readonly dtype: DType = 'float32',
    values?: ArrayLike<number>,
  ) {
    this.shape = [...checkShape('buffer', shape)];
    checkDtype('buffer', dtype);
    const n = sizeOf(this.shape);
    if (values && values.length !== n)
      throw new TensileError('buffer', `${values.length} values do not fill shape ${fmt(this.shape)}`);
    this.values = values ? Float32Array.from(values) : new Float32Array(n);
    this.strides = this.shape.map((_, i) => sizeOf(this.shape.slice(i + 1)));
  }
  get size(): number {
    return this.values.length;
  }
  private index(locs: number[]): number {
    if (locs.length !== this.shape.length || locs.some((l, i) => !Number.isInteger(l) || l < 0 || l >= this.shape[i]))
      throw new TensileError('TensorBuffer', `location [${locs.join(', ')}] is outside shape ${fmt(this.shape)}`);
    return locs.reduce((s, l, i) => s + l * this.strides[i], 0);
  }
  set(value: number, ...locs: number[]): void {
    this.values[this.index(locs)] = value;
  }
  get(...locs: number[]): number {
    return this.values[this.index(locs)];
  }
  toTensor(): Tensor {
    return coreTensor(this.values, this.shape, { dtype: this.dtype });
  }
}
/** tf.buffer(shape, dtype?, values?). */
export const buffer = (shape: readonly number[], dtype: DType = 'float32', values?: ArrayLike<number>): TensorBuffer =>
  new TensorBuffer(shape, dtype, values);

/** tf.Variable: a tensor that requires grad and can be assigned in place; tf.train optimizers update it. */
export class Variable extends Tensor {
  constructor(
    initial: Tensor,
    public trainable: boolean,
    readonly name: string,
  ) {
    super(initial.data.slice(), initial.shape, trainable, initial.dtype);
  }
  assign(value: Tensor): void {
    if (value.size !== this.size || value.shape.length !== this.shape.length)
      throw new TensileError(
        'Variable.assign',
        `variable ${this.name} has shape ${fmt(this.shape)}, got ${fmt(value.shape)}`,
      );
    assignValues(this, value.data);
  }
}
/** The trainable variables made by tf.variable, which optimizer.minimize updates by default (as tfjs). */
export const trainableVariables = new Set<WeakRef<Variable>>();
let variableCount = 0;
/** tf.variable(initialValue, trainable = true, name?, dtype?). */
export function variable(initial: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
  if (!(initial instanceof Tensor))
    throw new TensileError('variable', `initialValue must be a Tensor, got ${typeof initial}`);
  const v = new Variable(
    dtype && dtype !== initial.dtype ? coreTensor(initial.data, initial.shape, { dtype }) : initial,
    trainable && (dtype ?? initial.dtype) === 'float32',
    name ?? `Variable_${variableCount++}`,
  );
  if (trainable) trainableVariables.add(new WeakRef(v));
  return v;
}
