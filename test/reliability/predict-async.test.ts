// predictAsync and evaluateAsync keep a server in the same process answering while a large input is scored:
// they run batch by batch and yield to the event loop between batches (as fit does), so the loop's p99 delay
// stays near one batch's time, where sync predict blocks it for the whole input. Their results are
// bit-identical to predict's and evaluate's. PREDICT_ROWS sets the input size (default 32768; the README's
// figures: PREDICT_ROWS=60000).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { backend } from '../../lib/backend/index.js';
import * as tl from '../../lib/index.js';
import { quantile, request } from './fixtures/loop.js';
import { w2Data, w2Model } from './fixtures/w2.js';

// Enough rows that predictAsync runs for tens of milliseconds even with a fast GEMM (the loop must turn ≥ 10 times).
const ROWS = Number(process.env.PREDICT_ROWS ?? 32768);
const BATCH = 128;

const bytes = (t: tl.Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/**
 * Time every forward pass (one per batch) into `times`, until the returned function restores them: the model's
 * op-by-op forward, or the backend's one-call forward of a Dense stack (lib/models/dense-forward.ts).
 */
function timeBatches(model: tl.Sequential, times: number[]): () => void {
  const timed = <F extends (...a: never[]) => unknown>(f: F, self: object) =>
    ((...args: Parameters<F>) => {
      const t0 = performance.now();
      const out = f.apply(self, args);
      times.push(performance.now() - t0);
      return out;
    }) as unknown as F;
  const k = backend();
  const { forward } = model;
  const { mlpForward } = k;
  model.forward = timed(forward, model);
  k.mlpForward = timed(mlpForward, k);
  return () => {
    model.forward = forward;
    k.mlpForward = mlpForward;
  };
}

describe('predictAsync and evaluateAsync', () => {
  tl.setSeed(5);
  const model = w2Model();
  const { x, y } = w2Data(ROWS);

  it(`keep an HTTP server answering while W2 scores ${ROWS} rows, p99 loop delay under max(2 × batch time, 20 ms)`, async () => {
    model.predict(x.slice([0, 0], [2 * BATCH, 784]), { batchSize: BATCH }); // warm-up: first-call costs
    // Sync predict blocks the event loop for the whole input: that is what predictAsync avoids.
    let t0 = performance.now();
    model.predict(x);
    const blockedDefaultMs = performance.now() - t0;
    t0 = performance.now();
    const expected = model.predict(x, { batchSize: BATCH });
    const blockedMs = performance.now() - t0;

    const server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      let done = false;
      const latencies: number[] = [];
      // Requests one after another while predictAsync runs.
      const client = (async () => {
        while (!done) {
          const s = performance.now();
          expect(await request(port)).toBe('ok');
          if (!done) latencies.push(performance.now() - s);
        }
      })();
      const times: number[] = [];
      const restore = timeBatches(model, times);
      const delay = monitorEventLoopDelay({ resolution: 2 });
      delay.enable();
      const t1 = performance.now();
      const got = await model.predictAsync(x, { batchSize: BATCH }).finally(restore);
      const asyncMs = performance.now() - t1;
      delay.disable();
      done = true;
      await client;

      // The same percentile of batch times as of loop delays, both during the run: on a loaded machine both see its slow moments.
      const batchMs = quantile(times, 0.99);
      const p99 = delay.percentile(99) / 1e6;
      const limit = Math.max(2 * batchMs, 20);
      console.log(
        `W2 on ${ROWS} rows: sync predict blocked the loop ${blockedDefaultMs.toFixed(0)} ms (batch 32), ${blockedMs.toFixed(0)} ms (batch ${BATCH}); ` +
          `predictAsync (batch ${BATCH}) took ${asyncMs.toFixed(0)} ms, ` +
          `loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms ` +
          `(limit ${limit.toFixed(1)}: ${times.length} batches, p50 ${quantile(times, 0.5).toFixed(1)} ms, p99 ${batchMs.toFixed(1)} ms); ` +
          `${latencies.length} requests answered meanwhile, latency median ${quantile(latencies, 0.5)?.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
      expect(bytes(got).equals(bytes(expected))).toBe(true); // bit-identical to predict
      expect(got.shape).toEqual([ROWS, 10]);
      expect(times.length).toBe(Math.ceil(ROWS / BATCH));
      // Sync predict answers nothing until it returns (a request takes a few loop turns); predictAsync answers while it
      // runs (how many depends on how fast the machine predicts).
      expect(latencies.length).toBeGreaterThanOrEqual(1);
      expect(delay.count).toBeGreaterThanOrEqual(10); // the loop did turn (else the percentile is vacuous)
      expect(p99).toBeLessThan(limit);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('give bit-identical results to predict and evaluate, for every batch size and for inputs of 0 and 1 rows', async () => {
    const small = x.slice([0, 0], [300, 784]);
    const labels = y.slice([0], [300]);
    for (const batchSize of [1, 7, 32, 299, 300, 1000]) {
      expect(
        bytes(await model.predictAsync(small, { batchSize })).equals(bytes(model.predict(small, { batchSize }))),
      ).toBe(true);
      expect(await model.evaluateAsync(small, labels, { batchSize, verbose: 0 })).toEqual(
        model.evaluate(small, labels, { batchSize, verbose: 0 }),
      );
    }
    for (const rows of [0, 1]) {
      const xs = x.slice([0, 0], [rows, 784]);
      const p = await model.predictAsync(xs);
      expect(p.shape).toEqual([rows, 10]);
      expect(bytes(p).equals(bytes(model.predict(xs)))).toBe(true);
    }
  });

  it('reject bad arguments with a TensileError, as predict and evaluate do', async () => {
    await expect(model.predictAsync(x, { batchSize: 0 })).rejects.toThrow(tl.TensileError);
    await expect(model.predictAsync(x, null as never)).rejects.toThrow(/predictAsync: options must be an object/);
    await expect(model.predictAsync('x' as never)).rejects.toThrow(/predictAsync: x must be a Tensor/);
    await expect(model.predictAsync(tl.zeros([2, 5]))).rejects.toThrow(
      /expected input of shape \[null, 784\], got \[2, 5\]/,
    );
    await expect(model.evaluateAsync(x, y.slice([0], [10]))).rejects.toThrow(
      /evaluateAsync: x has \d+ samples but y has 10/,
    );
    await expect(model.evaluateAsync(tl.zeros([0, 784]), tl.zeros([0]))).rejects.toThrow(
      /evaluateAsync: x has no samples/,
    );
  });
});
