// Interoperability with the reference implementation: models built and saved by @tensorflow/tfjs
// (its pure-JS cpu backend) load in tensile, and models saved by tensile load in tfjs, with the same
// predictions (≤ 1e-5).
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { inputs, maxDiff, readJsonFile, tempDirs } from './fixtures.js';
import { loadWithTfjs as loadIn, saveWithTfjs as saveIn, tfPredict as predictIn, useTfjs } from './tfjs.js';

const tmp = tempDirs();
const tfjs = useTfjs();
let tf: typeof TF;
beforeAll(() => {
  tf = tfjs();
});
const saveWithTfjs = (model: TF.LayersModel) => saveIn(tf, model, tmp());
const loadWithTfjs = (dir: string) => loadIn(tf, dir);
const tfPredict = (m: TF.LayersModel, x: tl.Tensor) => predictIn(tf, m, x);

async function expectTfjsToTensile(model: TF.LayersModel, inputShape: number[]) {
  const dir = await saveWithTfjs(model);
  const loaded = await tl.loadModel(`file://${dir}/model.json`);
  const x = inputs([6, ...inputShape], 41);
  const ours = (loaded.predict(x) as tl.Tensor).data;
  expect(maxDiff(ours, tfPredict(model, x))).toBeLessThanOrEqual(1e-5);
  return { loaded, dir };
}

describe('tfjs saves, tensile loads', () => {
  it('Dense, Dropout and Activation with tfjs defaults (VarianceScaling configs, activation names)', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 8, inputShape: [5], activation: 'relu' }));
    m.add(tf.layers.dropout({ rate: 0.3 }));
    m.add(tf.layers.dense({ units: 6, activation: 'tanh', useBias: false }));
    m.add(tf.layers.dense({ units: 4, activation: 'selu' }));
    m.add(tf.layers.dense({ units: 3 }));
    m.add(tf.layers.activation({ activation: 'softmax' }));
    const { loaded } = await expectTfjsToTensile(m, [5]);
    expect(loaded.layers.map((l) => l.className)).toEqual([
      'Dense',
      'Dropout',
      'Dense',
      'Dense',
      'Dense',
      'Activation',
    ]);
    // tfjs' default Dense kernel initializer is glorotNormal, written as VarianceScaling(1, fan_avg, normal).
    expect(loaded.layers[0].getConfig()).toMatchObject({
      units: 8,
      activation: 'relu',
      useBias: true,
      kernelInitializer: 'glorotNormal',
      biasInitializer: 'zeros',
    });
    expect(loaded.layers[2].getConfig()).toMatchObject({ useBias: false, activation: 'tanh' });
  });

  it('Reshape, Flatten and more activations', async () => {
    const m = tf.sequential();
    m.add(tf.layers.reshape({ targetShape: [4, 3], inputShape: [12] }));
    m.add(tf.layers.dense({ units: 5, activation: 'elu' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 6, activation: 'softplus' }));
    m.add(tf.layers.dense({ units: 6, activation: 'softsign' }));
    m.add(tf.layers.dense({ units: 4, activation: 'swish' }));
    m.add(tf.layers.dense({ units: 3, activation: 'sigmoid' }));
    await expectTfjsToTensile(m, [12]);
  });

  it('initializer configs map to ours, and parametric ones survive a tensile save', async () => {
    const m = tf.sequential();
    m.add(
      tf.layers.dense({
        units: 4,
        inputShape: [3],
        kernelInitializer: 'heNormal',
        biasInitializer: tf.initializers.constant({ value: 0.5 }),
      }),
    );
    m.add(tf.layers.dense({ units: 4, kernelInitializer: 'leCunUniform', biasInitializer: 'ones' }));
    m.add(tf.layers.dense({ units: 4, kernelInitializer: 'glorotUniform' }));
    m.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.01 }) }));
    const { loaded } = await expectTfjsToTensile(m, [3]);
    expect(loaded.layers.map((l) => l.getConfig().kernelInitializer)).toEqual([
      'heNormal',
      'lecunUniform',
      'glorotUniform',
      'custom',
    ]);
    expect(loaded.layers.map((l) => l.getConfig().biasInitializer)).toEqual(['custom', 'ones', 'zeros', 'zeros']);
    const dir = tmp();
    await loaded.save(dir);
    const layers = readJsonFile(join(dir, 'model.json')).modelTopology.config.layers;
    expect(layers[0].config.bias_initializer).toEqual({ class_name: 'Constant', config: { value: 0.5 } });
    expect(layers[3].config.kernel_initializer).toEqual({
      class_name: 'RandomNormal',
      config: { mean: 0, stddev: 0.01, seed: null },
    });
  });

  it('a functional tf.model whose layers form a chain (class_name Model) loads as a graph', async () => {
    const input = tf.input({ shape: [6] });
    const h = tf.layers.dense({ units: 5, activation: 'relu' }).apply(input) as TF.SymbolicTensor;
    const d = tf.layers.dropout({ rate: 0.1 }).apply(h) as TF.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(d) as TF.SymbolicTensor;
    const { loaded, dir } = await expectTfjsToTensile(tf.model({ inputs: input, outputs: out }), [6]);
    expect(readJsonFile(join(dir, 'model.json')).modelTopology.class_name).toBe('Model');
    expect(loaded.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dropout', 'Dense']);
  });

  it('a functional tf.model with branches loads (graphs in full: tfjs-interop-functional.test.ts)', async () => {
    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3, name: 'left' }).apply(input) as TF.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, name: 'right' }).apply(input) as TF.SymbolicTensor;
    const sum = tf.layers.add({ name: 'merge' }).apply([a, b]) as TF.SymbolicTensor;
    const { loaded } = await expectTfjsToTensile(tf.model({ inputs: input, outputs: sum }), [4]);
    expect(loaded.getLayer('merge').className).toBe('Add');
  });
});

