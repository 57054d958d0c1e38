import { TensileError } from '../errors.js';
import { type DType, checkDtype, convertValues } from './dtype.js';
import { normal, uniform } from './random.js';
import { type Shape, checkShape, fmt, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Anything ops accept where a tensor is expected: a Tensor, a number, nested arrays. */
export type TensorLike = Tensor | NestedArray;

/** Options of the tensor creation functions. */
export interface CreateOptions {
  /** Record operations on this tensor so that `backward()` computes its `.grad`. */
  requiresGrad?: boolean;
  /** 'float32' (default), 'int32' (values truncated toward zero) or 'bool' (1 where not 0), as tfjs. */
  dtype?: DType;
}

/** The tensor of float32 values `data` (owned) in the options' dtype; only float32 tensors may require grad. */
function made(op: string, data: Float32Array, shape: readonly number[], options: CreateOptions): Tensor {
  const dtype = checkDtype(op, options.dtype);
  if (dtype !== 'float32' && options.requiresGrad)
    throw new TensileError(op, `a ${dtype} tensor cannot require grad (only float32 values are differentiable)`);
  return new Tensor(
    dtype === 'float32' ? data : convertValues(op, data, dtype),
    shape,
    options.requiresGrad ?? false,
    dtype,
  );
}

type Values = NestedArray | Float32Array | Float64Array | Int32Array | Uint8Array | readonly number[];

function inferShape(values: NestedArray, op: string): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  if (!Array.isArray(v) && typeof v !== 'number') throw new TensileError(op, `values must be numbers, got ${typeof v}`);
  return shape;
}

function flatten(values: NestedArray, shape: Shape, op: string): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  let k = 0;
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number')
        throw new TensileError(
          op,
          `ragged nested array: expected a number at depth ${dim}, got ${Array.isArray(v) ? 'an array' : typeof v}`,
        );
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim])
      throw new TensileError(
        op,
        `ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(v) ? v.length : typeof v}`,
      );
    for (const x of v) walk(x, dim + 1);
  };
  walk(values, 0);
  return out;
}

/**
 * Create a tensor from nested arrays, a number, or a flat typed array with a shape. The values are copied.
 * @example
 * tl.tensor([[1, 2], [3, 4]]); tl.tensor(new Float32Array([1, 2, 3, 4]), [2, 2], { requiresGrad: true });
 */
export function tensor(values: Values, shape?: readonly number[], options: CreateOptions = {}): Tensor {
  const op = 'tensor';
  let data: Float32Array;
  let s: Shape;
  if (ArrayBuffer.isView(values)) {
    data = Float32Array.from(values as ArrayLike<number>);
    s = shape === undefined ? [data.length] : checkShape(op, shape);
  } else if (typeof values === 'number') {
    data = Float32Array.of(values);
    s = shape === undefined ? [] : checkShape(op, shape);
  } else if (Array.isArray(values)) {
    const inferred = inferShape(values as NestedArray, op);
    data = flatten(values as NestedArray, inferred, op);
    s = shape === undefined ? inferred : checkShape(op, shape);
  } else {
    throw new TensileError(
      op,
      `values must be a number, nested arrays or a typed array, got ${values === null ? 'null' : typeof values}`,
    );
  }
  if (sizeOf(s) !== data.length)
    throw new TensileError(op, `${data.length} values do not fill shape ${fmt(s)} (${sizeOf(s)} elements)`);
  return made(op, data, s, options);
}

function filled(
  op: string,
  shape: readonly number[],
  fill: (n: number) => Float32Array,
  options: CreateOptions,
): Tensor {
  const s = checkShape(op, shape);
  return made(op, fill(sizeOf(s)), s, options);
}

/** @example tl.zeros([2, 3]) */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, (n) => new Float32Array(n), options);
}

/** @example tl.ones([2, 3]) */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, (n) => new Float32Array(n).fill(1), options);
}

/** @example tl.full([2, 2], 7) */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  if (typeof value !== 'number') throw new TensileError('full', `value must be a number, got ${typeof value}`);
  return filled('full', shape, (n) => new Float32Array(n).fill(value), options);
}

/** Uniform in [min, max), from the seeded generator. @example tl.setSeed(1); tl.rand([3]) */
export function rand(shape: readonly number[], options: CreateOptions & { min?: number; max?: number } = {}): Tensor {
  const { min = 0, max = 1 } = options;
  return filled(
    'rand',
    shape,
    (n) => {
      const d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = min + (max - min) * uniform();
      return d;
    },
    options,
  );
}

/** Normal with the given mean and standard deviation, from the seeded generator. @example tl.randn([2, 3]) */
export function randn(shape: readonly number[], options: CreateOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = options;
  return filled(
    'randn',
    shape,
    (n) => {
      const d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = mean + std * normal();
      return d;
    },
    options,
  );
}

/** Values from start (inclusive) to stop (exclusive) by step, like NumPy. @example tl.arange(0, 5) // [0, 1, 2, 3, 4] */
export function arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (![start, stop, step].every(Number.isFinite) || step === 0)
    throw new TensileError(
      'arange',
      `start, stop and step must be finite and step non-zero, got ${start}, ${stop}, ${step}`,
    );
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > 2 ** 31 - 1)
    throw new TensileError('arange', `${start} to ${stop} by ${step} gives ${n} values, more than a tensor can hold`);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return made('arange', d, [n], options);
}

/** A tensor for an op's argument: Tensors pass through, numbers and nested arrays are converted. */
export function toTensor(op: string, x: TensorLike, name = 'x'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || Array.isArray(x)) return tensor(x);
  throw new TensileError(
    op,
    `${name} must be a Tensor, a number or nested arrays, got ${x === null ? 'null' : typeof x}`,
  );
}
