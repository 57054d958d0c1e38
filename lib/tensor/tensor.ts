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
   * @internal Use tl.tensor(); the data is taken as-is, not copied. `data` is the host array, which on the
   * cuda backend may be older than the device copy: read values with dataSync()/arraySync()/item().
   */
  constructor(
    /** The values, row-major (the host copy: read values with dataSync()). */
    readonly data: Float32Array,
    /** The size of each dimension. */
    readonly shape: Shape,
    /** Whether backward() computes a gradient for this tensor. */
    public requiresGrad = false,
    /** 'float32', or 'int32' / 'bool' for labels, indices, masks and comparisons (stored as float32 values). */
    readonly dtype: DType = 'float32',
  ) {}

  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values. */
  dataSync(): Float32Array {
    return syncHost(this.data).slice();
  }

  /**
   * Free device memory now instead of at garbage collection (cuda backend); idempotent, and a no-op for
   * tensors that live only in host memory. The tensor must not be used afterwards.
   * @example
   * const y = model.predict(x); const v = y.dataSync(); y.dispose();
   */
  dispose(): void {
    releaseStorage(this.data);
  }

  /** The values as nested arrays (a number for a scalar). */
  arraySync(): NestedArray {
    const { shape } = this;
    const data = syncHost(this.data);
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
    return syncHost(this.data)[0];
  }

  /** The values, formatted like NumPy. */
  toString(): string {
    return formatTensor(syncHost(this.data), this.shape);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Tensor ${this.toString()}`;
  }
}
