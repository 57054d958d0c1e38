import { TensileError } from '../errors.js';
import { Xoshiro128, uniform } from '../tensor/random.js';
import { stackElements } from './stack.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';

/** A source of elements: a fresh iterator each time it is called. */
export type IteratorFactory<T> = () => AsyncIterator<T> | Iterator<T>;

const checkCount = (op: string, name: string, n: unknown, allowInfinity = false): number => {
  if (typeof n !== 'number' || !(Number.isInteger(n) || (allowInfinity && n === Infinity)) || n < 0)
    throw new TensileError(`data.Dataset.${op}`, `${name} must be a non-negative integer, got ${String(n)}`);
  return n;
};
const checkFunction = (op: string, f: unknown): void => {
  if (typeof f !== 'function') throw new TensileError(`data.Dataset.${op}`, `expected a function, got ${typeof f}`);
};

/**
 * An ordered, lazily computed, re-iterable sequence of elements, as tfjs-data's Dataset: each pass
 * (`for await`, `forEachAsync`, an epoch of `model.fitDataset`) starts again from the source, and holds only
 * what its stages buffer (a batch, a shuffle buffer, prefetched elements), so a file larger than memory
 * streams through.
 * @example
 * const ds = tl.data.array([1, 2, 3, 4]).map((v) => v * 2).batch(2);
 * await ds.toArray(); // [tensor [2, 4], tensor [6, 8]]
 */
export class Dataset<T> implements AsyncIterable<T> {
  /** @param source a fresh iterator for each pass; `size` when known (Infinity for an endless one). */
  constructor(
    private readonly source: IteratorFactory<T>,
    /** Elements in one pass, when known without reading them. */
    readonly size: number | null = null,
  ) {}

  /** One pass over the elements. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.source();
    if (Symbol.asyncIterator in it) return it as AsyncIterator<T>; // an async generator already is one
    // A sync iterator: its results as promises, and its return() kept so that an early stop closes it.
    return {
      next: async () => it.next() as IteratorResult<T>,
      return: async (value?: unknown) => (it.return?.(value) as IteratorResult<T>) ?? { done: true, value: undefined },
    };
  }

  /** A new dataset whose passes are fn applied to a pass of this one. */
  private derive<U>(fn: (input: AsyncIterable<T>) => AsyncGenerator<U>, size: number | null = null): Dataset<U> {
    return new Dataset(() => fn(this), size);
  }

  /**
   * Each element transformed by fn (which may be async).
   * @example tl.data.array([1, 2]).map((v) => ({ xs: [v], ys: [2 * v] }))
   */
  map<U>(fn: (value: T) => U | Promise<U>): Dataset<U> {
    checkFunction('map', fn);
    return this.derive(async function* (input) {
      for await (const v of input) yield await fn(v);
    }, this.size);
  }

  /**
   * Only the elements for which predicate is true.
   * @example tl.data.array([1, 2, 3]).filter((v) => v % 2 === 1) // 1, 3
   */
  filter(predicate: (value: T) => boolean | Promise<boolean>): Dataset<T> {
    checkFunction('filter', predicate);
    return this.derive(async function* (input) {
      for await (const v of input) if (await predicate(v)) yield v;
    });
  }

