// Graphs against the reference implementation, @tensorflow/tfjs 4.22 (pure-JS cpu backend), both ways: tfjs
// builds and saves, tensile loads and predicts the same (≤ 1e-5 of scale); tensile saves that model again (and
// graphs it built itself), tfjs loads and predicts the same; and the same model trained from the same weights
// with SGD, full batch, no shuffle, gives tfjs' loss history within 1e-4.
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { inputs, tempDirs } from './fixtures.js';
import { expectClose, loadWithTfjs, saveWithTfjs, useTfjs } from './tfjs.js';

const tmp = tempDirs();
const tfjs = useTfjs();
let tf: typeof TF;
beforeAll(() => {
  tf = tfjs();
});
type Sym = TF.SymbolicTensor;

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const samples = (shapes: number[][], n = 5, seed = 40) => shapes.map((s, i) => inputs([n, ...s], seed + i));
function tfPredictAll(m: TF.LayersModel, xs: tl.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const ins = xs.map((x) => tf.tensor(x.data, [...x.shape]));
    return list(m.predict(ins.length === 1 ? ins[0] : ins) as TF.Tensor | TF.Tensor[]).map(
      (t) => t.dataSync() as Float32Array,
    );
  });
}
const ourPredictAll = (m: tl.LayersModel, xs: tl.Tensor[]) =>
  list(m.predict(xs.length === 1 ? xs[0] : xs)).map((t) => t.data);
function expectSameOutputs(a: ArrayLike<number>[], b: ArrayLike<number>[]) {
  expect(a.length).toBe(b.length);
  a.forEach((o, i) => expectClose(o, b[i]));
}

/** tfjs → tensile → tfjs: predictions equal at each step; returns tensile's model. */
async function bothWays(m: TF.LayersModel, shapes: number[][]): Promise<tl.LayersModel> {
  const xs = samples(shapes);
  const theirs = tfPredictAll(m, xs);
  const loaded = await tl.loadModel(await saveWithTfjs(tf, m, tmp()));
  expectSameOutputs(ourPredictAll(loaded, xs), theirs);
  const dir = tmp();
  await loaded.save(dir);
  const back = await loadWithTfjs(tf, dir);
  expectSameOutputs(tfPredictAll(back, xs), theirs);
  expect(back.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.getClassName()));
  return loaded;
}

/** tensile builds and saves; tfjs loads and predicts the same. */
async function tensileToTfjs(m: tl.LayersModel, shapes: number[][]): Promise<TF.LayersModel> {
  const xs = samples(shapes, 4, 60);
  const dir = tmp();
  await m.save(dir);
  const theirs = await loadWithTfjs(tf, dir);
  expectSameOutputs(tfPredictAll(theirs, xs), ourPredictAll(m, xs));
  return theirs;
}

// tfjs 4.22 has no Subtract layer (Keras has): tensile's own tests round-trip it (test/layers/merge.test.ts).
const MERGES = ['add', 'multiply', 'average', 'maximum', 'minimum', 'concatenate'] as const;

