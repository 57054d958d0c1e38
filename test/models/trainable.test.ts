import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { availableBackends, expectTensileError, useBackend } from '../helpers/ops.js';
import { blobs } from './fixtures.js';

// Before, model.trainable = false froze nothing (fit still updated every weight).
const snapshot = (m: tl.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));

function classifier(): tl.Sequential {
  tl.setSeed(5);
  const m = tl.sequential({
    layers: [
      tl.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: tl.optimizers.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe.each(availableBackends())('trainable on %s', (backend) => {
  useBackend(backend);
  const { x, y } = blobs(64, 3);

  it('model.trainable = false freezes every weight through fit; true unfreezes them', async () => {
    const m = classifier();
    const before = snapshot(m);
    m.trainable = false;
    expect(m.trainable).toBe(false);
    expect(m.layers.every((l) => !l.trainable && l.trainableWeights.length === 0)).toBe(true);
    const h = await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(snapshot(m)).toEqual(before);
    expect(h.history.loss[1]).toBeCloseTo(h.history.loss[0], 5);
    m.trainable = true;
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(snapshot(m)).not.toEqual(before);
  });

  it('a frozen layer keeps its weights while the others train', async () => {
    const m = classifier();
    const [k0, b0, k1] = snapshot(m);
    m.layers[0].trainable = false;
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const [k0After, b0After, k1After] = snapshot(m);
    expect(k0After).toEqual(k0);
    expect(b0After).toEqual(b0);
    expect(k1After).not.toEqual(k1);
  });

  it('trainable: false as a layer option, and a bad value refused', async () => {
    tl.setSeed(1);
    const frozen = tl.layers.dense({ units: 2, inputShape: [2], trainable: false });
    const m = tl.sequential({ layers: [frozen, tl.layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = snapshot(m);
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(snapshot(m).slice(0, 2)).toEqual(before.slice(0, 2));
    expectTensileError(() => ((m as { trainable: unknown }).trainable = 'no'), m.name, 'trainable');
  });
});
