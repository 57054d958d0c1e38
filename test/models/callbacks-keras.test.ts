// reduceLROnPlateau, csvLogger and lambdaCallback against Keras' semantics.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import type { CallbackModel } from '../../lib/models/callbacks.js';
import { blobs } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-callbacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeModel(lr: number): CallbackModel & { optimizer: { learningRate: number } } {
  return { stopTraining: false, getWeights: () => [], setWeights: () => undefined, optimizer: { learningRate: lr } };
}
function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('callbacks.reduceLROnPlateau', () => {
  it("follows Keras' trace: patience, cooldown, minDelta, minLr (compared as float32)", () => {
    const cb = tl.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minDelta: 0, minLr: 0.1 });
    const model = fakeModel(1);
    cb.setModel(model);
    cb.onTrainBegin();
    const losses = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
    const lrs = losses.map((v, epoch) => {
      cb.onEpochEnd(epoch, { val_loss: v });
      return model.optimizer.learningRate;
    });
    // Worked by hand from keras/src/callbacks/reduce_lr_on_plateau.py.
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1]);
  });

  it("minDelta: a gain smaller than it is no improvement; 'max' for accuracy", () => {
    const cb = tl.callbacks.reduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.1, patience: 1 });
    const model = fakeModel(1);
    cb.setModel(model);
    cb.onTrainBegin();
    cb.onEpochEnd(0, { val_accuracy: 0.5 });
    cb.onEpochEnd(1, { val_accuracy: 0.6 }); // better: larger
    expect(model.optimizer.learningRate).toBe(1);
    cb.onEpochEnd(2, { val_accuracy: 0.60005 }); // below the default minDelta 1e-4
    expect(model.optimizer.learningRate).toBeCloseTo(0.1, 12);
  });

  it('lowers the learning rate of a real fit', async () => {
    const { x, y } = blobs(16, 1);
    const m = classifier(1);
    const lrs: number[] = [];
    await m.fit(x, y, {
      epochs: 4,
      verbose: 0,
      callbacks: [
        tl.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, minDelta: 100, factor: 0.5 }),
        { onEpochEnd: () => void lrs.push(m.optimizer!.learningRate) },
      ],
    });
    expect(lrs).toEqual([0.01, 0.005, 0.0025, 0.00125]); // the first epoch sets the best; every later one reduces
  });

  it('bad options', () => {
    expect(() => tl.callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(
      /reduceLROnPlateau: factor must be in \[0, 1\)/,
    );
    expect(() => tl.callbacks.reduceLROnPlateau({ patience: -1 })).toThrow(/patience/);
    expect(() => tl.callbacks.reduceLROnPlateau({ mode: 'up' as 'min' })).toThrow(/mode/);
  });
});

describe('callbacks.csvLogger', () => {
  it("writes Keras' CSV: epoch then sorted log names; append keeps the header; without append it replaces", async () => {
    const { x, y } = blobs(20, 2);
    const path = join(dir, 'log.csv');
    const h = await classifier(2).fit(x, y, {
      epochs: 2,
      verbose: 0,
      validationSplit: 0.2,
      callbacks: [tl.callbacks.csvLogger(path)],
    });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(
      [0, 1].map((e) => [
        e,
        h.history.accuracy[e],
        h.history.loss[e],
        h.history.val_accuracy[e],
        h.history.val_loss[e],
      ]),
    );
    await classifier(3).fit(x, y, {
      epochs: 1,
      verbose: 0,
      validationSplit: 0.2,
      callbacks: [tl.callbacks.csvLogger(path, { append: true })],
    });
    const appended = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(appended).toHaveLength(4);
    expect(appended.filter((l) => l.startsWith('epoch'))).toHaveLength(1);
    await classifier(3).fit(x, y, {
      epochs: 1,
      verbose: 0,
      callbacks: [tl.callbacks.csvLogger(path, { separator: ';' })],
    });
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^epoch;accuracy;loss$/),
      expect.stringMatching(/^0;[\d.]+;[\d.]+$/),
    ]);
  });

  it("missing values are 'NA'; appending to an empty file writes the header", async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    const cb = tl.callbacks.csvLogger(path, { append: true });
    cb.onTrainBegin();
    cb.onEpochEnd(0, { loss: 1, val_loss: 2 });
    cb.onEpochEnd(1, { loss: 0.5 });
    cb.onTrainEnd();
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,val_loss\n0,1,2\n1,0.5,NA\n');
  });
});

describe('callbacks.lambdaCallback', () => {
  it('calls the given hooks in order with their arguments', async () => {
    const { x, y } = blobs(8, 3);
    const calls: string[] = [];
    await classifier(4).fit(x, y, {
      epochs: 2,
      batchSize: 4,
      verbose: 0,
      callbacks: [
        tl.callbacks.lambdaCallback({
          onTrainBegin: () => void calls.push('train'),
          onEpochEnd: async (epoch, logs) => {
            await new Promise((r) => setTimeout(r, 1));
            calls.push(`epoch ${epoch} ${typeof logs.loss}`);
          },
          onBatchEnd: (batch) => void calls.push(`batch ${batch}`),
          onTrainEnd: () => void calls.push('end'),
        }),
      ],
    });
    expect(calls).toEqual([
      'train',
      'batch 0',
      'batch 1',
      'epoch 0 number',
      'batch 0',
      'batch 1',
      'epoch 1 number',
      'end',
    ]);
  });

  it('rejects unknown hooks and non-functions', () => {
    expect(() => tl.callbacks.lambdaCallback({ onEpochStart: () => undefined } as never)).toThrow(
      /lambdaCallback: unknown hook 'onEpochStart'/,
    );
    expect(() => tl.callbacks.lambdaCallback({ onEpochEnd: 5 } as never)).toThrow(/onEpochEnd must be a function/);
  });
});
