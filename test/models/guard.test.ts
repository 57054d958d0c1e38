// A model's state while fit runs (lib/internal/guard.ts): what a second call does, from outside fit and from its
// own callbacks. Outside calls run between fit's batches, when it yields to the event loop.
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { blobs, expectRejects } from './fixtures.js';

function setup(optimizer: 'sgd' | 'adam' = 'sgd') {
  tl.setSeed(5);
  const model = tl.sequential({
    layers: [
      tl.layers.dense({ units: 8, inputShape: [2], activation: 'relu' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const { x, y } = blobs(512, 3);
  return { model, x, y };
}

/** Run `during` once fit has started and yielded (between its batches), collecting what it returns or throws. */
async function whileFitting<T>(
  model: tl.Sequential,
  x: tl.Tensor,
  y: tl.Tensor,
  during: () => T | Promise<T>,
): Promise<{ value?: T; error?: unknown }> {
  const result: { value?: T; error?: unknown } = {};
  let started = false;
  const training = model.fit(x, y, {
    epochs: 30,
    batchSize: 4,
    verbose: 0,
    callbacks: [{ onTrainBegin: () => void (started = true) }],
  });
  // fit yields every few milliseconds: poll until it has started, then act from outside it.
  await new Promise<void>((resolve) => {
    const poll = () => (started ? resolve() : setImmediate(poll));
    poll();
  });
  try {
    result.value = await during();
  } catch (e) {
    result.error = e;
  }
  model.stopTraining = true;
  await training;
  return result;
}

function expectGuardError(r: { error?: unknown }, op: string, ...mentions: string[]): void {
  expectTensileError(
    () => {
      if (r.error) throw r.error;
    },
    op,
    ...mentions,
  );
}

describe('a model while fit runs', () => {
  it('refuses a second fit, as tfjs does', async () => {
    const { model, x, y } = setup();
    const r = await whileFitting(model, x, y, () => model.fit(x, y, { epochs: 1, verbose: 0 }));
    expectGuardError(r, 'fit', 'another fit() call is ongoing', model.name);
    // ... and trains again once the first has finished.
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
  });

  it('refuses compile, add, trainable and setBackend from outside', async () => {
    const { model, x, y } = setup();
    expectGuardError(
      await whileFitting(model, x, y, () => model.compile({ optimizer: 'adam', loss: 'meanSquaredError' })),
      'compile',
      'fit() is running',
      model.name,
    );
    expectGuardError(
      await whileFitting(model, x, y, () => model.add(tl.layers.dense({ units: 1 }))),
      'sequential.add',
      'fit() is running',
    );
    const layer = model.layers[0];
    expectGuardError(
      await whileFitting(model, x, y, () => (layer.trainable = false)),
      `${layer.name}.trainable`,
      'fit() is running',
    );
    expect(layer.trainable).toBe(true);
    expectGuardError(
      await whileFitting(model, x, y, () => tl.setBackend(tl.getBackend())),
      'setBackend',
      'fit() is running',
    );
    // The loss did not change under the running fit: compile's refusal left the model as it was.
    const h = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy']);
    tl.setBackend(tl.getBackend()); // allowed again
  });

  it('refuses compile and trainable from its own callbacks too', async () => {
    const { model, x, y } = setup();
    const errors: unknown[] = [];
    const cb = {
      onEpochEnd: () => {
        for (const f of [
          () => model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }),
          () => (model.layers[1].trainable = false),
        ]) {
          try {
            f();
          } catch (e) {
            errors.push(e);
          }
        }
      },
    };
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [cb] });
    expect(errors.map((e) => (e as tl.TensileError).op)).toEqual(['compile', `${model.layers[1].name}.trainable`]);
  });

  it('refuses setWeights, evaluateAsync and predictAsync from outside; allows them from its callbacks', async () => {
    const { model, x, y } = setup();
    const w = model.getWeights();
    expectGuardError(
      await whileFitting(model, x, y, () => model.setWeights(w)),
      'setWeights',
      'fit() is running',
      'from a callback of that fit it is allowed',
    );
    expectGuardError(
      await whileFitting(model, x, y, () => model.evaluateAsync(x, y, { verbose: 0 })),
      'evaluateAsync',
      'fit() is running',
    );
    expectGuardError(await whileFitting(model, x, y, () => model.predictAsync(x)), 'predictAsync', 'fit() is running');
    // From a callback: fit is paused there, so these are safe. restoreBestWeights relies on setWeights.
    const seen: number[] = [];
    const cb = {
      async onEpochEnd() {
        const [loss] = await model.evaluateAsync(x, y, { verbose: 0, batchSize: 16 });
        seen.push(loss);
        model.setWeights(model.getWeights());
        seen.push((await model.predictAsync(x, { batchSize: 16 })).shape[0]);
      },
    };
    await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: [cb, tl.callbacks.earlyStopping({ monitor: 'loss', patience: 0, restoreBestWeights: true })],
    });
    expect(seen.length).toBe(4);
    expect(seen[1]).toBe(512);
  });

  it('waits for an evaluateAsync a callback started without awaiting, before training on', async () => {
    const { model, x, y } = setup();
    const events: string[] = [];
    // Large enough to take many yields (evaluateAsync yields every 4 ms).
    const [bx, by] = [
      tl.concat(
        Array.from({ length: 20 }, () => x),
        0,
      ),
      tl.concat(
        Array.from({ length: 20 }, () => y),
        0,
      ),
    ];
    const cb = {
      onEpochEnd(epoch: number) {
        void model.evaluateAsync(bx, by, { verbose: 0, batchSize: 8 }).then(() => events.push(`evaluated ${epoch}`));
      },
      onEpochBegin: (epoch: number) => void events.push(`epoch ${epoch}`),
    };
    await model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, callbacks: [cb] });
    expect(events).toEqual(['epoch 0', 'evaluated 0', 'epoch 1', 'evaluated 1']);
  });

  it('refuses to start while predictAsync runs on the model', async () => {
    const { model, x, y } = setup();
    const big = tl.concat(
      Array.from({ length: 40 }, () => x),
      0,
    );
    const predicting = model.predictAsync(big, { batchSize: 16 });
    await expectRejects(model.fit(x, y, { epochs: 1, verbose: 0 }), 'fit', 'predictAsync() runs on model');
    await predicting;
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
  });

  it('lets save run at any time: each file holds the state after a whole batch, with its optimizer', async () => {
    const { model, x, y } = setup('adam');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tensile-guard-'));
    try {
      // Per-batch weights by step count (a per-batch callback makes fit run one batch at a time).
      const byStep = new Map<number, Float32Array[]>([[0, model.getWeights().map((t) => t.dataSync().slice())]]);
      const record = {
        onBatchEnd: () =>
          void byStep.set(
            model.optimizer!.iterations,
            model.getWeights().map((t) => t.dataSync().slice()),
          ),
      };
      const saves: Promise<unknown>[] = [];
      let i = 0;
      // Long enough for every save to land mid-training on a fast machine; stopped once they are made.
      const training = model.fit(x, y, { epochs: 500, batchSize: 8, verbose: 0, callbacks: [record] });
      let done = false;
      void training.then(() => (done = true));
      await new Promise<void>((resolve) => {
        const tick = () => {
          if (i >= 6) model.stopTraining = true;
          if (done || i >= 6) return resolve();
          saves.push(model.save(join(dir, `s${i++}`), { includeOptimizer: true }));
          setTimeout(tick, 5);
        };
        setTimeout(tick, 5);
      });
      await training;
      await Promise.all(saves);
      expect(i).toBe(6);
      for (let s = 0; s < i; s++) {
        const loaded = await tl.loadModel(join(dir, `s${s}`));
        const step = loaded.optimizer!.iterations;
        const want = byStep.get(step);
        expect(want, `save ${s} at step ${step}`).toBeDefined();
        expect(loaded.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(want!.map((a) => Array.from(a)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
