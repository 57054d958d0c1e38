import { TensileError } from '../errors.js';
import { optionsObject } from '../internal/names.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks.js';
import { takeRows } from './data.js';

// The batch loops fit, evaluate and predict share: batches that yield to the event loop, the option checks,
// and the running averages of an epoch's logs.

/** Yield to the event loop at least this often during fit, so a server in the same process keeps answering. */
export const YIELD_EVERY_MS = 4;
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Call step(start, end) on consecutive batches of n rows, pausing after each: one loop for the blocking
 * (evaluate, predict) and the yielding (evaluateAsync, predictAsync, fit's validation) variants.
 */
export function* inBatches(n: number, batchSize: number, step: (start: number, end: number) => void): Generator<void> {
  for (let start = 0; start < n; start += batchSize) {
    step(start, Math.min(start + batchSize, n));
    yield;
  }
}
export function runBlocking(batches: Generator<void>): void {
  for (const _ of batches);
}
/** Run the batches, yielding to the event loop whenever YIELD_EVERY_MS have passed since the last yield. */
export async function runYielding(batches: Generator<void>): Promise<void> {
  let lastYield = performance.now();
  for (const _ of batches) {
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}

export function checkSameBatch(op: string, x: readonly Tensor[], y: readonly Tensor[]): void {
  const n = x[0].shape[0];
  const other = [...x, ...y].findIndex((t) => t.shape[0] !== n);
  if (other < 0) return;
  const [what, t] =
    other < x.length ? [`x[${other}]`, x[other]] : [y.length > 1 ? `y[${other - x.length}]` : 'y', y[other - x.length]];
  throw new TensileError(
    op,
    `${x.length > 1 ? 'x[0]' : 'x'} has ${n} samples but ${what} has ${t.shape[0]}; they must have the same batch size`,
  );
}
export const rowsOf = (ts: readonly Tensor[], start: number, end: number, order?: Int32Array) =>
  ts.map((t) => takeRows(t, start, end, order));

/** The options argument: undefined (all defaults) or an object. */
export const optionsOf = <T extends object>(op: string, o: T | undefined, known: readonly string[]): T =>
  optionsObject(op, o, known, '{ batchSize: 32 }');

export function checkBatchSize(op: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 1)
    throw new TensileError(op, `batchSize must be a positive integer, got ${String(b)}`);
  return b;
}

/** How many fused training steps one native call runs: as many as fit in budgetMs at the last call's time a step. */
export class ChunkSize {
  private msPerStep = 0;
  constructor(private readonly budgetMs: number) {}
  next(left: number): number {
    return this.msPerStep > 0 ? Math.max(1, Math.min(left, Math.floor(this.budgetMs / this.msPerStep))) : 1;
  }
  took(ms: number, steps: number): void {
    this.msPerStep = ms / steps;
  }
}

/** Running, sample-weighted means of loss and metrics over an epoch. */
export class Averages {
  private sums = new Map<string, number>();
  count = 0;
  add(values: Logs, n: number): void {
    for (const k in values) this.sums.set(k, (this.sums.get(k) ?? 0) + values[k] * n); // no entry arrays: once a batch
    this.count += n;
  }
  logs(prefix = ''): Logs {
    const out: Logs = {};
    for (const [k, s] of this.sums) out[prefix + k] = s / Math.max(this.count, 1);
    return out;
  }
}
