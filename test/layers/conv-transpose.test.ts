// Conv2DTranspose (the layer): shapes, weights, the op underneath, errors, training, save/load, and interop with
// @tensorflow/tfjs 4 both ways (the op itself: test/ops/conv-transpose.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { randomValues } from '../helpers/random.js';
import { availableBackends, expectSameTensor, expectTensileError, seeded, useBackend } from '../helpers/ops.js';
import { inputs, sameBits, tempDirs } from '../io/fixtures.js';
import { expectClose, loadWithTfjs, saveWithTfjs, tfPredict, useTfjs } from '../io/tfjs.js';

const tmp = tempDirs();

/** Output shape by computeOutputShape and by running the layer agree; returns it. */
function shapeOf(layer: tl.layers.Layer, sample: number[]): (number | null)[] {
  const y = layer.apply(seeded([2, ...sample], 1));
  const declared = layer.computeOutputShape([null, ...sample]);
  expect([...y.shape]).toEqual([2, ...declared.slice(1)]);
  return [...declared];
}

describe.each(availableBackends())('Conv2DTranspose layer on %s', (backend) => {
  useBackend(backend);

  it('Keras name, output shapes and weights kernel [kh, kw, filters, in], bias [filters]', () => {
    const c = tl.layers.conv2dTranspose({ filters: 4, kernelSize: 3 });
    expect(c.name).toMatch(/^conv2d_transpose(_\d+)?$/);
    expect(c.className).toBe('Conv2DTranspose');
    expect(shapeOf(c, [5, 4, 3])).toEqual([null, 7, 6, 4]);
    expect(c.weights.map((w) => w.shape)).toEqual([[3, 3, 4, 3], [4]]);
    expect(c.weights.map((w) => w.name)).toEqual([
      expect.stringMatching(/\/kernel$/),
      expect.stringMatching(/\/bias$/),
    ]);
    expect(
      shapeOf(tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), [7, 5, 1]),
    ).toEqual([null, 14, 10, 2]);
    expect(shapeOf(tl.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: [2, 3] }), [4, 4, 2])).toEqual([
      null,
      9,
      12,
      2,
    ]);
    expect(shapeOf(tl.layers.conv2dTranspose({ filters: 1, kernelSize: 1, strides: 3 }), [1, 1, 2])).toEqual([
      null,
      3,
      3,
      1,
    ]);
    expect(
      tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }).computeOutputShape([null, null, 5, 1]),
    ).toEqual([null, null, 11, 2]);
  });

  it('glorotUniform with Keras fans of [kh, kw, filters, in] (fanIn = kh·kw·filters, fanOut = kh·kw·in) and zero bias', () => {
    tl.setSeed(3);
    const c = tl.layers.conv2dTranspose({ filters: 16, kernelSize: 3 });
    c.ensureBuilt([null, 8, 8, 4]);
    const [k, b] = c.getWeights();
    const limit = Math.sqrt(6 / (9 * 16 + 9 * 4));
    const values = Array.from(k.data).map(Math.abs);
    expect(Math.max(...values)).toBeLessThanOrEqual(limit);
    expect(Math.max(...values)).toBeGreaterThan(0.9 * limit);
    expect(Array.from(b.data).every((v) => v === 0)).toBe(true);
  });

  it('equals the op then its activation; gradients check through the layer', () => {
    const x = seeded([2, 3, 4, 2], 2);
    const c = tl.layers.conv2dTranspose({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'elu',
      biasInitializer: 'ones',
    });
    const y = c.apply(x);
    const [k, b] = c.getWeights();
    expectSameTensor(
      y,
      tl.layers.activation({ activation: 'elu' }).apply(tl.conv2dTranspose(x, k, b, { strides: 2, padding: 'same' })),
      { rtol: 1e-6, atol: 1e-6 },
    );
    const plain = tl.layers.conv2dTranspose({
      filters: 2,
      kernelSize: 2,
      strides: 3,
      useBias: false,
      activation: 'tanh',
    });
    plain.apply(x);
    expect(plain.weights.map((w) => w.shape)).toEqual([[2, 2, 2, 2]]);
    gradcheck((xi) => plain.apply(xi), [seeded([1, 2, 3, 2], 3)]);
  });

  it('bad input and bad options name the layer, the shapes and the parameter', () => {
    const c = tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, name: 'deconv_a' });
    expectTensileError(() => c.apply(seeded([2, 5, 5], 1)), 'deconv_a', 'rank 4', '[null, 5, 5]');
    const d = tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, name: 'deconv_b' });
    d.apply(seeded([1, 5, 5, 1], 1));
    expectTensileError(
      () => d.apply(seeded([1, 5, 5, 3], 1)),
      'deconv_b',
      '3 channels',
      '[3, 3, 2, 1]',
      '[1, 5, 5, 3]',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 0, kernelSize: 3 }),
      'layers.conv2dTranspose',
      'filters',
      'got 0',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, dilationRate: 2 }),
      'layers.conv2dTranspose',
      'dilationRate 1',
      '[2, 2]',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 3, 3] }),
      'layers.conv2dTranspose',
      'kernelSize',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, padding: 'causal' as never }),
      'layers.conv2dTranspose',
      'padding',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never }),
      'layers.conv2dTranspose',
      'channelsLast',
    );
    expectTensileError(
      () => tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, activation: 'rellu' as never }),
      'layers.conv2dTranspose',
      'rellu',
    );
  });

  it('trains: a tiny decoder (dense → reshape → conv2dTranspose) fits a target image', async () => {
    tl.setSeed(4);
    const m = tl.sequential({
      layers: [
        tl.layers.dense({ units: 3 * 3 * 4, inputShape: [2], activation: 'relu' }),
        tl.layers.reshape({ targetShape: [3, 3, 4] }),
        tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tl.layers.conv2dTranspose({ filters: 1, kernelSize: 2 }),
      ],
    });
    expect(m.outputs[0].shape).toEqual([null, 7, 7, 1]);
    m.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
    const x = inputs([16, 2], 5);
    // Target: a blob whose position follows the two inputs.
    const y = tl.tensor(
      Array.from({ length: 16 * 49 }, (_, i) => {
        const s = Math.floor(i / 49),
          p = i % 49,
          r = Math.floor(p / 7),
          c = p % 7;
        const [u, v] = [x.data[2 * s] * 2 + 3, x.data[2 * s + 1] * 2 + 3];
        return Math.exp(-((r - u) ** 2 + (c - v) ** 2) / 2);
      }),
      [16, 7, 7, 1],
    );
    const h = await m.fit(x, y, { epochs: 60, batchSize: 16, verbose: 0 });
    const loss = h.history.loss.map(Number);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
  });

  it('saves and loads (Keras config keys) with the same predictions', async () => {
    tl.setSeed(9);
    const model = tl.sequential({
      layers: [
        tl.layers.conv2dTranspose({
          filters: 4,
          kernelSize: [3, 2],
          strides: [2, 1],
          padding: 'same',
          activation: 'relu',
          biasInitializer: 'glorotUniform',
          kernelRegularizer: tl.regularizers.l2({ l2: 0.01 }),
          inputShape: [4, 5, 3],
        }),
        tl.layers.conv2dTranspose({
          filters: 2,
          kernelSize: 2,
          strides: 3,
          useBias: false,
          kernelInitializer: 'heNormal',
        }),
      ],
    });
    const x = inputs([2, 4, 5, 3], 10);
    const before = model.predict(x);
    expect(before.shape).toEqual([2, 24, 15, 2]);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const topology = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const layers = topology.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
    expect(layers.map((l) => l.class_name)).toEqual(['Conv2DTranspose', 'Conv2DTranspose']);
    expect(layers[0].config).toMatchObject({
      filters: 4,
      kernel_size: [3, 2],
      strides: [2, 1],
      padding: 'same',
      dilation_rate: [1, 1],
      activation: 'relu',
      use_bias: true,
      data_format: 'channels_last',
    });
    expect(layers[0].config.kernel_regularizer).toMatchObject({ class_name: 'L1L2' });
    const loaded = await tl.loadModel(`file://${join(dir, 'model.json')}`);
    expect(loaded.layers.map((l) => l.className)).toEqual(['Conv2DTranspose', 'Conv2DTranspose']);
    expect(loaded.layers[0].getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [3, 2],
      strides: [2, 1],
      padding: 'same',
      activation: 'relu',
    });
    expect(loaded.layers[1].getConfig()).toMatchObject({
      filters: 2,
      strides: [3, 3],
      useBias: false,
      kernelInitializer: 'heNormal',
    });
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, before.data)).toBe(true);
  });

  it('refuses a Keras file with output_padding or a dilation, naming the layer and the key', async () => {
    const model = tl.sequential({
      layers: [
        tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, name: 'up_1', inputShape: [3, 3, 1] }),
      ],
    });
    const dir = tmp();
    await model.save(`file://${dir}`);
    const path = join(dir, 'model.json');
    const original = readFileSync(path, 'utf8');
    const edit = (key: string, value: unknown) => {
      const json = JSON.parse(original);
      json.modelTopology.config.layers[0].config[key] = value;
      writeFileSync(path, JSON.stringify(json));
    };
    edit('output_padding', [1, 1]);
    await expect(tl.loadModel(`file://${path}`)).rejects.toThrow(
      /up_1[\s\S]*output_padding \[1, ?1\] is not supported/,
    );
    edit('dilation_rate', [2, 2]);
    await expect(tl.loadModel(`file://${path}`)).rejects.toThrow(/up_1[\s\S]*dilationRate \[2, 2\]/);
    edit('output_padding', null);
    await expect(tl.loadModel(`file://${path}`)).resolves.toBeDefined();
  });
});

