import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { blobs, capture, expectRejects, weightsOf } from './fixtures.js';

function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential({
    layers: [
      tl.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}
const { x, y } = blobs(64, 5);
const rowsOf = (t: tl.Tensor) => t.arraySync() as number[][];
const elements = () => rowsOf(x).map((xs, i) => ({ xs, ys: rowsOf(y)[i] }));

describe('fitDataset', () => {
  // fit runs a Dense stack through the fused native step after its first batch, whose float sums round differently.
  it('equals fit on the same batches in the same order (shuffle off), weights and History, to float rounding', async () => {
    const a = classifier(1);
    const b = classifier(1);
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const hb = await b.fitDataset(tl.data.array(elements()).batch(16), { epochs: 3, verbose: 0 });
    const wa = weightsOf(a).flat();
    weightsOf(b)
      .flat()
      .forEach((w, i) => expect(w).toBeCloseTo(wa[i], 5));
    hb.history.loss.forEach((l, i) => expect(l).toBeCloseTo(ha.history.loss[i], 5));
    expect(hb.history.accuracy).toEqual(ha.history.accuracy);
    expect(hb.epoch).toEqual([0, 1, 2]);
  });

  it('takes [xs, ys] batches, validation from a dataset or tensors, and evaluateDataset agrees with evaluate', async () => {
    const m = classifier(2);
    const pairs = tl.data
      .array(elements())
      .batch(8)
      .map((b) => [b.xs, b.ys] as const);
    const h = await m.fitDataset(pairs, { epochs: 4, verbose: 0, validationData: tl.data.array(elements()).batch(32) });
    expect(h.history.val_loss).toHaveLength(4);
    expect(h.history.loss[3]).toBeLessThan(h.history.loss[0]);
    const [loss, acc] = m.evaluate(x, y, { verbose: 0 });
    const [dl, da] = await m.evaluateDataset(tl.data.array(elements()).batch(10), { verbose: 0 });
    expect(dl).toBeCloseTo(loss, 5);
    expect(da).toBeCloseTo(acc, 6);
    expect(h.history.val_loss[3]).toBeCloseTo(loss, 5);
    const h2 = await m.fitDataset(pairs, { epochs: 1, verbose: 0, validationData: [x, y] });
    expect(h2.history.val_accuracy).toHaveLength(1);
    const [first] = await m.evaluateDataset(tl.data.array(elements()).batch(8), { batches: 1, verbose: 0 });
    expect(first).toBeCloseTo(m.evaluate(x.slice([0, 0], [8, 2]), y.slice([0, 0], [8, 1]), { verbose: 0 })[0], 5);
  });

  it('batchesPerEpoch reads on across epochs, and stops with a warning when the data runs out', async () => {
    const m = classifier(3);
    const seen: number[] = [];
    const ds = tl.data.array(elements()).batch(16); // 4 batches
    const h = await m.fitDataset(ds, {
      epochs: 5,
      batchesPerEpoch: 2,
      verbose: 0,
      callbacks: [{ onBatchEnd: (b) => void seen.push(b) }],
    });
    expect(h.epoch).toEqual([0, 1]); // 2 epochs of 2 batches, then nothing left for the third
    expect(seen).toEqual([0, 1, 0, 1]);
    const m2 = classifier(3);
    const h2 = await m2.fitDataset(ds.repeat(), { epochs: 3, batchesPerEpoch: 3, verbose: 0 });
    expect(h2.epoch).toEqual([0, 1, 2]);
  });

  it('callbacks run with epochs and batches as in fit; stopTraining ends it; progress counts an unknown size', async () => {
    const m = classifier(4);
    const out = capture();
    const calls: string[] = [];
    const gen = tl.data
      .generator(function* () {
        for (const e of elements()) yield e;
      })
      .batch(16); // size unknown
    await m.fitDataset(gen, {
      epochs: 3,
      output: out,
      callbacks: [
        {
          onEpochBegin: (e) => void calls.push(`begin ${e}`),
          onEpochEnd: (e) => {
            calls.push(`end ${e}`);
            if (e === 1) m.stopTraining = true;
          },
        },
      ],
    });
    expect(calls).toEqual(['begin 0', 'end 0', 'begin 1', 'end 1']);
    expect(out.text().split('\n')[0]).toMatch(
      /^Epoch 1\/3 4\/4 \[={30}\] - \d+s \d+(s|ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/,
    );
  });

  it('bad datasets and options are TensileErrors naming fitDataset', async () => {
    const m = classifier(5);
    await expectRejects(m.fitDataset(5 as unknown as tl.data.Dataset<unknown>), 'fitDataset', 'dataset of batches');
    await expectRejects(m.fitDataset(tl.data.array([1, 2]).batch(2)), 'fitDataset', 'batch 0', '{ xs, ys }');
    await expectRejects(m.fitDataset(tl.data.array([]), { verbose: 0 }), 'fitDataset', 'no batches');
    await expectRejects(
      m.fitDataset(tl.data.array([{ xs: [[1, 2]], ys: [[1], [0]] }]), { verbose: 0 }),
      'fitDataset',
      '1 xs but 2 ys',
    );
    await expectRejects(
      m.fitDataset(tl.data.array(elements()).batch(8), { batchesPerEpoch: 0 }),
      'fitDataset',
      'batchesPerEpoch',
    );
    await expectRejects(m.fitDataset(tl.data.array(elements()).batch(8), { epochs: -1 }), 'fitDataset', 'epochs');
    await expectRejects(m.evaluateDataset(tl.data.array([])), 'evaluateDataset', 'no batches');
    await expectRejects(tl.sequential().fitDataset(tl.data.array(elements()).batch(8)), 'fitDataset', 'compile');
  });

  it('stopping early closes the dataset source', async () => {
    const m = classifier(6);
    let closed = false;
    const g = tl.data
      .generator(function* () {
        try {
          for (;;) for (const e of elements()) yield e;
        } finally {
          closed = true;
        }
      })
      .batch(16);
    await m.fitDataset(g, { epochs: 2, batchesPerEpoch: 2, verbose: 0 });
    expect(closed).toBe(true);
  });
});
