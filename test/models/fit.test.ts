import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import type { CallContext } from '../../lib/layers/index.js';
import { expectAllClose } from '../helpers/close.js';
import { availableBackends, expectTensileError, useBackend } from '../helpers/ops.js';
import { blobs, capture, expectRejects, rows, weightsOf } from './fixtures.js';

/** A pass-through first layer that records, per training call, the sample ids (its single feature) it saw. */
class Recorder extends tl.layers.Layer {
  static override readonly className = 'Recorder';
  readonly training: number[][] = [];
  readonly inference: number[][] = [];
  call(x: tl.Tensor, ctx: CallContext): tl.Tensor {
    (ctx.training ? this.training : this.inference).push(Array.from(x.data));
    return x;
  }
}

/** Samples 0..n−1 as their own single feature, a regression target, and a recording model on top. */
function recorded(n: number) {
  const rec = new Recorder({ inputShape: [1] });
  const model = tl.sequential({ layers: [rec, tl.layers.dense({ units: 1 })] });
  model.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1e-3 }), loss: 'mse' });
  const x = tl.tensor(Array.from({ length: n }, (_, i) => [i]));
  const y = tl.tensor(Array.from({ length: n }, (_, i) => [i % 3]));
  return { rec, model, x, y };
}

function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential();
  m.add(tl.layers.dense({ units: 8, inputShape: [2], activation: 'relu' }));
  m.add(tl.layers.dense({ units: 1, activation: 'sigmoid' }));
  m.compile({
    optimizer: tl.optimizers.adam({ learningRate: 0.05 }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe.each(availableBackends())('Sequential fit on %s', (backend) => {
  useBackend(backend);

  it('reduces the loss on two Gaussian blobs to high accuracy', async () => {
    const { x, y } = blobs(200, 1);
    const model = classifier(1);
    const h = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
    expect(h.history.loss).toHaveLength(15);
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0] / 2);
    expect(h.history.accuracy[14]).toBeGreaterThan(0.95);
    const test = blobs(100, 2);
    const [loss, acc] = model.evaluate(test.x, test.y, { verbose: 0 });
    expect(loss).toBeLessThan(0.2);
    expect(acc).toBeGreaterThan(0.95);
    // predict agrees with the labels at the same rate
    const p = model.predict(test.x);
    expect(p.shape).toEqual([100, 1]);
    const hits = test.labels.filter((l, i) => (p.data[i] > 0.5 ? 1 : 0) === l).length;
    expect(hits / 100).toBeCloseTo(acc, 6);
  });

  it('is reproducible under tl.setSeed (initial weights and shuffling)', async () => {
    const { x, y } = blobs(64, 3);
    const a = classifier(5);
    await a.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const b = classifier(5);
    await b.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
  });

  it('a softmax classifier with categoricalCrossentropy and one-hot labels learns too', async () => {
    const { x, labels } = blobs(120, 4);
    tl.setSeed(4);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })] });
    m.compile({
      optimizer: tl.optimizers.sgd({ learningRate: 0.5 }),
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const h = await m.fit(x, tl.utils.toCategorical(labels, 2), { epochs: 10, batchSize: 16, verbose: 0 });
    expect(h.history.accuracy[9]).toBeGreaterThan(0.95);
  });
});