// ---- interop with @tensorflow/tfjs 4 (its Conv2DTranspose, on its cpu backend) ------------------

const tfjs = useTfjs();
let tf: typeof TF;
beforeAll(() => {
  tf = tfjs();
});

describe('Conv2DTranspose interop with tfjs: same weights, same outputs', () => {
  it('tfjs saves, tensile loads (same with strides 2, relu; valid stride 3 with a kernel under it, no bias; odd strides, then Dense)', async () => {
    const m = tf.sequential();
    m.add(
      tf.layers.conv2dTranspose({
        filters: 4,
        kernelSize: [3, 2],
        strides: 2,
        padding: 'same',
        activation: 'relu',
        inputShape: [4, 3, 3],
      }),
    );
    m.add(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 3, useBias: false }));
    m.add(tf.layers.conv2dTranspose({ filters: 2, kernelSize: [4, 3], strides: [1, 2], padding: 'same' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 3 }));
    m.setWeights(
      randomValues(
        m.weights.map((w) => w.shape as number[]),
        4,
      ).map((v, i) => tf.tensor(v, m.weights[i].shape as number[])),
    );
    const dir = await saveWithTfjs(tf, m, tmp());
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(loaded.layers.map((l) => l.className)).toEqual([
      'Conv2DTranspose',
      'Conv2DTranspose',
      'Conv2DTranspose',
      'Flatten',
      'Dense',
    ]);
    expect(loaded.layers[0].getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [3, 2],
      strides: [2, 2],
      padding: 'same',
      activation: 'relu',
    });
    expect(loaded.layers[1].getConfig()).toMatchObject({ filters: 3, strides: [3, 3], useBias: false });
    const x = inputs([4, 4, 3, 3], 101);
    const ours = loaded.predict(x) as tl.Tensor;
    expect(ours.shape.slice(1)).toEqual((m.outputs[0].shape as number[]).slice(1));
    const theirs = tfPredict(tf, m, x);
    expect(Math.max(...theirs.map(Math.abs)), 'a non-trivial output').toBeGreaterThan(1e-2);
    expectClose(ours.data, theirs);
  });

  it('tensile saves, tfjs loads (valid stride 2, tanh; same stride [3, 2]; then global pooling)', async () => {
    tl.setSeed(25);
    const m = tl.sequential({
      layers: [
        tl.layers.conv2dTranspose({ filters: 5, kernelSize: 3, strides: 2, activation: 'tanh', inputShape: [3, 4, 2] }),
        tl.layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [3, 2], padding: 'same' }),
        tl.layers.conv2dTranspose({ filters: 2, kernelSize: 1 }),
      ],
    });
    const shapes = m.layers.flatMap((l) => l.weights.map((w) => [...w.shape]));
    m.setWeights(randomValues(shapes, 26).map((v, i) => tl.tensor(v, shapes[i])));
    const dir = tmp();
    await m.save(`file://${dir}`);
    const theirs = await loadWithTfjs(tf, dir);
    expect(theirs.layers.map((l) => l.getClassName())).toEqual([
      'Conv2DTranspose',
      'Conv2DTranspose',
      'Conv2DTranspose',
    ]);
    expect(theirs.layers[0].getConfig()).toMatchObject({
      filters: 5,
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: 'valid',
      activation: 'tanh',
    });
    expect(theirs.layers[0].weights.map((w) => w.shape)).toEqual([[3, 3, 5, 2], [5]]);
    const x = inputs([4, 3, 4, 2], 201);
    const ours = m.predict(x);
    expect(ours.shape.slice(1)).toEqual((theirs.outputs[0].shape as number[]).slice(1));
    expect(Math.max(...ours.data.map(Math.abs)), 'a non-trivial output').toBeGreaterThan(1e-2);
    expectClose(tfPredict(tf, theirs, x), ours.data);
  });
});