  /**
   * Consecutive elements stacked into batches of batchSize along a new first axis: numbers and arrays become
   * Tensors, objects and arrays of Tensors are batched key by key. The last batch is smaller unless
   * smallLastBatch is false, when it is dropped.
   * @example tl.data.array([{ xs: [1, 2], ys: [0] }, { xs: [3, 4], ys: [1] }]).batch(2) // { xs: [2, 2] tensor, ys: [2, 1] tensor }
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<BatchOf<T>> {
    if (checkCount('batch', 'batchSize', batchSize) < 1)
      throw new TensileError('data.Dataset.batch', 'batchSize must be at least 1, got 0');
    const n = this.size;
    const size = n === null ? null : smallLastBatch ? Math.ceil(n / batchSize) : Math.floor(n / batchSize);
    return this.derive(async function* (input) {
      let buf: T[] = [];
      for await (const v of input) {
        buf.push(v);
        if (buf.length === batchSize) {
          yield stackElements(buf) as BatchOf<T>;
          buf = [];
        }
      }
      if (buf.length > 0 && smallLastBatch) yield stackElements(buf) as BatchOf<T>;
    }, size);
  }

  /**
   * Elements in random order, drawn from a buffer of bufferSize elements (a bufferSize at least the dataset's
   * size shuffles uniformly). Each pass draws a new order: from `seed` and the pass number when a seed is
   * given, else from tensile's random source (tl.setSeed).
   * @example tl.data.csv('big.csv').shuffle(10000, 42)
   */
  shuffle(bufferSize: number, seed?: number, reshuffleEachIteration = true): Dataset<T> {
    if (checkCount('shuffle', 'bufferSize', bufferSize) < 1)
      throw new TensileError('data.Dataset.shuffle', 'bufferSize must be at least 1, got 0');
    if (seed !== undefined && !Number.isFinite(seed))
      throw new TensileError('data.Dataset.shuffle', `seed must be a finite number, got ${seed}`);
    let pass = 0;
    const base = seed ?? Math.floor(uniform() * 2 ** 32);
    return this.derive(async function* (input) {
      const rng = new Xoshiro128(reshuffleEachIteration ? base + pass++ : base);
      const int = (n: number) => Math.floor((rng.nextU32() / 2 ** 32) * n);
      const buf: T[] = [];
      for await (const v of input) {
        if (buf.length < bufferSize) {
          buf.push(v);
          continue;
        }
        // Out goes a random element of the full buffer; the new one takes its place.
        const i = int(bufferSize);
        const out = buf[i];
        buf[i] = v;
        yield out;
      }
      while (buf.length > 0) {
        const i = int(buf.length);
        const out = buf[i];
        buf[i] = buf[buf.length - 1];
        buf.pop();
        yield out;
      }
    }, this.size);
  }

  /**
   * At most the first count elements.
   * @example tl.data.array([1, 2, 3]).take(2) // 1, 2
   */
  take(count: number): Dataset<T> {
    checkCount('take', 'count', count, true);
    return this.derive(
      async function* (input) {
        if (count === 0) return;
        let i = 0;
        for await (const v of input) {
          yield v;
          if (++i >= count) return;
        }
      },
      this.size === null ? null : Math.min(this.size, count),
    );
  }

  /**
   * All but the first count elements.
   * @example tl.data.array([1, 2, 3]).skip(2) // 3
   */
  skip(count: number): Dataset<T> {
    checkCount('skip', 'count', count, true);
    return this.derive(
      async function* (input) {
        let i = 0;
        for await (const v of input) if (i++ >= count) yield v;
      },
      this.size === null ? null : Math.max(0, this.size - count),
    );
  }

  /**
   * The elements count times over (for ever without a count), each time a new pass of this dataset.
   * @example tl.data.array([1, 2]).repeat(2) // 1, 2, 1, 2
   */
  repeat(count = Infinity): Dataset<T> {
    checkCount('repeat', 'count', count, true);
    const self = this;
    return this.derive(
      async function* () {
        for (let k = 0; k < count; k++) {
          let any = false;
          for await (const v of self) {
            any = true;
            yield v;
          }
          if (!any) return; // an empty dataset repeated for ever is still empty
        }
      },
      this.size === null ? null : this.size * count,
    );
  }

