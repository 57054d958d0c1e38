// The addon in worker_threads: context-aware, no shared JS state; 4 workers train and predict at once
// and get bit-for-bit the main thread's results; terminating a busy worker leaves the process sound.
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { distUrl } from './dist.js';
import { trainAndPredict } from './fixtures/mlp.mjs';

type Result = Awaited<ReturnType<typeof trainAndPredict>>;
const WORKER = new URL('./fixtures/train-worker.mjs', import.meta.url);
const SEEDS = [11, 12, 13, 14];

function inWorker(
  url: string,
  seed: number,
  options?: object,
): { worker: Worker; started: Promise<void>; result: Promise<Result> } {
  const worker = new Worker(WORKER, { workerData: { url, seed, options } });
  let started!: () => void;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const result = new Promise<Result>((resolve, reject) => {
    worker.on('message', (m: Result | { started: true }) => ('started' in m ? started() : resolve(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before posting a result`)));
  });
  return { worker, started: startedP, result };
}

const bitsEqual = (a: Float32Array, b: Float32Array) =>
  a.length === b.length &&
  Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

let url: string;
let tl: typeof import('../../lib/index.js');
const expected = new Map<number, Result>();

beforeAll(async () => {
  url = await distUrl();
  tl = await import(url);
  for (const seed of SEEDS) expected.set(seed, await trainAndPredict(tl, seed));
}, 120_000);

describe('worker_threads', () => {
  it('4 workers train and predict concurrently, each bit-identical to the main thread', async () => {
    const runs = SEEDS.map((seed) => inWorker(url, seed));
    const results = await Promise.all(runs.map((r) => r.result));
    await Promise.all(runs.map((r) => r.worker.terminate()));
    results.forEach((got, i) => {
      const want = expected.get(SEEDS[i])!;
      expect(got.backend).toBe(tl.getBackend());
      expect(got.weights.length).toBe(want.weights.length);
      got.weights.forEach((w, j) => expect(bitsEqual(w, want.weights[j]), `seed ${SEEDS[i]} weight ${j}`).toBe(true));
      got.preds.forEach((p, j) => expect(bitsEqual(p, want.preds[j]), `seed ${SEEDS[i]} prediction ${j}`).toBe(true));
    });
    // Different seeds really gave different models (the comparison above is not vacuous).
    expect(bitsEqual(results[0].weights[0], results[1].weights[0])).toBe(false);
  });

  it('the main thread keeps computing while workers train, and after they exit', async () => {
    const runs = SEEDS.map((seed) => inWorker(url, seed));
    const again = await trainAndPredict(tl, SEEDS[0]);
    await Promise.all(runs.map((r) => r.result));
    await Promise.all(runs.map((r) => r.worker.terminate()));
    const after = await trainAndPredict(tl, SEEDS[1]);
    expect(bitsEqual(again.weights[0], expected.get(SEEDS[0])!.weights[0])).toBe(true);
    expect(bitsEqual(after.preds[0], expected.get(SEEDS[1])!.preds[0])).toBe(true);
  });

  it('terminating workers mid-training does not crash the process', async () => {
    const runs = SEEDS.map((seed) => inWorker(url, seed, { steps: 100_000 }));
    for (const r of runs) r.result.catch(() => {}); // they are killed before posting
    // Terminate once each has loaded tensile and started training (on a loaded machine loading takes a while).
    await Promise.all(runs.map((r) => r.started));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const codes = await Promise.all(runs.map((r) => r.worker.terminate()));
    expect(codes).toEqual([1, 1, 1, 1]);
    const after = await trainAndPredict(tl, SEEDS[2]);
    expect(bitsEqual(after.weights[0], expected.get(SEEDS[2])!.weights[0])).toBe(true);
  });
});
