import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectSameTensor,
  expectTensileError,
  expectTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';
import { inputs, sameBits, tempDirs } from '../io/fixtures.js';

const tmp = tempDirs();

/** Output shape by computeOutputShape and by running the layer agree; returns it. */
function shapeOf(layer: tl.layers.Layer, sample: number[]): (number | null)[] {
  const x = seeded([2, ...sample], 1);
  const y = layer.apply(x);
  const declared = layer.computeOutputShape([null, ...sample]);
  expect([...y.shape]).toEqual([2, ...declared.slice(1)]);
  return [...declared];
}

describe.each(availableBackends())('convolutional layers on %s', (backend) => {
  useBackend(backend);

  it('Conv2D: Keras output shapes, weights [kh, kw, in, filters] and [filters], Keras names', () => {
    const c = tl.layers.conv2d({ filters: 4, kernelSize: 3 });
    expect(c.name).toMatch(/^conv2d(_\d+)?$/);
    expect(shapeOf(c, [9, 8, 2])).toEqual([null, 7, 6, 4]);
    expect(c.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 4], [4]]);
    expect(
      shapeOf(tl.layers.conv2d({ filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same' }), [7, 7, 1]),
    ).toEqual([null, 4, 4, 2]);
    expect(shapeOf(tl.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }), [7, 8, 1])).toEqual([
      null,
      3,
      4,
      2,
    ]);
    expect(shapeOf(tl.layers.conv2d({ filters: 2, kernelSize: 1, strides: 3 }), [7, 8, 3])).toEqual([null, 3, 3, 2]);
    expect(tl.layers.maxPooling2d({}).name).toMatch(/^max_pooling2d(_\d+)?$/);
  });

  it('Conv2D: glorotUniform with the conv fans (fanIn = kh·kw·in, fanOut = kh·kw·filters) and zero bias by default', () => {
    tl.setSeed(3);
    const c = tl.layers.conv2d({ filters: 16, kernelSize: 3 });
    c.ensureBuilt([null, 8, 8, 8]);
    const [k, b] = c.getWeights();
    const limit = Math.sqrt(6 / (9 * 8 + 9 * 16));
    const values = Array.from(k.data);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(Array.from(b.data).every((v) => v === 0)).toBe(true);
  });

  it('Conv2D with activation and useBias: false equals the op; unfusable activations still apply', () => {
    const c = tl.layers.conv2d({ filters: 2, kernelSize: 2, useBias: false, activation: 'elu' });
    const x = seeded([1, 3, 3, 1], 2);
    const y = c.apply(x);
    expect(c.weights).toHaveLength(1);
    const linear = tl.conv2d(x, c.getWeights()[0], null);
    expectSameTensor(y, tl.layers.activation({ activation: 'elu' }).apply(linear));
  });

  it('Conv2D: bad input names the layer and the shapes', () => {
    const c = tl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv_a' });
    expectTensileError(() => c.apply(seeded([2, 5, 5], 1)), 'conv_a', 'rank 4', '[null, 5, 5]');
    const d = tl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv_b' });
    d.apply(seeded([1, 5, 5, 1], 1));
    expectTensileError(() => d.apply(seeded([1, 5, 5, 3], 1)), 'conv_b', '3 channels', '[3, 3, 1, 2]', '[1, 5, 5, 3]');
    expectTensileError(
      () => tl.layers.conv2d({ filters: 2, kernelSize: 5, name: 'conv_c' }).apply(seeded([1, 3, 8, 1], 1)),
      'conv_c',
      'kernel [5, 5]',
      'larger than the input',
      "'valid'",
    );
    expectTensileError(() => tl.layers.conv2d({ filters: 0, kernelSize: 3 }), 'layers.conv2d', 'filters');
    expectTensileError(() => tl.layers.conv2d({ filters: 2, kernelSize: [3, 3, 3] }), 'layers.conv2d', 'kernelSize');
    expectTensileError(
      () => tl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' as 'same' }),
      'layers.conv2d',
      "padding must be 'valid' or 'same'",
    );
    expectTensileError(
      () => tl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
      'layers.conv2d',
      'cannot both',
    );
    // A rank-3 sample shape (MNIST without its channel axis) is caught when the model is built.
    expectTensileError(
      () =>
        tl.sequential({
          layers: [tl.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [28, 28], name: 'conv_d' })],
        }),
      'conv_d',
      'rank 4',
      '[null, 28, 28]',
    );
  });

  it('Conv1D equals a Conv2D of height 1; its gradients check', () => {
    const c1 = tl.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', dilationRate: 2 });
    const x = seeded([2, 7, 2], 4);
    const y = c1.apply(x);
    expect(y.shape).toEqual([2, 7, 3]);
    expect(c1.computeOutputShape([null, 7, 2])).toEqual([null, 7, 3]);
    const [k, b] = c1.getWeights();
    const y2 = tl.conv2d(x.reshape([2, 1, 7, 2]), k.reshape([1, 2, 2, 3]), b, {
      padding: 'same',
      dilationRate: [1, 2],
    });
    expectSameTensor(y, y2.reshape([2, 7, 3]));
    gradcheck((xi) => c1.apply(xi), [x]);
  });

  it('DepthwiseConv2D: Keras output shapes, weights depthwise_kernel [kh, kw, in, multiplier] then bias [in·multiplier]', () => {
    const c = tl.layers.depthwiseConv2d({ kernelSize: 3 });
    expect(c.name).toMatch(/^depthwise_conv2d(_\d+)?$/);
    expect(shapeOf(c, [9, 8, 2])).toEqual([null, 7, 6, 2]);
    expect(c.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 1], [2]]);
    expect(c.weights.map((w) => w.name)).toEqual([
      expect.stringMatching(/depthwise_kernel$/),
      expect.stringMatching(/bias$/),
    ]);
    expect(
      shapeOf(
        tl.layers.depthwiseConv2d({ kernelSize: [2, 3], strides: 2, padding: 'same', depthMultiplier: 3 }),
        [7, 7, 2],
      ),
    ).toEqual([null, 4, 4, 6]);
    expect(
      shapeOf(tl.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, depthMultiplier: 2 }), [7, 8, 1]),
    ).toEqual([null, 3, 4, 2]);
    expect(shapeOf(tl.layers.depthwiseConv2d({ kernelSize: 1, strides: 3 }), [7, 8, 3])).toEqual([null, 3, 3, 3]);
  });

  it('DepthwiseConv2D equals the op then its activation; its gradients check through the layer', () => {
    const c = tl.layers.depthwiseConv2d({
      kernelSize: 2,
      depthMultiplier: 2,
      activation: 'elu',
      biasInitializer: 'ones',
    });
    const x = seeded([2, 4, 3, 2], 2);
    const y = c.apply(x);
    const [k, b] = c.getWeights();
    expect(Array.from(b.data)).toEqual([1, 1, 1, 1]);
    expectSameTensor(y, tl.layers.activation({ activation: 'elu' }).apply(tl.depthwiseConv2d(x, k, b)), {
      rtol: 1e-6,
      atol: 1e-6,
    });
    const plain = tl.layers.depthwiseConv2d({ kernelSize: 2, useBias: false });
    plain.apply(x);
    expect(plain.weights).toHaveLength(1);
    gradcheck((xi) => plain.apply(xi), [seeded([1, 3, 3, 2], 3)]);
  });

  it('DepthwiseConv2D: bad input names the layer and the shapes', () => {
    const c = tl.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw_a' });
    expectTensileError(() => c.apply(seeded([2, 5, 5], 1)), 'dw_a', 'rank 4', '[null, 5, 5]');
    const d = tl.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw_b' });
    d.apply(seeded([1, 5, 5, 1], 1));
    expectTensileError(() => d.apply(seeded([1, 5, 5, 3], 1)), 'dw_b', '3 channels', '[3, 3, 1, 1]', '[1, 5, 5, 3]');
    expectTensileError(
      () => tl.layers.depthwiseConv2d({ kernelSize: 5, name: 'dw_c' }).apply(seeded([1, 3, 8, 1], 1)),
      'dw_c',
      'kernel [5, 5]',
      'larger than the input',
      "'valid'",
    );
    expectTensileError(
      () => tl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }),
      'layers.depthwiseConv2d',
      'depthMultiplier',
    );
    expectTensileError(
      () => tl.layers.depthwiseConv2d({ kernelSize: [3, 3, 3] }),
      'layers.depthwiseConv2d',
      'kernelSize',
    );
    expectTensileError(
      () => tl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, dilationRate: 2 }),
      'layers.depthwiseConv2d',
      'cannot both',
    );
  });

  it('saves and loads DepthwiseConv2D (Keras config keys) with the same predictions', async () => {
    tl.setSeed(9);
    const model = tl.sequential({
      layers: [
        tl.layers.depthwiseConv2d({
          kernelSize: [3, 2],
          strides: [1, 2],
          padding: 'same',
          depthMultiplier: 2,
          activation: 'relu',
          biasInitializer: 'glorotUniform',
          inputShape: [6, 6, 3],
        }),
        tl.layers.depthwiseConv2d({ kernelSize: 2, dilationRate: 2, useBias: false, depthwiseInitializer: 'heNormal' }),
        tl.layers.globalAveragePooling2d(),
      ],
    });
    const x = inputs([2, 6, 6, 3], 10);
    const before = model.predict(x);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const topology = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const text = JSON.stringify(topology);
    for (const key of [
      'kernel_size',
      'strides',
      'padding',
      'depth_multiplier',
      'dilation_rate',
      'activation',
      'use_bias',
      'depthwise_initializer',
    ])
      expect(text).toContain(`"${key}"`);
    expect(text).toContain('depthwise_kernel');
    const loaded = await tl.loadModel(`file://${join(dir, 'model.json')}`);
    expect(loaded.layers.map((l) => l.className)).toEqual([
      'DepthwiseConv2D',
      'DepthwiseConv2D',
      'GlobalAveragePooling2D',
    ]);
    expect(loaded.layers[0].getConfig()).toMatchObject({
      kernelSize: [3, 2],
      strides: [1, 2],
      padding: 'same',
      depthMultiplier: 2,
      activation: 'relu',
    });
    expect(loaded.layers[1].getConfig()).toMatchObject({
      dilationRate: [2, 2],
      useBias: false,
      depthwiseInitializer: 'heNormal',
      depthMultiplier: 1,
    });
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, before.data)).toBe(true);
  });

  it('pooling layers: Keras shapes and defaults (poolSize 2, strides = poolSize)', () => {
    expect(shapeOf(tl.layers.maxPooling2d(), [7, 6, 3])).toEqual([null, 3, 3, 3]);
    expect(shapeOf(tl.layers.averagePooling2d({ padding: 'same' }), [7, 6, 3])).toEqual([null, 4, 3, 3]);
    expect(shapeOf(tl.layers.maxPooling2d({ poolSize: 3, strides: 1 }), [7, 6, 3])).toEqual([null, 5, 4, 3]);
    expect(shapeOf(tl.layers.maxPooling1d(), [9, 2])).toEqual([null, 4, 2]);
    expect(shapeOf(tl.layers.averagePooling1d({ poolSize: 3, padding: 'same' }), [10, 2])).toEqual([null, 4, 2]);
    expect(shapeOf(tl.layers.globalAveragePooling2d(), [4, 3, 5])).toEqual([null, 5]);
    expect(shapeOf(tl.layers.globalMaxPooling2d(), [4, 3, 5])).toEqual([null, 5]);
    expect(shapeOf(tl.layers.globalAveragePooling1d(), [4, 5])).toEqual([null, 5]);
    expectTensileError(
      () => tl.layers.maxPooling2d({ name: 'pool_a' }).apply(seeded([1, 1, 4, 2], 1)),
      'pool_a',
      'pool size [2, 2]',
      '[1, 1, 4, 2]',
    );
    expectTensileError(
      () => tl.layers.maxPooling2d({ name: 'pool_b' }).apply(seeded([1, 4, 2], 1)),
      'pool_b',
      'rank 4',
    );
  });

  it('MaxPooling1D and the global poolings compute what they say', () => {
    const x = tl.tensor([
      [
        [1, -1],
        [3, 0],
        [2, 5],
        [0, 4],
      ],
    ]);
    expectTensor(tl.layers.maxPooling1d().apply(x), [
      [
        [3, 0],
        [2, 5],
      ],
    ]);
    expectTensor(tl.layers.globalAveragePooling1d().apply(x), [[1.5, 2]]);
    const x4 = x.reshape([1, 2, 2, 2]);
    expectTensor(tl.layers.globalMaxPooling2d().apply(x4), [[3, 5]]);
    expectTensor(tl.layers.globalAveragePooling2d().apply(x4), [[1.5, 2]]);
  });

  it('ZeroPadding2D pads with zeros; its gradient is the slice back', () => {
    const z = tl.layers.zeroPadding2d({
      padding: [
        [1, 0],
        [0, 2],
      ],
    });
    const x = tl.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expectTensor(z.apply(x).reshape([3, 4]), [
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ]);
    expect(shapeOf(tl.layers.zeroPadding2d(), [3, 4, 2])).toEqual([null, 5, 6, 2]);
    expect(shapeOf(tl.layers.zeroPadding2d({ padding: [2, 1] }), [3, 4, 2])).toEqual([null, 7, 6, 2]);
    gradcheck((xi) => z.apply(xi), [seeded([2, 2, 3, 2], 3)]);
    expectTensileError(() => tl.layers.zeroPadding2d({ padding: -1 }), 'layers.zeroPadding2d', 'padding');
  });

  it('UpSampling2D repeats rows and columns; its gradient sums the copies', () => {
    const u = tl.layers.upSampling2d({ size: [2, 3] });
    expectTensor(u.apply(tl.tensor([1, 2, 3, 4], [1, 2, 2, 1])).reshape([4, 6]), [
      [1, 1, 1, 2, 2, 2],
      [1, 1, 1, 2, 2, 2],
      [3, 3, 3, 4, 4, 4],
      [3, 3, 3, 4, 4, 4],
    ]);
    expect(shapeOf(tl.layers.upSampling2d(), [3, 4, 2])).toEqual([null, 6, 8, 2]);
    gradcheck((xi) => u.apply(xi), [seeded([2, 2, 3, 2], 4)]);
  });
});

