import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { add, batchNorm, batchNormTraining, moments, mul, scalar, updateMovingAverage } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  FLAVORS,
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectPure,
  expectSameTensor,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';
import { inputs, sameBits, tempDirs } from '../io/fixtures.js';

const tmp = tempDirs();

describe.each(availableBackends())('batch normalization on %s', (backend) => {
  useBackend(backend);

  it('moments: mean and biased variance over every axis but the last', () => {
    const { mean, variance } = moments(
      tl.tensor([
        [1, 10],
        [3, 10],
        [5, 40],
        [7, 20],
      ]),
    );
    expectTensor(mean, [4, 20]);
    expectTensor(variance, [5, 150]);
  });

  it('normalizes, scales and shifts: a hand-checked value', () => {
    const x = tl.tensor([
      [1, 2],
      [3, 6],
    ]);
    const y = batchNorm(x, tl.tensor([2, 4]), tl.tensor([1, 4]), tl.tensor([2, 1]), tl.tensor([0.5, 0]), 0);
    expectTensor(y, [
      [-1.5, -1],
      [2.5, 1],
    ]);
  });

  it('has the gradient of central differences for x, gamma and beta through the batch statistics, and for mean and variance given', () => {
    const x = seeded([3, 2, 2, 3], 1),
      gamma = seeded([3], 2, { lo: 0.5, hi: 1.5 }),
      beta = seeded([3], 3);
    gradcheck(
      (xi, g, b) => {
        const m = moments(xi);
        return batchNorm(xi, m.mean, m.variance, g, b, 1e-3);
      },
      [x, gamma, beta],
      { eps: 1e-3 },
    );
    gradcheck(
      (xi, m, v, g, b) => batchNorm(xi, m, v, g, b, 1e-3),
      [x, seeded([3], 4), seeded([3], 5, { lo: 0.5, hi: 2 }), gamma, beta],
      { eps: 1e-3 },
    );
  });

  it('batchNormTraining (one fused kernel each way) gives the numbers of batchNorm over moments, and the batch statistics', () => {
    const x = seeded([4, 3, 5], 11, { lo: -3, hi: 3 }),
      gamma = seeded([5], 12, { lo: 0.5, hi: 1.5 }),
      beta = seeded([5], 13);
    const m = moments(x);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3);
    expectSameTensor(mean, m.mean, { rtol: 1e-6 });
    expectSameTensor(variance, m.variance, { rtol: 1e-5 });
    expectSameTensor(y, batchNorm(x, m.mean, m.variance, gamma, beta, 1e-3), { rtol: 1e-5, atol: 1e-6 });
    expectTensor(
      batchNormTraining(
        tl.tensor([
          [1, 2],
          [3, 6],
        ]),
        null,
        null,
        0,
      ).y,
      [
        [-1, -1],
        [1, 1],
      ],
    );
    expectTensor(
      batchNormTraining(
        tl.tensor([
          [1, 2],
          [3, 6],
        ]),
        tl.tensor([2, 1]),
        tl.tensor([0.5, 0]),
        0,
      ).y,
      [
        [-1.5, -1],
        [2.5, 1],
      ],
    );
  });

  it('batchNormTraining on one row, empty batches and NaN', () => {
    // One row: variance 0, the output is beta.
    const one = batchNormTraining(tl.tensor([[5, -7]]), null, tl.tensor([0.25, 1]), 1e-3);
    expectTensor(one.y, [[0.25, 1]]);
    expectTensor(one.variance, [0, 0]);
    const empty = batchNormTraining(tl.zeros([0, 3]), null, null, 1e-3);
    expectTensor(empty.y, [], { shape: [0, 3] });
    expectTensor(empty.mean, [NaN, NaN, NaN]);
    expectTensor(batchNormTraining(tl.zeros([3, 0]), null, null, 1e-3).y, [[], [], []]);
    const nan = batchNormTraining(
      tl.tensor([
        [NaN, 1],
        [0, 3],
      ]),
      null,
      null,
      0,
    );
    expectTensor(nan.y, [
      [NaN, -1],
      [NaN, 1],
    ]);
    expectTensor(nan.mean, [NaN, 2]);
  });

  it('batchNormTraining has the gradient of central differences for x, gamma and beta (through the batch statistics)', () => {
    const x = seeded([3, 2, 2, 3], 1),
      gamma = seeded([3], 2, { lo: 0.5, hi: 1.5 }),
      beta = seeded([3], 3);
    gradcheck((xi, g, b) => batchNormTraining(xi, g, b, 1e-3).y, [x, gamma, beta], { eps: 1e-3 });
    gradcheck((xi) => batchNormTraining(xi, null, null, 1e-3).y, [seeded([5, 4], 4, { lo: -2, hi: 2 })], { eps: 1e-3 });
    gradcheck((xi, b) => batchNormTraining(xi, null, b, 1e-3).y, [seeded([1, 4], 5), seeded([4], 6)], { eps: 1e-3 });
  });

  it('batchNormTraining rejects gamma, beta or epsilon it cannot use, and leaves its inputs unchanged', () => {
    expectTensileError(
      () => batchNormTraining(seeded([2, 3], 1), seeded([2], 2), null, 1e-3, 'bn_1'),
      'bn_1',
      'gamma must have shape [3]',
      '[2, 3]',
      '[2]',
    );
    expectTensileError(
      () => batchNormTraining(seeded([2, 3], 1), null, seeded([3, 1], 2), 1e-3),
      'batchNorm',
      'beta',
      '[3, 1]',
    );
    expectTensileError(() => batchNormTraining(seeded([2, 3], 1), null, null, -1), 'batchNorm', 'epsilon');
    expectTensileError(() => batchNormTraining(tl.tensor(1), null, null, 1e-3), 'batchNorm', 'scalar');
    expectPure((x, g, b) => batchNormTraining(x, g, b, 1e-3).y, [seeded([3, 4], 1), seeded([4], 2), seeded([4], 3)]);
  });

  it('updateMovingAverage: in place, the bits of mul, mul and add in float32 (NaN and large values too)', () => {
    for (const [i, momentum] of [0.99, 0.5, 0, 1, 0.9].entries()) {
      const target = flavoredTensor([7], 20 + i, FLAVORS[i % 3], 1e30),
        value = flavoredTensor([7], 30 + i, FLAVORS[(i + 1) % 3], 1e30);
      const want = add(mul(target, scalar(momentum)), mul(value, scalar(1 - momentum)));
      const t = tl.tensor(target.dataSync().slice(), [7]),
        before = value.dataSync().slice();
      updateMovingAverage(t, value, momentum);
      expect(sameBits(t.dataSync(), want.dataSync())).toBe(true);
      expect(sameBits(value.dataSync(), before)).toBe(true);
    }
    expectTensileError(() => updateMovingAverage(tl.zeros([3]), tl.zeros([4]), 0.9), 'movingAverage', '[4]', '[3]');
  });

  it('rejects statistics of the wrong shape', () => {
    expectTensileError(
      () => batchNorm(seeded([2, 3], 1), seeded([2], 2), seeded([3], 3), null, null, 1e-3),
      'batchNorm',
      'mean must have shape [3]',
      '[2]',
    );
  });

  it('BatchNormalization: Keras weights and defaults; batch statistics in training, moving averages in inference', () => {
    const bn = tl.layers.batchNormalization({ momentum: 0.5 });
    const x = tl.tensor([
      [1, 10],
      [3, 10],
      [5, 40],
      [7, 20],
    ]);
    bn.ensureBuilt([null, 2]);
    expect(bn.weights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(bn.getConfig()).toMatchObject({ axis: -1, momentum: 0.5, epsilon: 1e-3, center: true, scale: true });
    // Inference before any training: moving mean 0, variance 1 → x/√(1 + ε).
    expectTensor(bn.apply(x), x.div(Math.sqrt(1.001)).arraySync() as number[][], { rtol: 1e-6 });
    const y = bn.apply(x, { training: true });
    expectSameTensor(y, batchNorm(x, tl.tensor([4, 20]), tl.tensor([5, 150]), null, null, 1e-3), { rtol: 1e-6 });
    // m = 0.5·m + 0.5·batch
    expectTensor(bn.getWeights()[2], [2, 10]);
    expectTensor(bn.getWeights()[3], [3, 75.5]);
    // Frozen: inference statistics even in training; unfreezing never makes the moving statistics trainable.
    bn.trainable = false;
    expectSameTensor(bn.apply(x, { training: true }), bn.apply(x));
    bn.trainable = true;
    expect(bn.trainableWeights).toHaveLength(2);
  });

  it('BatchNormalization without center and scale has only the moving statistics; axis other than the last is refused', () => {
    const bn = tl.layers.batchNormalization({ center: false, scale: false });
    bn.ensureBuilt([null, 4, 4, 3]);
    expect(bn.weights.map((w) => w.shape)).toEqual([[3], [3]]);
    const bad = tl.layers.batchNormalization({ axis: 1, name: 'bn_axis' });
    expectTensileError(() => bad.ensureBuilt([null, 4, 4, 3]), 'bn_axis', 'last axis', '[null, 4, 4, 3]');
    const ok = tl.layers.batchNormalization({ axis: [3] });
    ok.ensureBuilt([null, 4, 4, 3]);
    expectTensileError(() => tl.layers.batchNormalization({ momentum: 2 }), 'layers.batchNormalization', 'momentum');
  });
});

