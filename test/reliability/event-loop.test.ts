// A server in the same process keeps answering while fit trains the W2 model: fit yields between batches,
// so requests wait at most about one batch and the event loop's p99 delay stays near one batch's time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { quantile, request } from './fixtures/loop.js';
import { w2Data, w2Model } from './fixtures/w2.js';

const REQUESTS = 20;
const BATCH = 128;

describe('the event loop during fit', () => {
  it(`answers ${REQUESTS} HTTP requests while fit trains W2, with p99 loop delay under max(2 × batch time, 20 ms)`, async () => {
    tl.setSeed(3);
    const model = w2Model();
    const { x, y } = w2Data(512);
    // Warm up (first-call costs: lazy building, allocator growth) and time batches without the server.
    const warm: number[] = [];
    let t0 = 0;
    const timer = {
      onBatchBegin: () => void (t0 = performance.now()),
      onBatchEnd: () => void warm.push(performance.now() - t0),
    };
    await model.fit(x, y, { epochs: 2, batchSize: BATCH, verbose: 0, callbacks: [timer] });

    const server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      let answered = 0;
      let trainingDone = false;
      const latencies: number[] = [];
      // Requests one after another while training lasts (each needs a few loop turns); training stops once all are answered.
      const client = (async () => {
        while (answered < REQUESTS && !trainingDone) {
          const s = performance.now();
          expect(await request(port)).toBe('ok');
          latencies.push(performance.now() - s);
          if (!trainingDone) answered++;
        }
      })();
      const batchTimes: number[] = [];
      const stopWhenAnswered = {
        onBatchBegin: () => void (t0 = performance.now()),
        onBatchEnd: () => {
          batchTimes.push(performance.now() - t0);
          if (answered >= REQUESTS) model.stopTraining = true;
        },
      };
      const delay = monitorEventLoopDelay({ resolution: 2 });
      delay.enable();
      const maxEpochs = 60; // about 4× what answering needs (~3 batches a request)
      const history = await model.fit(x, y, {
        epochs: maxEpochs,
        batchSize: BATCH,
        verbose: 0,
        callbacks: [stopWhenAnswered],
      });
      delay.disable();
      trainingDone = true;
      await client;

      // The same percentile of batch times as of loop delays: on a loaded machine both see the same slow moments.
      const batchMs = quantile(batchTimes, 0.99);
      const p99 = delay.percentile(99) / 1e6;
      const limit = Math.max(2 * batchMs, 20);
      console.log(
        `W2 batch ${BATCH}: median ${quantile(warm, 0.5).toFixed(1)} ms before, p50 ${quantile(batchTimes, 0.5).toFixed(1)} ms, p99 ${batchMs.toFixed(1)} ms during (${batchTimes.length} batches); ` +
          `loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms (limit ${limit.toFixed(1)}); ` +
          `request latency median ${quantile(latencies, 0.5).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
      expect(answered).toBe(REQUESTS); // all answered while fit was still training
      expect(history.epoch.length).toBeLessThan(maxEpochs); // fit stopped because they were, not by running out
      // A fit that never yielded would block for all its batches (>= 20 here) at once.
      expect(batchTimes.length).toBeGreaterThanOrEqual(REQUESTS);
      expect(delay.count).toBeGreaterThanOrEqual(REQUESTS); // the loop did turn (else the percentile is vacuous)
      expect(p99).toBeLessThan(limit);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