describe('tfjs saves a graph, tensile loads it and saves it back, tfjs loads that', () => {
  it.each(MERGES)('%s of two branches', async (merge) => {
    const x = tf.input({ shape: [5] });
    const p = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(x) as Sym;
    const q = tf.layers.dense({ units: 4 }).apply(x) as Sym;
    const factories = tf.layers as unknown as Record<string, (a?: object) => TF.layers.Layer>;
    const merged = factories[merge]({}).apply([p, q]) as Sym;
    await bothWays(tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3 }).apply(merged) as Sym }), [[5]]);
  });

  it('dot with normalize, and dot of sequences over given axes', async () => {
    const a = tf.input({ shape: [6] }),
      b = tf.input({ shape: [6] });
    const cos = tf.layers.dot({ axes: 1, normalize: true }).apply([a, b]) as Sym;
    const s1 = tf.input({ shape: [3, 4] }),
      s2 = tf.input({ shape: [5, 4] });
    const att = tf.layers.dot({ axes: [2, 2] }).apply([s1, s2]) as Sym;
    await bothWays(tf.model({ inputs: [a, b, s1, s2], outputs: [cos, att] }), [[6], [6], [3, 4], [5, 4]]);
  });

  it('two inputs, two outputs, a shared layer applied to both inputs', async () => {
    const a = tf.input({ shape: [4], name: 'left' }),
      b = tf.input({ shape: [4], name: 'right' });
    const shared = tf.layers.dense({ units: 6, activation: 'relu', name: 'shared' });
    const [ha, hb] = [shared.apply(a) as Sym, shared.apply(b) as Sym];
    const both = tf.layers.concatenate().apply([ha, hb]) as Sym;
    const cls = tf.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(both) as Sym;
    const diff = tf.layers.dense({ units: 1, name: 'diff' }).apply(tf.layers.multiply().apply([ha, hb]) as Sym) as Sym;
    const loaded = await bothWays(tf.model({ inputs: [a, b], outputs: [cls, diff] }), [[4], [4]]);
    expect(loaded.inputNames).toEqual(['left', 'right']);
    expect(loaded.outputNames).toEqual(['cls', 'diff']);
    expect(loaded.getLayer('shared').inboundNodes.length).toBe(2);
  });

  it('a nested model (a Sequential and a functional model) applied inside another, one of them twice', async () => {
    const inner = tf.sequential({
      layers: [tf.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 3 })],
    });
    const ii = tf.input({ shape: [3] });
    const innerFn = tf.model({
      inputs: ii,
      outputs: tf.layers.dense({ units: 2, activation: 'sigmoid' }).apply(ii) as Sym,
    });
    const a = tf.input({ shape: [4] }),
      b = tf.input({ shape: [4] });
    const h = tf.layers.add().apply([inner.apply(a) as Sym, inner.apply(b) as Sym]) as Sym;
    await bothWays(tf.model({ inputs: [a, b], outputs: innerFn.apply(h) as Sym }), [[4], [4]]);
  });

  it('a residual CNN with batch normalization (inference statistics after tfjs training)', async () => {
    const x = tf.input({ shape: [8, 8, 2] });
    const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as Sym;
    const bn = tf.layers.batchNormalization().apply(c) as Sym;
    const r = tf.layers.activation({ activation: 'relu' }).apply(bn) as Sym;
    const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(r) as Sym;
    const sc = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x) as Sym;
    const res = tf.layers
      .activation({ activation: 'relu' })
      .apply(tf.layers.add().apply([tf.layers.batchNormalization().apply(c2) as Sym, sc]) as Sym) as Sym;
    const out = tf.layers
      .dense({ units: 3, activation: 'softmax' })
      .apply(tf.layers.globalAveragePooling2d({}).apply(res) as Sym) as Sym;
    const m = tf.model({ inputs: x, outputs: out });
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    // A little training moves the moving statistics off their initial values.
    await m.fit(
      tf.randomNormal([16, 8, 8, 2], 0, 1, 'float32', 3),
      tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3),
      { epochs: 2, batchSize: 8 },
    );
    await bothWays(m, [[8, 8, 2]]);
  });

  it('an LSTM branch beside a dense branch', async () => {
    const seq = tf.input({ shape: [6, 3] }),
      side = tf.input({ shape: [2] });
    const l = tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }).apply(seq) as Sym;
    const d = tf.layers.dense({ units: 4, activation: 'relu' }).apply(side) as Sym;
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply([l, d]) as Sym) as Sym;
    await bothWays(tf.model({ inputs: [seq, side], outputs: out }), [[6, 3], [2]]);
  });
});

