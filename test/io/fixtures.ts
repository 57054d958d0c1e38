// Shared fixtures of the save/load suites: temporary folders, the shared data path, small models,
// and reading back what was written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import * as tl from '../../lib/index.js';
import { randomArray } from '../helpers/random.js';

/** ../shared/data, found from this file (test/io/ → the repository's sibling shared/). */
export const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A fresh temporary folder, removed when the suite ends. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'tensile-io-'));
    made.push(d);
    return d;
  };
}

/** Seeded inputs [n, ...sample], uniform in [-1, 1). */
export const inputs = (shape: number[], seed = 1): tl.Tensor =>
  tl.tensor(
    randomArray(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/** A 5 → 8 → 3 classifier with dropout, seeded. */
export function mlp(seed = 3): tl.Sequential {
  tl.setSeed(seed);
  return tl.sequential({
    layers: [
      tl.layers.dense({ units: 8, inputShape: [5], activation: 'relu' }),
      tl.layers.dropout({ rate: 0.25 }),
      tl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

/** A model.json as the tests read and edit it (any key, any value). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON values edited freely by the tests
export type Json = Record<string, any>;

export const readJsonFile = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));
export const writeJsonFile = (path: string, value: unknown): void => writeFileSync(path, JSON.stringify(value));

/** Every value of a model's weights, for exact comparisons. */
export const allWeights = (m: { getWeights(): tl.Tensor[] }): number[] =>
  m.getWeights().flatMap((w) => Array.from(w.data));

/** Bit-exact equality of two Float32Arrays (NaN-aware by bit pattern). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  return x.every((v, i) => v === y[i]);
}

/** The largest |a − b|. */
export const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
};