describe('convolutional models', () => {
  it('a small CNN learns where a bright blob is (left or right) in a few epochs', async () => {
    tl.setSeed(5);
    const n = 128;
    const x = new Float32Array(n * 8 * 8);
    const y = new Float32Array(n);
    const r = seeded([n, 3], 9).dataSync();
    for (let i = 0; i < n; i++) {
      const right = i % 2;
      const cx = right ? 5 + Math.floor(Math.abs(r[i * 3]) * 2.9) : Math.floor(Math.abs(r[i * 3]) * 2.9);
      const cy = Math.floor(Math.abs(r[i * 3 + 1]) * 7.9);
      x[i * 64 + cy * 8 + cx] = 1;
      y[i] = right;
    }
    const model = tl.sequential({
      layers: [
        tl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
        tl.layers.maxPooling2d(),
        tl.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'relu' }),
        tl.layers.flatten(),
        tl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({
      optimizer: tl.optimizers.adam({ learningRate: 0.02 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const X = tl.tensor(x, [n, 8, 8, 1]),
      Y = tl.tensor(y, [n]);
    await model.fit(X, Y, { epochs: 15, batchSize: 16, verbose: 0 });
    expect(model.evaluate(X, Y, { verbose: 0 })[1]).toBeGreaterThan(0.95);
  });

  it('saves and loads every conv layer in the TensorFlow.js Layers format with the same predictions', async () => {
    tl.setSeed(6);
    const model = tl.sequential({
      layers: [
        tl.layers.zeroPadding2d({
          padding: [
            [1, 0],
            [0, 1],
          ],
          inputShape: [8, 8, 2],
        }),
        tl.layers.conv2d({ filters: 3, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu' }),
        tl.layers.upSampling2d({ size: [1, 2] }),
        tl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tl.layers.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2, useBias: false, kernelInitializer: 'heNormal' }),
        tl.layers.maxPooling2d({ poolSize: [1, 2] }),
        tl.layers.globalAveragePooling2d(),
        tl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const x = inputs([3, 8, 8, 2], 7);
    const before = model.predict(x);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const loaded = await tl.loadModel(`file://${join(dir, 'model.json')}`);
    expect(loaded.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
    expect(loaded.layers[1].getConfig()).toMatchObject({
      filters: 3,
      kernelSize: [3, 2],
      strides: [1, 2],
      padding: 'same',
      activation: 'relu',
    });
    expect(loaded.layers[4].getConfig()).toMatchObject({
      dilationRate: [2, 2],
      useBias: false,
      kernelInitializer: 'heNormal',
    });
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, before.data)).toBe(true);

    const seq = tl.sequential({
      layers: [
        tl.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [10, 2] }),
        tl.layers.maxPooling1d(),
        tl.layers.globalMaxPooling1d(),
      ],
    });
    const xs = inputs([2, 10, 2], 8);
    const dir1 = tmp();
    await seq.save(`file://${dir1}`);
    expect(sameBits(((await tl.loadModel(`file://${dir1}`)).predict(xs) as tl.Tensor).data, seq.predict(xs).data)).toBe(
      true,
    );
  });
});
