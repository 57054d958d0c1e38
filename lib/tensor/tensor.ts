import { TensileError } from '../errors.js';
import type { GradNode } from '../autograd/graph.js';
import type { DType } from './dtype.js';
import { formatTensor } from './format.js';
import { type Shape, sizeOf } from './shape.js';
import { releaseStorage, syncHost } from './storage.js';

/** Nested arrays of numbers, as `arraySync()` returns and `tensor()` takes. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array, row-major and contiguous, owned by the garbage collector (no dispose); its
 * values are stored as float32 whatever its dtype (see DType). Ops return new tensors; a tensor's values never change after creation,
 * except a Variable's, through an optimizer.
 * @example
 * const t = tl.tensor([[1, 2], [3, 4]]); t.shape; // [2, 2]
 */
export class Tensor {
  /** Gradient accumulated by `backward()` for a leaf that requires grad. */
  grad: Tensor | null = null;
  /** @internal The op that produced this tensor, while a graph is recorded. */
  node: GradNode | null = null;

  /**
   * @internal Use tl.tensor(); the array is taken as-is, not copied.
   */
  constructor(
    /**
     * @internal The storage array, as kernels see it: on the cuda backend it may be older than the device
     * copy. Only backends, ops, autograd and the compiled step touch it (lint: eslint.config.mjs); every
     * other reader goes through `data`, which is always current.
     */
    readonly raw: Float32Array,
    /** The size of each dimension. */
    readonly shape: Shape,
    /** Whether backward() computes a gradient for this tensor. */
    public requiresGrad = false,
    /** 'float32', or 'int32' / 'bool' for labels, indices, masks and comparisons (stored as float32 values). */
    readonly dtype: DType = 'float32',
  ) {}

  /**
   * The values, row-major: the tensor's own array, brought up to date first on the cuda backend. Read it,
   * do not write it (values are immutable; `dataSync()` gives a copy to keep or change).
   */
  get data(): Float32Array {
    return syncHost(this.raw);
  }

  get size(): number {
    return this.raw.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values. */
  dataSync(): Float32Array {
    return this.data.slice();
  }

  /**
   * Free device memory now instead of at garbage collection (cuda backend); idempotent, and a no-op for
   * tensors that live only in host memory. The tensor must not be used afterwards.
   * @example
   * const y = model.predict(x); const v = y.dataSync(); y.dispose();
   */
  dispose(): void {
    releaseStorage(this.raw);
  }

  /** The values as nested arrays (a number for a scalar). */
  arraySync(): NestedArray {
    const { shape } = this;
    const data = this.data;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = shape[dim];
      const inner = sizeOf(shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++)
        out[i] = dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * inner);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new TensileError(
        'item',
        `tensor of shape [${this.shape.join(', ')}] has ${this.size} elements, expected 1`,
      );
    return this.data[0];
  }

  /** The values, formatted like NumPy. */
  toString(): string {
    return formatTensor(this.data, this.shape);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Tensor ${this.toString()}`;
  }
}
