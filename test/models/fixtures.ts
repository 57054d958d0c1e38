// Shared fixtures of the Keras-API suites (layers, losses, metrics, models): seeded data sets,
// captured output, fixed-weight models and promise-rejection checks.
import { expect } from 'vitest';
import * as tl from '../../lib/index.js';
import { TensileError } from '../../lib/errors.js';
import { rng } from '../helpers/random.js';

/** A standard-normal draw from a test-local seeded generator (independent of tensile's RNG). */
export function gaussian(r: () => number): number {
  let u = 0;
  while (u === 0) u = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/**
 * Two 2-D Gaussian blobs (std 1) centred at (−2, −2) (label 0) and (2, 2) (label 1), interleaved,
 * so that any prefix or suffix holds both classes. Nearly separable: a linear boundary gets > 99%.
 */
export function blobs(n: number, seed: number): { x: tl.Tensor; y: tl.Tensor; labels: number[] } {
  const r = rng(seed);
  const x = new Float32Array(n * 2);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const centre = c === 0 ? -2 : 2;
    x[2 * i] = centre + gaussian(r);
    x[2 * i + 1] = centre + gaussian(r);
    labels.push(c);
  }
  return { x: tl.tensor(x, [n, 2]), y: tl.tensor(labels, [n, 1]), labels };
}

/** An output sink for fit/evaluate's internal `output` option: what was written, as text. */
export function capture(isTTY = false): { write(s: string): void; isTTY: boolean; text(): string; writes: number } {
  const parts: string[] = [];
  return {
    isTTY,
    write(s: string) {
      parts.push(s);
      this.writes++;
    },
    text: () => parts.join(''),
    writes: 0,
  };
}

/** Rows [start, end) of a tensor, copied. */
export function rows(t: tl.Tensor, start: number, end: number): tl.Tensor {
  const row = t.size / t.shape[0];
  return tl.tensor(t.data.slice(start * row, end * row), [end - start, ...t.shape.slice(1)]);
}

/** A Dense layer with fixed kernel and bias (a model's first layer when inputShape is given). */
export function fixedDense(
  kernel: number[][],
  bias: number[],
  args: Partial<tl.layers.DenseArgs> = {},
): tl.layers.Dense {
  const d = tl.layers.dense({ units: kernel[0].length, ...args });
  d.ensureBuilt([null, kernel.length]);
  d.setWeights([tl.tensor(kernel), tl.tensor(bias)]);
  return d;
}

/** The promise rejects with a TensileError from `op` whose message mentions each of `mentions`. */
export async function expectRejects(p: Promise<unknown>, op: string, ...mentions: (string | RegExp)[]): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) expect.fail(`expected a TensileError from ${op}, but the promise resolved`);
  if (!(caught instanceof TensileError)) expect.fail(`expected a TensileError from ${op}, got ${String(caught)}`);
  expect(caught.op).toBe(op);
  for (const m of mentions) {
    if (typeof m === 'string') expect(caught.message).toContain(m);
    else expect(caught.message).toMatch(m);
  }
}

/** Float64 copies of every weight of a model, to compare after training. */
export const weightsOf = (m: { getWeights(): tl.Tensor[] }): number[][] =>
  m.getWeights().map((w) => Array.from(w.data));