describe.skipIf(!nativeLoaded)('batchNormTraining native vs reference', () => {
  it.each([[5], [1, 1], [3, 4], [2, 3, 7], [0, 4], [4, 0], [1, 6], [129, 7]])('%j', (...shape) => {
    const cols = shape[shape.length - 1];
    FLAVORS.forEach((f, i) => {
      const x = flavoredTensor(shape, 300 + i, f, 1e4);
      const args = [x, seeded([cols], 4, { lo: 0.5, hi: 1.5 }), seeded([cols], 5)];
      expectBackendsAgree((u, g, b) => batchNormTraining(u, g, b, 1e-3).y, args, { rtol: 1e-4, atol: 1e-5 });
      expectBackendsAgree((u, g, b) => batchNormTraining(u, g, b, 1e-3).mean, args, { rtol: 1e-6 });
      expectBackendsAgree((u, g, b) => batchNormTraining(u, g, b, 1e-3).variance, args, { rtol: 1e-6 });
    });
  });
  it.each([0, 1, 5, 300])('moving average of %i values, bit for bit', (n) => {
    const fn = (t: tl.Tensor, v: tl.Tensor) => {
      const c = tl.tensor(t.dataSync().slice(), t.shape);
      updateMovingAverage(c, v, 0.99);
      return c;
    };
    FLAVORS.forEach((f, i) =>
      expectBackendsAgree(fn, [flavoredTensor([n], 40 + i, f), flavoredTensor([n], 50 + i, f)], { bitwise: true }),
    );
  });
  it.each([
    [3, 4],
    [2, 5, 8],
    [64, 1],
    [1, 3],
  ])('gradients %j', (...shape) => {
    const cols = shape[shape.length - 1];
    expectGradsAgree(
      (u, g, b) => batchNormTraining(u, g, b, 1e-3).y,
      [seeded(shape, 6, { lo: -3, hi: 3 }), seeded([cols], 7), seeded([cols], 8)],
      { rtol: 1e-4, atol: 1e-5 },
    );
    expectGradsAgree((u) => batchNormTraining(u, null, null, 1e-3).y, [seeded(shape, 9, { lo: -3, hi: 3 })], {
      rtol: 1e-4,
      atol: 1e-5,
    });
  });
});

describe('BatchNormalization in models', () => {
  it('trains in a CNN (moving statistics move, loss falls) and round-trips through save/load', async () => {
    tl.setSeed(4);
    const model = tl.sequential({
      layers: [
        tl.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 6, 1], useBias: false }),
        tl.layers.batchNormalization({}),
        tl.layers.activation({ activation: 'relu' }),
        tl.layers.flatten(),
        tl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const x = inputs([64, 6, 6, 1], 5);
    const y = tl.tensor(Array.from(x.reshape([64, 36]).sum({ axis: 1 }).dataSync(), (s) => (s > 0 ? 1 : 0)));
    const h = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(0.5 * h.history.loss[0]);
    expect(Array.from(model.layers[1].getWeights()[2].data).some((v) => v !== 0)).toBe(true);
    expect(model.layers[1].nonTrainableWeights).toHaveLength(2);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const loaded = await tl.loadModel(`file://${dir}`);
    expect(loaded.layers[1].getConfig()).toMatchObject({ momentum: 0.99, epsilon: 1e-3 });
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, (model.predict(x) as tl.Tensor).data)).toBe(true);
  });
});
