import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { expectRejects } from '../models/fixtures.js';
import { allWeights, inputs, mlp, tempDirs } from './fixtures.js';

const tmp = tempDirs();

function setup() {
  const model = mlp(5);
  model.compile({
    optimizer: tl.optimizers.sgd({ learningRate: 0.1 }),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const x = inputs([40, 5], 13);
  const y = tl.utils.toCategorical(
    Array.from({ length: 40 }, (_, i) => i % 3),
    3,
  );
  return { model, x, y };
}

describe('callbacks.modelCheckpoint', () => {
  it('saves after every epoch through model.save, naming the folder by epoch (1-based) and log values', async () => {
    const { model, x, y } = setup();
    const dir = tmp();
    const ckpt = tl.callbacks.modelCheckpoint({ filepath: `file://${dir}/epoch-{epoch:02d}-{loss:.3f}` });
    const h = await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [ckpt] });
    const folders = readdirSync(dir).sort();
    expect(folders).toEqual(h.history.loss.map((l, i) => `epoch-0${i + 1}-${l.toFixed(3)}`));
    const last = await tl.loadModel(join(dir, folders[2], 'model.json'));
    expect(allWeights(last)).toEqual(allWeights(model));
  });

  it('saveBestOnly saves only when the monitored value improves (mode auto: max for accuracy)', async () => {
    const { model, x, y } = setup();
    const dir = tmp();
    const values = [0.5, 0.4, 0.6, 0.6, 0.3];
    const saved: number[] = [];
    // Feed chosen values through a callback that runs before the checkpoint and rewrites the logs.
    const fake = { onEpochEnd: (epoch: number, logs: tl.Logs = {}) => void (logs.val_accuracy = values[epoch]) };
    const ckpt = tl.callbacks.modelCheckpoint({
      filepath: join(dir, 'e{epoch}'),
      monitor: 'val_accuracy',
      saveBestOnly: true,
    });
    await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [fake, ckpt] });
    for (let e = 1; e <= 5; e++) if (existsSync(join(dir, `e${e}`, 'model.json'))) saved.push(e);
    expect(saved).toEqual([1, 3]);

    const minDir = tmp();
    const minimise = tl.callbacks.modelCheckpoint({
      filepath: join(minDir, 'e{epoch}'),
      monitor: 'val_accuracy',
      saveBestOnly: true,
      mode: 'min',
    });
    await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [fake, minimise] });
    expect(readdirSync(minDir).sort()).toEqual(['e1', 'e2', 'e5']);
  });

  it('a fixed filepath keeps the latest (or best) model, with the optimizer when asked', async () => {
    const { model, x, y } = setup();
    const dir = join(tmp(), 'latest');
    await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [tl.callbacks.modelCheckpoint({ filepath: dir, includeOptimizer: true })],
    });
    const loaded = await tl.loadModel(dir);
    expect(loaded.optimizer?.iterations).toBe(model.optimizer!.iterations);
  });

  it('validates its options and names missing log keys', async () => {
    expectTensileError(() => tl.callbacks.modelCheckpoint({ filepath: '' }), 'callbacks.modelCheckpoint', 'filepath');
    expectTensileError(
      () => tl.callbacks.modelCheckpoint({ filepath: 'x', mode: 'up' as 'min' }),
      'callbacks.modelCheckpoint',
      "mode must be 'auto', 'min' or 'max'",
    );
    const { model, x, y } = setup();
    const bad = tl.callbacks.modelCheckpoint({ filepath: join(tmp(), '{val_loss}') });
    await expectRejects(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [bad] }),
      'callbacks.modelCheckpoint',
      "names 'val_loss', which is not in the logs",
    );
  });
});