describe('tensile builds a graph, tfjs loads it', () => {
  it('every merge layer, two inputs and outputs, a shared layer and a nested Sequential', async () => {
    tl.setSeed(21);
    const a = tl.input({ shape: [4] }),
      b = tl.input({ shape: [4] });
    const shared = tl.layers.dense({ units: 3, activation: 'tanh' });
    const [p, q] = [shared.apply(a), shared.apply(b)];
    const merges = [
      tl.layers.add(),
      tl.layers.multiply(),
      tl.layers.average(),
      tl.layers.maximum(),
      tl.layers.minimum(),
      tl.layers.concatenate(),
    ].map((l) => l.apply([p, q]));
    const inner = tl.sequential({
      layers: [tl.layers.dense({ units: 5, inputShape: [21], activation: 'relu' }), tl.layers.dense({ units: 2 })],
    });
    const cat = tl.layers.concatenate().apply(merges);
    const dot = tl.layers.dot({ axes: 1, normalize: true }).apply([p, q]);
    const m = tl.model({ inputs: [a, b], outputs: [inner.apply(cat), dot] });
    const theirs = await tensileToTfjs(m, [[4], [4]]);
    expect(theirs.outputs.length).toBe(2);
    expect(theirs.getLayer(shared.name).inboundNodes.length).toBe(2);
  });
});

describe('training the same graph from the same weights: SGD, full batch, no shuffle', () => {
  it('two inputs, two outputs with their own losses: tfjs loss history within 1e-4', async () => {
    const a = tf.input({ shape: [4], name: 'a' }),
      b = tf.input({ shape: [3], name: 'b' });
    const h = tf.layers
      .concatenate()
      .apply([tf.layers.dense({ units: 6, activation: 'tanh' }).apply(a) as Sym, b]) as Sym;
    const cls = tf.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h) as Sym;
    const reg = tf.layers.dense({ units: 1, name: 'reg' }).apply(h) as Sym;
    const m = tf.model({ inputs: [a, b], outputs: [cls, reg] });
    const loaded = await tl.loadModel(await saveWithTfjs(tf, m, tmp()));
    const [xa, xb, yr] = samples([[4], [3], [1]], 16, 70);
    const yc = tl.utils.toCategorical(tl.tensor(Array.from({ length: 16 }, (_, i) => i % 3)), 3);
    // tfjs' compile takes no lossWeights: the total is the plain sum.
    m.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    const t = (x: tl.Tensor) => tf.tensor(x.data, [...x.shape]);
    const ref = await m.fit([t(xa), t(xb)], [t(yc), t(yr)], { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
    loaded.compile({
      optimizer: tl.optimizers.sgd({ learningRate: 0.1 }),
      loss: ['categoricalCrossentropy', 'meanSquaredError'],
    });
    const ours = await loaded.fit([xa, xb], [yc, yr], { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
    for (const key of ['loss', 'cls_loss', 'reg_loss'])
      (ref.history[key] as number[]).forEach((v, i) =>
        expect(Math.abs(Number(ours.history[key][i]) - v), `${key}[${i}]`).toBeLessThanOrEqual(1e-4),
      );
  });

  it('the residual CNN with batch normalization', async () => {
    const x = tf.input({ shape: [6, 6, 2] });
    const c = tf.layers
      .batchNormalization()
      .apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x) as Sym) as Sym;
    const res = tf.layers
      .activation({ activation: 'relu' })
      .apply(tf.layers.add().apply([c, tf.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as Sym]) as Sym) as Sym;
    const m = tf.model({
      inputs: x,
      outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(tf.layers.flatten().apply(res) as Sym) as Sym,
    });
    const loaded = await tl.loadModel(await saveWithTfjs(tf, m, tmp()));
    const [xs] = samples([[6, 6, 2]], 12, 80);
    const ys = tl.utils.toCategorical(tl.tensor(Array.from({ length: 12 }, (_, i) => i % 2)), 2);
    m.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const ref = await m.fit(tf.tensor(xs.data, [...xs.shape]), tf.tensor(ys.data, [...ys.shape]), {
      epochs: 4,
      batchSize: 12,
      shuffle: false,
      verbose: 0,
    });
    loaded.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    const ours = await loaded.fit(xs, ys, { epochs: 4, batchSize: 12, shuffle: false, verbose: 0 });
    (ref.history.loss as number[]).forEach((v, i) =>
      expect(Math.abs(Number(ours.history.loss[i]) - v), `loss[${i}]`).toBeLessThanOrEqual(1e-4),
    );
  });
});
