import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import type { Callback, Logs } from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { blobs, weightsOf } from './fixtures.js';

function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential({
    layers: [
      tl.layers.dense({ units: 4, inputShape: [2], activation: 'tanh' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({
    optimizer: tl.optimizers.adam({ learningRate: 0.05 }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

/** y = 2x + 1 on [−1, 1]: a linear regression whose val_loss can be made to rise by raising the learning rate. */
function regression(seed: number) {
  tl.setSeed(seed);
  const line = (n: number, offset: number) => {
    const x = Array.from({ length: n }, (_, i) => [-1 + (2 * i + offset) / n]);
    return { x: tl.tensor(x), y: tl.tensor(x.map(([v]) => [2 * v + 1])) };
  };
  const model = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return { model, train: line(32, 0), val: line(16, 0.5) };
}

/** A callback that records every hook, with its arguments. */
function recorder(): Callback & {
  events: string[];
  logs: Record<string, Logs | undefined>;
  params?: unknown;
  model?: unknown;
} {
  const events: string[] = [];
  const logs: Record<string, Logs | undefined> = {};
  const rec = (name: string) => (i: number | Logs | undefined, l?: Logs) => {
    const label = typeof i === 'number' ? `${name} ${i}` : name;
    events.push(label);
    logs[label] = typeof i === 'number' ? l : i;
  };
  const cb = {
    events,
    logs,
    params: undefined as unknown,
    model: undefined as unknown,
    setModel(m: unknown) {
      cb.model = m;
    },
    setParams(p: unknown) {
      cb.params = p;
    },
    onTrainBegin: rec('trainBegin'),
    onTrainEnd: rec('trainEnd'),
    onEpochBegin: rec('epochBegin'),
    onEpochEnd: rec('epochEnd'),
    onBatchBegin: rec('batchBegin'),
    onBatchEnd: rec('batchEnd'),
  };
  return cb as never;
}

describe('callbacks', () => {
  it('get every hook in Keras order, with Keras logs', async () => {
    const { x, y } = blobs(8, 1);
    const v = blobs(4, 2);
    const model = classifier(1);
    const cb = recorder();
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, validationData: [v.x, v.y], callbacks: [cb] });
    const epoch = (e: number) => [
      `epochBegin ${e}`,
      'batchBegin 0',
      'batchEnd 0',
      'batchBegin 1',
      'batchEnd 1',
      'batchBegin 2',
      'batchEnd 2',
      `epochEnd ${e}`,
    ];
    expect(cb.events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
    expect(cb.model).toBe(model);
    expect(cb.params).toMatchObject({ epochs: 2, steps: 3, samples: 8, verbose: 0 });
    expect(Object.keys(cb.logs['epochEnd 1']!).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(Object.keys(cb.logs['batchEnd 2']!).sort()).toEqual(['accuracy', 'loss']);
    // The epoch's training values are the running averages at its last batch.
    expect(cb.logs['epochEnd 1']!.loss).toBe(cb.logs['batchEnd 2']!.loss);
    expect(cb.logs['batchBegin 2']).toMatchObject({ batch: 2, size: 2 });
  });

  it('async hooks are awaited before fit goes on', async () => {
    const { x, y } = blobs(4, 3);
    const events: string[] = [];
    const slow: Callback = {
      onEpochEnd: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${e}`);
      },
      onEpochBegin: (e) => void events.push(`begin ${e}`),
    };
    await classifier(2).fit(x, y, { epochs: 2, verbose: 0, callbacks: [slow] });
    expect(events).toEqual(['begin 0', 'end 0', 'begin 1', 'end 1']);
  });

  it('model.stopTraining = true in onBatchEnd stops after that batch (the epoch still ends)', async () => {
    const { x, y } = blobs(20, 4);
    const model = classifier(3);
    const cb = recorder();
    const stopper: Callback = { onBatchEnd: (b) => void (b === 1 && (model.stopTraining = true)) };
    const h = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stopper, cb] });
    expect(cb.events).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0',
      'batchBegin 1',
      'batchEnd 1',
      'epochEnd 0',
      'trainEnd',
    ]);
    expect(h.history.loss).toHaveLength(1);
    // A new fit starts again.
    const again = await model.fit(x, y, { epochs: 2, batchSize: 20, verbose: 0 });
    expect(again.history.loss).toHaveLength(2);
  });

  it('model.stopTraining = true in onEpochEnd stops after that epoch', async () => {
    const { x, y } = blobs(8, 5);
    const model = classifier(4);
    const h = await model.fit(x, y, {
      epochs: 5,
      verbose: 0,
      callbacks: [{ onEpochEnd: (e) => void (e === 2 && (model.stopTraining = true)) }],
    });
    expect(h.epoch).toEqual([0, 1, 2]);
  });
});

describe('learningRateScheduler', () => {
  it('sets optimizer.learningRate from schedule(epoch, lr) at each epoch’s start', async () => {
    const { x, y } = blobs(8, 6);
    const model = classifier(5);
    const seen: [number, number][] = [];
    const scheduler = tl.callbacks.learningRateScheduler((epoch, lr) => (epoch === 0 ? 0.1 : lr / 2));
    const spy: Callback = { onEpochBegin: (e) => void seen.push([e, model.optimizer!.learningRate]) };
    await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [scheduler, spy] });
    expect(seen).toEqual([
      [0, 0.1],
      [1, 0.05],
      [2, 0.025],
      [3, 0.0125],
    ]);
    expect(model.optimizer!.learningRate).toBe(0.0125);
  });

  it('rejects a non-function and a bad learning rate', async () => {
    expectTensileError(
      () => tl.callbacks.learningRateScheduler(5 as never),
      'callbacks.learningRateScheduler',
      'function',
    );
    const { x, y } = blobs(4, 7);
    const model = classifier(6);
    await expect(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [tl.callbacks.learningRateScheduler(() => -1)] }),
    ).rejects.toThrow(/learningRate must be a positive number, got -1/);
  });
});

describe('earlyStopping', () => {
  it("stops when val_loss gets worse for `patience` epochs and restores the best epoch's weights", async () => {
    const { model, train, val } = regression(1);
    // Three good epochs, then a learning rate at which SGD on this problem diverges.
    const scheduler = tl.callbacks.learningRateScheduler((epoch) => (epoch < 3 ? 0.1 : 3));
    const stopper = tl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const snapshots: number[][][] = [];
    const h = await model.fit(train.x, train.y, {
      epochs: 20,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: [scheduler, stopper, { onEpochEnd: () => void snapshots.push(weightsOf(model)) }],
    });
    const vl = h.history.val_loss;
    expect(vl).toHaveLength(5); // best at epoch 2, worse at 3 and 4: stop
    expect(stopper.stoppedEpoch).toBe(4);
    const best = vl.indexOf(Math.min(...vl));
    expect(best).toBe(2);
    expect(vl[3]).toBeGreaterThan(vl[2]);
    expect(vl[4]).toBeGreaterThan(vl[2]);
    expect(weightsOf(model)).toEqual(snapshots[best]);
    expect(weightsOf(model)).not.toEqual(snapshots[4]);
    const [restored] = model.evaluate(val.x, val.y, { verbose: 0 });
    expect(restored).toBeCloseTo(vl[best], 6);
  });

  it('without restoreBestWeights the last weights stay', async () => {
    const { model, train, val } = regression(1);
    const scheduler = tl.callbacks.learningRateScheduler((epoch) => (epoch < 3 ? 0.1 : 3));
    const snapshots: number[][][] = [];
    await model.fit(train.x, train.y, {
      epochs: 20,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: [
        scheduler,
        tl.callbacks.earlyStopping({ patience: 2 }),
        { onEpochEnd: () => void snapshots.push(weightsOf(model)) },
      ],
    });
    expect(snapshots).toHaveLength(5);
    expect(weightsOf(model)).toEqual(snapshots[4]);
  });

  it('does not stop while the monitored value improves (patience 0, the default)', async () => {
    const { model, train, val } = regression(2);
    const h = await model.fit(train.x, train.y, {
      epochs: 6,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: [tl.callbacks.earlyStopping()],
    });
    const vl = h.history.val_loss;
    for (let i = 1; i < vl.length; i++) expect(vl[i]).toBeLessThan(vl[i - 1]);
    expect(vl).toHaveLength(6);
  });

  it('patience 0 stops at the first epoch that does not improve', async () => {
    const { model, train, val } = regression(3);
    const h = await model.fit(train.x, train.y, {
      epochs: 10,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: [
        tl.callbacks.learningRateScheduler((epoch) => (epoch < 2 ? 0.1 : 3)),
        tl.callbacks.earlyStopping({ monitor: 'val_loss' }),
      ],
    });
    expect(h.history.val_loss).toHaveLength(3);
  });

  it("mode 'auto' maximises accuracy-like names", async () => {
    const { x, y } = blobs(16, 8);
    const model = classifier(7);
    // An accuracy that never beats its first value: maximising, the second epoch is already "no improvement".
    const fake: Callback = { onEpochEnd: (_e, logs) => void (logs!.accuracy = 1) };
    const h = await model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      callbacks: [fake, tl.callbacks.earlyStopping({ monitor: 'accuracy', patience: 1 })],
    });
    expect(h.epoch).toEqual([0, 1]);
  });

  it('rejects a bad patience and mode', () => {
    expectTensileError(() => tl.callbacks.earlyStopping({ patience: -1 }), 'callbacks.earlyStopping', 'patience', '-1');
    expectTensileError(() => tl.callbacks.earlyStopping({ mode: 'up' as never }), 'callbacks.earlyStopping', "'up'");
  });
});
