// Interoperability of LayerNormalization and the everyday layers with @tensorflow/tfjs 4.22, both ways: a model
// built by one with seeded weights, saved and loaded by the other, predicts the same. (tfjs 4.22 has no
// MultiHeadAttention, SpatialDropout2D or Normalization class: those round-trip through tensile's own files only.)
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { rng } from '../helpers/random.js';
import { inputs, tempDirs } from './fixtures.js';
import { expectClose, loadWithTfjs, saveWithTfjs, tfPredict, useTfjs } from './tfjs.js';

const tmp = tempDirs();
const tfjs = useTfjs();
let tf: typeof TF;
beforeAll(() => {
  tf = tfjs();
});

const values = (shape: readonly number[], r: () => number) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5);

describe('tfjs 4.22 and tensile exchange the everyday layers', () => {
  it('tfjs saves LayerNormalization, LeakyReLU, ELU, ReLU, PReLU, Softmax, Permute, RepeatVector, noise layers; tensile loads', async () => {
    const L = tf.layers;
    const m = tf.sequential();
    for (const l of [
      L.gaussianNoise({ stddev: 0.3, inputShape: [5, 4] }),
      L.spatialDropout1d({ rate: 0.2 }),
      L.layerNormalization({ epsilon: 0.01 }),
      L.permute({ dims: [2, 1] }),
      L.dense({ units: 6 }),
      L.leakyReLU({ alpha: 0.2 }),
      L.prelu({}),
      L.elu({}),
      L.reLU({ maxValue: 0.4 }),
      L.gaussianDropout({ rate: 0.1 }),
      L.layerNormalization({ center: false }),
      L.flatten(),
      L.repeatVector({ n: 2 }),
      L.softmax({ axis: -1 }),
    ])
      m.add(l);
    const r = rng(3);
    m.setWeights(m.weights.map((w) => tf.tensor(values(w.shape as number[], r), w.shape as number[])));
    const dir = await saveWithTfjs(tf, m, tmp());
    const ours = await tl.loadModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.getClassName()));
    expect(ours.layers[2].getConfig()).toMatchObject({ epsilon: 0.01 });
    const x = inputs([3, 5, 4], 11);
    expectClose((ours.predict(x) as tl.Tensor).data, tfPredict(tf, m, x));
    // Masking: the padded steps of the input are skipped by the LSTM in both.
    const mm = tf.sequential({
      layers: [
        L.masking({ maskValue: 0, inputShape: [4, 3] }),
        L.lstm({ units: 3, recurrentActivation: 'sigmoid' }),
        L.dense({ units: 2 }),
      ],
    });
    mm.setWeights(mm.weights.map((w) => tf.tensor(values(w.shape as number[], r), w.shape as number[])));
    const mdir = await saveWithTfjs(tf, mm, tmp());
    const mine = await tl.loadModel(`file://${mdir}/model.json`);
    const padded = tl.tensor(
      Array.from(inputs([2, 4, 3], 12).data, (v, i) => (Math.floor(i / 3) % 4 === 3 ? 0 : v)),
      [2, 4, 3],
    );
    expectClose((mine.predict(padded) as tl.Tensor).data, tfPredict(tf, mm, padded));
  });

  it('tensile saves them (and Cropping2D, Rescaling), tfjs loads', async () => {
    tl.setSeed(12);
    const L = tl.layers;
    const a = tl.sequential({
      layers: [
        L.layerNormalization({ inputShape: [5, 4] }),
        L.permute({ dims: [2, 1] }),
        L.dense({ units: 6 }),
        L.leakyReLU({ alpha: 0.1 }),
        L.prelu(),
        L.elu(),
        L.reLU({ maxValue: 0.5 }),
        L.gaussianNoise({ stddev: 0.2 }),
        L.gaussianDropout({ rate: 0.2 }),
        L.spatialDropout1d({ rate: 0.3 }),
        L.flatten(),
        L.repeatVector({ n: 3 }),
        L.softmax(),
      ],
    });
    const c = tl.sequential({
      layers: [L.masking({ maskValue: 0, inputShape: [4, 3] }), L.lstm({ units: 3 }), L.dense({ units: 2 })],
    });
    const b = tl.sequential({
      layers: [
        L.rescaling({ scale: 0.5, offset: 0.25, inputShape: [5, 6, 2] }),
        L.cropping2d({
          cropping: [
            [1, 0],
            [2, 1],
          ],
        }),
        L.flatten(),
        L.dense({ units: 3 }),
      ],
    });
    for (const [m, shape] of [
      [a, [3, 5, 4]],
      [b, [2, 5, 6, 2]],
      [c, [2, 4, 3]],
    ] as const) {
      const r = rng(5);
      m.setWeights(m.layers.flatMap((l) => [...l.weights]).map((v) => tl.tensor(values(v.shape, r), [...v.shape])));
      const dir = tmp();
      await m.save(`file://${dir}`);
      const theirs = await loadWithTfjs(tf, dir);
      expect(theirs.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.className));
      const x = inputs([...shape], 13);
      expectClose(tfPredict(tf, theirs, x), m.predict(x).data);
    }
  });
});