describe('History and validation', () => {
  it('has loss/accuracy/val_loss/val_accuracy with validationSplit, which holds out the LAST fraction', async () => {
    const { x, y } = blobs(40, 5);
    const model = classifier(6);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.epoch).toEqual([0, 1, 2]);
    for (const k of Object.keys(h.history)) expect(h.history[k]).toHaveLength(3);
    // The last epoch's val_ values are computed with the final weights, on samples 30..39.
    const [vl, va] = model.evaluate(rows(x, 30, 40), rows(y, 30, 40), { verbose: 0 });
    expect(h.history.val_loss[2]).toBeCloseTo(vl, 6);
    expect(h.history.val_accuracy[2]).toBeCloseTo(va, 6);
  });

  it('validationSplit trains on the first samples only, validates on the rest', async () => {
    const { rec, model, x, y } = recorded(10);
    await model.fit(x, y, { epochs: 1, batchSize: 100, validationSplit: 0.2, verbose: 0 });
    expect(rec.training.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rec.inference.flat()).toEqual([8, 9]);
  });

  it('validationData is used as given', async () => {
    const { x, y } = blobs(40, 7);
    const v = blobs(20, 8);
    const model = classifier(7);
    const h = await model.fit(x, y, { epochs: 2, batchSize: 10, validationData: [v.x, v.y], verbose: 0 });
    const [vl, va] = model.evaluate(v.x, v.y, { verbose: 0 });
    expect(h.history.val_loss[1]).toBeCloseTo(vl, 6);
    expect(h.history.val_accuracy[1]).toBeCloseTo(va, 6);
  });

  it('validationSplit: 0 means no validation, as in Keras', async () => {
    const { x, y } = blobs(16, 9);
    const h = await classifier(8).fit(x, y, { epochs: 1, validationSplit: 0, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss']);
  });
});

describe('batches and order', () => {
  it('shuffle: false visits samples in order each epoch; shuffle: true (default) permutes them, seeded', async () => {
    const plain = recorded(10);
    await plain.model.fit(plain.x, plain.y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expect(plain.rec.training).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);

    const order = async (seed: number) => {
      const r = recorded(10);
      tl.setSeed(seed);
      await r.model.fit(r.x, r.y, { epochs: 2, batchSize: 4, verbose: 0 });
      return r.rec.training;
    };
    const a = await order(1);
    expect(a.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2]);
    const epoch0 = a.slice(0, 3).flat();
    const epoch1 = a.slice(3).flat();
    expect([...epoch0].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch1].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch0).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1).not.toEqual(epoch0); // reshuffled every epoch
    expect(await order(1)).toEqual(a);
    expect(await order(2)).not.toEqual(a);
  });

  it('batchSize not dividing N: a short last batch; the epoch loss is the sample-weighted mean (= evaluate)', async () => {
    const { x, y } = blobs(10, 10);
    tl.setSeed(10);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    // A learning rate so small that the weights do not move in float32: every batch sees the same model.
    m.compile({
      optimizer: tl.optimizers.sgd({ learningRate: 1e-30 }),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    });
    const sizes: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [{ onBatchBegin: (_b, logs) => void sizes.push(logs!.size) }],
    });
    expect(sizes).toEqual([4, 4, 2]);
    const [loss, acc] = m.evaluate(x, y, { verbose: 0, batchSize: 10 });
    expect(h.history.loss[0]).toBeCloseTo(loss, 6);
    expect(h.history.accuracy[0]).toBeCloseTo(acc, 6);
  });

  it('initialEpoch starts the count there: epochs is the index to stop at', async () => {
    const { x, y } = blobs(16, 11);
    const out = capture();
    const h = await classifier(11).fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 8, verbose: 2, output: out });
    expect(h.epoch).toEqual([3, 4]);
    expect(h.history.loss).toHaveLength(2);
    expect(out.text()).toMatch(/^Epoch 4\/5\n.*\nEpoch 5\/5\n/);
  });

  it('classWeight scales each sample’s loss by its class weight (Keras: Σ w·loss / batch size)', async () => {
    const { x, y } = blobs(12, 12);
    tl.setSeed(12);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1e-30 }), loss: 'binaryCrossentropy' });
    const p = m.predict(x);
    const perSample = Array.from(p.data, (q, i) => (y.data[i] === 1 ? -Math.log(q) : -Math.log(1 - q)));
    const plain = perSample.reduce((a, b) => a + b, 0) / 12;
    const weighted = perSample.reduce((a, l, i) => a + l * (y.data[i] === 1 ? 3 : 0.5), 0) / 12;
    const h0 = await m.fit(x, y, { epochs: 1, batchSize: 12, verbose: 0 });
    const h1 = await m.fit(x, y, { epochs: 1, batchSize: 12, verbose: 0, classWeight: { 0: 0.5, 1: 3 } });
    expect(h0.history.loss[0]).toBeCloseTo(plain, 5);
    expect(h1.history.loss[0]).toBeCloseTo(weighted, 5);
    expect(Math.abs(weighted - plain)).toBeGreaterThan(0.05);
    // One-hot labels: the class is the argmax of the row.
    const m2 = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })] });
    m2.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1e-30 }), loss: 'categoricalCrossentropy' });
    const oneHot = tl.utils.toCategorical(y, 2);
    const [base] = m2.evaluate(x, oneHot, { verbose: 0 });
    const doubled = await m2.fit(x, oneHot, { epochs: 1, batchSize: 12, verbose: 0, classWeight: { 0: 2, 1: 2 } });
    expect(doubled.history.loss[0]).toBeCloseTo(2 * base, 5);
  });
});