  /**
   * Read up to bufferSize elements ahead while the consumer works on the current one (overlaps file reading
   * and parsing with training).
   * @example tl.data.csv('big.csv').map(toXy).batch(256).prefetch(2)
   */
  prefetch(bufferSize: number): Dataset<T> {
    if (checkCount('prefetch', 'bufferSize', bufferSize) < 1)
      throw new TensileError('data.Dataset.prefetch', 'bufferSize must be at least 1, got 0');
    const self = this;
    return this.derive(async function* () {
      const it = self[Symbol.asyncIterator]();
      const ahead: Promise<IteratorResult<T>>[] = [];
      try {
        for (;;) {
          // An async generator queues calls to next(), so the promises settle in order.
          while (ahead.length < bufferSize) ahead.push(it.next());
          const r = await ahead.shift()!;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        await Promise.allSettled(ahead);
        await it.return?.();
      }
    }, this.size);
  }

  /**
   * This dataset's elements, then other's.
   * @example tl.data.array([1]).concatenate(tl.data.array([2])) // 1, 2
   */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new TensileError('data.Dataset.concatenate', 'expected a Dataset');
    const self = this;
    return this.derive(
      async function* () {
        yield* self;
        yield* other;
      },
      this.size === null || other.size === null ? null : this.size + other.size,
    );
  }

  /**
   * Call f on each element of one pass, in order, awaiting it when it is async.
   * @example await ds.forEachAsync((e) => console.log(e));
   */
  async forEachAsync(f: (value: T) => void | Promise<void>): Promise<void> {
    checkFunction('forEachAsync', f);
    for await (const v of this) await f(v);
  }

  /**
   * Every element of one pass, in an array (for small datasets: it holds them all).
   * @example await tl.data.array([1, 2]).toArray() // [1, 2]
   */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity)
      throw new TensileError(
        'data.Dataset.toArray',
        'the dataset is endless (repeat() without a count); take(n) first',
      );
    const out: T[] = [];
    for await (const v of this) out.push(v);
    return out;
  }
}

/** What batch() makes of an element type: numbers, numeric arrays and Tensors become Tensors, objects keep their keys. */
export type BatchOf<T> = T extends number | NestedArray | Tensor | Float32Array | Int32Array | Uint8Array
  ? Tensor
  : T extends string | boolean
    ? T[]
    : T extends object
      ? { [K in keyof T]: BatchOf<T[K]> }
      : never;

/** Number of elements of a pass when every dataset's size is known, else null. */
const minSize = (sizes: (number | null)[]): number | null =>
  sizes.some((s) => s === null) ? null : Math.min(...(sizes as number[]));

/**
 * Elements of several datasets side by side, as an array or an object of their elements, until the shortest
 * one ends (tfjs' tf.data.zip).
 * @example tl.data.zip({ xs: tl.data.array([[1], [2]]), ys: tl.data.array([[0], [1]]) }) // { xs: [1], ys: [0] }, ...
 */
export function zip<D extends readonly Dataset<unknown>[] | Record<string, Dataset<unknown>>>(
  datasets: D,
): Dataset<{ [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }> {
  type Out = { [K in keyof D]: D[K] extends Dataset<infer E> ? E : never };
  if (datasets === null || typeof datasets !== 'object' || !Object.values(datasets).every((d) => d instanceof Dataset))
    throw new TensileError('data.zip', 'expected an array or an object of Datasets');
  const keys = Object.keys(datasets) as (keyof D & string)[];
  const list = keys.map((k) => (datasets as Record<string, Dataset<unknown>>)[k]);
  return new Dataset<Out>(
    async function* () {
      const its = list.map((d) => d[Symbol.asyncIterator]());
      try {
        for (;;) {
          const rs = await Promise.all(its.map((it) => it.next()));
          if (rs.some((r) => r.done)) return;
          const out = (Array.isArray(datasets) ? [] : {}) as Record<string, unknown>;
          keys.forEach((k, i) => (out[k] = rs[i].value));
          yield out as Out;
        }
      } finally {
        await Promise.all(its.map((it) => it.return?.()));
      }
    },
    minSize(list.map((d) => d.size)),
  );
}