describe('tensile saves, tfjs loads', () => {
  it('Dense, Dropout, Reshape, Flatten, Activation: the same predictions', async () => {
    tl.setSeed(8);
    const model = tl.sequential({
      layers: [
        tl.layers.dense({ units: 12, inputShape: [7], activation: 'relu', kernelInitializer: 'heNormal' }),
        tl.layers.dropout({ rate: 0.4 }),
        tl.layers.reshape({ targetShape: [3, 4] }),
        tl.layers.dense({ units: 5, activation: 'tanh', useBias: false }),
        tl.layers.flatten(),
        tl.layers.dense({ units: 4, kernelInitializer: 'lecunNormal', biasInitializer: 'randomUniform' }),
        tl.layers.activation({ activation: 'softmax' }),
      ],
    });
    const dir = tmp();
    await model.save(`file://${dir}`);
    const theirs = await loadWithTfjs(dir);
    expect(theirs.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const x = inputs([9, 7], 5);
    expect(maxDiff(tfPredict(theirs, x), model.predict(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('a model saved over another (versioned shard names) loads in tfjs', async () => {
    tl.setSeed(10);
    const make = () =>
      tl.sequential({
        layers: [tl.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }), tl.layers.dense({ units: 2 })],
      });
    const dir = tmp();
    await make().save(dir);
    const second = make();
    await second.save(dir);
    expect(readJsonFile(join(dir, 'model.json')).weightsManifest[0].paths[0]).toMatch(
      /^group1-shard1of1\.[0-9a-f]{8}\.bin$/,
    );
    const x = inputs([5, 4], 6);
    expect(maxDiff(tfPredict(await loadWithTfjs(dir), x), second.predict(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('an InputLayer model and weights sharded over two files', async () => {
    tl.setSeed(9);
    const model = tl.sequential({
      layers: [
        tl.layers.inputLayer({ inputShape: [1000] }),
        tl.layers.dense({ units: 1100, activation: 'sigmoid' }),
        tl.layers.dense({ units: 2 }),
      ],
    });
    const dir = tmp();
    await model.save(dir);
    expect(readJsonFile(join(dir, 'model.json')).weightsManifest[0].paths).toHaveLength(2);
    const theirs = await loadWithTfjs(dir);
    const x = inputs([3, 1000], 6);
    expect(maxDiff(tfPredict(theirs, x), model.predict(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('a tfjs model round-trips through tensile and back to tfjs', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const dir = await saveWithTfjs(m);
    const ours = await tl.loadModel(dir);
    const out = tmp();
    await ours.save(out);
    const back = await loadWithTfjs(out);
    const x = inputs([5, 4], 3);
    expect(maxDiff(tfPredict(back, x), tfPredict(m, x))).toBe(0);
  });
});