describe('evaluate and predict', () => {
  const { x, y } = blobs(37, 13);
  const model = classifier(13);

  it('evaluate returns plain numbers [loss, ...metrics], the same for any batch size', () => {
    const r = model.evaluate(x, y, { verbose: 0 });
    expect(r).toHaveLength(2);
    expect(r.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expectAllClose(model.evaluate(x, y, { verbose: 0, batchSize: 5 }), r, { rtol: 1e-5 });
    expectAllClose(model.evaluate(x, y, { verbose: 0, batchSize: 1000 }), r, { rtol: 1e-5 });
  });

  it('evaluate prints the final progress line by default (verbose 1), nothing with verbose 0', () => {
    const out = capture();
    model.evaluate(x, y, { batchSize: 10, output: out });
    expect(out.text()).toMatch(/^4\/4 \[={30}\] - \d+s \d+(ms|us)\/step - loss: \d+\.\d{4} - accuracy: \d\.\d{4}\n$/);
    const quiet = capture();
    model.evaluate(x, y, { verbose: 0, output: quiet });
    expect(quiet.writes).toBe(0);
  });

  it('predict: [N, units]; batches smaller than N give the same result as one batch', () => {
    const one = model.predict(x, { batchSize: 1000 });
    expect(one.shape).toEqual([37, 1]);
    for (const batchSize of [1, 5, 32, 37])
      expectAllClose(model.predict(x, { batchSize }).data, one.data, { rtol: 1e-6, atol: 1e-7 });
    const big = tl.concat([x, x, x], 0); // 111 > the default 32
    expectAllClose(model.predict(big).data, [...one.data, ...one.data, ...one.data], { rtol: 1e-6, atol: 1e-7 });
  });

  it('predict records no graph', () => {
    expect(model.predict(x).requiresGrad).toBe(false);
  });

  it('inputs as a Tensor, nested arrays and { data: Float32Array, shape } are the same', async () => {
    const nested = x.arraySync() as number[][];
    const flat = { data: x.dataSync(), shape: [37, 2] };
    const p = model.predict(x);
    expect(Array.from(model.predict(nested).data)).toEqual(Array.from(p.data));
    expect(Array.from(model.predict(flat).data)).toEqual(Array.from(p.data));
    const yNested = y.arraySync() as number[][];
    expect(model.evaluate(nested, yNested, { verbose: 0 })).toEqual(model.evaluate(x, y, { verbose: 0 }));
    expect(model.evaluate(flat, { data: Array.from(y.data), shape: [37, 1] }, { verbose: 0 })).toEqual(
      model.evaluate(x, y, { verbose: 0 }),
    );
    const a = classifier(14);
    const b = classifier(14);
    tl.setSeed(1);
    await a.fit(x, y, { epochs: 1, verbose: 0 });
    tl.setSeed(1);
    await b.fit(flat, yNested, { epochs: 1, verbose: 0 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    // fit leaves the caller's arrays alone
    expect(Array.from(flat.data)).toEqual(Array.from(x.data));
  });

  it('{ data, shape } whose sizes disagree is a TensileError', () => {
    expectTensileError(
      () => model.predict({ data: new Float32Array(5), shape: [3, 2] }),
      'predict',
      'x has 5 values but shape [3, 2] needs 6',
    );
  });

  it('predict works before compile, and builds a model without inputShape', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 3 }), tl.layers.dense({ units: 2 })] });
    expect(m.predict(tl.ones([4, 5])).shape).toEqual([4, 2]);
    expect(m.built).toBe(true);
  });
});

describe('fit yields to the event loop', () => {
  /** A callback that makes each batch take at least `ms`, so that fit is slow on any machine. */
  const slowBatches = (ms: number) => ({
    onBatchEnd: () => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    },
  });

  it('a setImmediate and a timer scheduled before fit run before fit resolves', async () => {
    const { x, y } = blobs(256, 15);
    const model = classifier(15);
    const events: string[] = [];
    setImmediate(() => events.push('immediate'));
    setTimeout(() => events.push('timeout'), 0);
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [slowBatches(1)] });
    events.push('fit resolved');
    expect(performance.now() - t0).toBeGreaterThan(50); // 64 batches of ≥ 1 ms
    // Both ran, and before fit resolved (their relative order is Node's business).
    expect(events).toHaveLength(3);
    expect(events[2]).toBe('fit resolved');
  });

  it('an interval keeps ticking during fit', async () => {
    const { x, y } = blobs(256, 16);
    const model = classifier(16);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [slowBatches(1)] });
    clearInterval(timer);
    // ≥ 64 ms of fit: a loop that never yielded would give no tick at all before fit resolved.
    expect(ticks).toBeGreaterThanOrEqual(3);
  });
});

describe('fit input checks (rejected promises)', () => {
  it('x and y of different batch sizes', async () => {
    const m = classifier(17);
    await expectRejects(m.fit(tl.ones([10, 2]), tl.ones([8, 1])), 'fit', 'x has 10 samples but y has 8');
  });
});
