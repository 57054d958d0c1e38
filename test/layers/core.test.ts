import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, expectTensor, seeded, useBackend } from '../helpers/ops.js';
import { fixedDense } from '../models/fixtures.js';

const K = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const B = [0.5, -1];
// x·K + b for x = [1, 0, −1] and [2, 1, 0]: [−4, −4] + b and [5, 8] + b.
const X = [
  [1, 0, -1],
  [2, 1, 0],
];
const XKB = [
  [-3.5, -5],
  [5.5, 7],
];

describe.each(availableBackends())('Dense on %s', (backend) => {
  useBackend(backend);

  it('computes x·kernel + bias, then the activation', () => {
    expectTensor(fixedDense(K, B).apply(tl.tensor(X)), XKB);
    expectTensor(fixedDense(K, B, { activation: 'relu' }).apply(tl.tensor(X)), [
      [0, 0],
      [5.5, 7],
    ]);
  });

  it('applies to the last axis of a rank-3 and a rank-4 input', () => {
    const d = fixedDense(K, B);
    expectTensor(
      d.apply(
        tl.tensor([
          X,
          [
            [0, 0, 0],
            [1, 1, 1],
          ],
        ]),
      ),
      [
        XKB,
        [
          [0.5, -1],
          [9.5, 11],
        ],
      ],
    );
    const y4 = d.apply(tl.tensor([[X], [X]]));
    expectTensor(y4, [[XKB], [XKB]]);
    expect(d.computeOutputShape([null, 5, 3])).toEqual([null, 5, 2]);
  });

  it('useBias: false has only a kernel', () => {
    const d = tl.layers.dense({ units: 2, useBias: false });
    d.ensureBuilt([null, 3]);
    expect(d.weights.map((w) => w.shape)).toEqual([[3, 2]]);
    d.setWeights([tl.tensor(K)]);
    expectTensor(d.apply(tl.tensor(X)), [
      [-4, -4],
      [5, 8],
    ]);
    expect(d.countParams()).toBe(6);
    expect(d.getConfig().useBias).toBe(false);
  });

  it('gradients: dKernel = xᵀ·dy, dBias = Σ dy, dx by central differences', () => {
    const d = fixedDense(K, B);
    d.apply(tl.tensor(X)).sum().backward();
    const [kernel, bias] = d.weights;
    expectTensor(kernel.value.grad!, [
      [3, 3],
      [1, 1],
      [-1, -1],
    ]);
    expectTensor(bias.value.grad!, [2, 2]);
    gradcheck((x) => fixedDense(K, B, { activation: 'tanh' }).apply(x), [seeded([2, 3], 1)]);
    gradcheck((x) => fixedDense(K, B).apply(x), [seeded([2, 2, 3], 2)]);
  });

  it('rejects an input whose last dimension differs from the kernel', () => {
    const d = fixedDense(K, B, { name: 'fc' });
    expectTensileError(
      () => d.apply(tl.tensor([[1, 2, 3, 4]])),
      'fc',
      'expected input with last dimension 3',
      'got shape [1, 4]',
    );
  });
});

describe('Dense weights and config', () => {
  it('getWeights is Keras order: kernel [in, out], then bias [out]; copies, not views', () => {
    const d = fixedDense(K, B);
    const [k, b] = d.getWeights();
    expectTensor(k, K);
    expectTensor(b, B);
    k.data[0] = 99;
    expect(d.getWeights()[0].data[0]).toBe(1);
    expect(d.weights.map((w) => w.name)).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
  });

  it('setWeights checks the count and each shape', () => {
    const d = fixedDense(K, B, { name: 'checked' });
    expectTensileError(() => d.setWeights([tl.tensor(K)]), 'checked.setWeights', 'expected 2 weights, got 1');
    expectTensileError(
      () =>
        d.setWeights([
          tl.tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          tl.tensor(B),
        ]),
      'checked.setWeights',
      'checked/kernel',
      '[3, 2]',
      'got [2, 3]',
    );
    expectTensileError(
      () => d.setWeights([tl.tensor(K), tl.tensor([1, 2, 3])]),
      'checked.setWeights',
      '[2]',
      'got [3]',
    );
    expectTensor(d.getWeights()[0], K); // nothing was written by the failed calls
  });

  it('getConfig has the tfjs-layers fields', () => {
    const d = tl.layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'hidden' });
    expect(d.getConfig()).toEqual({
      name: 'hidden',
      trainable: true,
      batchInputShape: [null, 3],
      units: 4,
      activation: 'relu',
      useBias: true,
      kernelInitializer: 'glorotUniform',
      biasInitializer: 'zeros',
      kernelRegularizer: null,
      biasRegularizer: null,
      activityRegularizer: null,
      kernelConstraint: null,
      biasConstraint: null,
    });
    expect(tl.layers.dense({ units: 1, inputDim: 5, batchSize: 8 }).getConfig().batchInputShape).toEqual([8, 5]);
    expect(tl.layers.dense({ units: 1, kernelInitializer: 'he_normal' }).getConfig().kernelInitializer).toBe(
      'heNormal',
    );
  });

  it('default names are unique snake_case with counters', () => {
    const a = tl.layers.dense({ units: 1 });
    const b = tl.layers.dense({ units: 1 });
    expect(a.name).toMatch(/^dense(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
    expect(tl.layers.flatten().name).toMatch(/^flatten(_\d+)?$/);
  });

  it('rejects a bad units', () => {
    expectTensileError(() => tl.layers.dense({ units: 0 }), 'layers.dense', 'units must be a positive integer, got 0');
    expectTensileError(() => tl.layers.dense({ units: 2.5 }), 'layers.dense', 'got 2.5');
  });

  it('the weights are built lazily, on the first input', () => {
    const d = tl.layers.dense({ units: 3 });
    expect(d.built).toBe(false);
    expect(d.weights).toHaveLength(0);
    d.apply(tl.ones([2, 5]));
    expect(d.built).toBe(true);
    expect(d.weights.map((w) => w.shape)).toEqual([[5, 3], [3]]);
  });
});

describe('trainable: false freezes a layer', () => {
  it('no gradient, not among trainableWeights', () => {
    const d = fixedDense(K, B, { trainable: false });
    expect(d.trainableWeights).toHaveLength(0);
    expect(d.nonTrainableWeights).toHaveLength(2);
    const x = tl.tensor(X, undefined, { requiresGrad: true });
    d.apply(x).sum().backward();
    expect(d.weights.every((w) => w.value.grad === null)).toBe(true);
    expect(x.grad).not.toBeNull(); // the gradient still flows through to the input
    expect(d.getConfig().trainable).toBe(false);
  });

  it('no update in fit, reported as non-trainable in summary(); unfreezing restores training', async () => {
    tl.setSeed(3);
    const frozen = tl.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', trainable: false });
    const head = tl.layers.dense({ units: 1 });
    const model = tl.sequential({ layers: [frozen, head] });
    model.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const before = frozen.getWeights().map((w) => Array.from(w.data));
    const headBefore = head.getWeights().map((w) => Array.from(w.data));
    const x = tl.tensor([
      [1, 2],
      [3, -1],
      [0.5, 0.5],
      [-2, 1],
    ]);
    const y = tl.tensor([[1], [0], [2], [-1]]);
    await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    expect(frozen.getWeights().map((w) => Array.from(w.data))).toEqual(before);
    expect(head.getWeights().map((w) => Array.from(w.data))).not.toEqual(headBefore);
    expect(frozen.weights.every((w) => w.value.grad === null)).toBe(true);

    const lines: string[] = [];
    model.summary(undefined, (s) => lines.push(...s.split('\n')));
    expect(lines).toContain('Total params: 13');
    expect(lines).toContain('Trainable params: 4');
    expect(lines).toContain('Non-trainable params: 9');

    frozen.trainable = true;
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(frozen.getWeights().map((w) => Array.from(w.data))).not.toEqual(before);
  });

  it('setting trainable = false on a built layer clears its gradients', () => {
    const d = fixedDense(K, B);
    d.apply(tl.tensor(X)).sum().backward();
    expect(d.weights[0].value.grad).not.toBeNull();
    d.trainable = false;
    expect(d.weights.every((w) => w.value.grad === null && !w.trainable)).toBe(true);
  });
});

describe.each(availableBackends())('weightless layers on %s', (backend) => {
  useBackend(backend);

  it('Activation applies its function and reports it in getConfig', () => {
    const a = tl.layers.activation({ activation: 'relu', name: 'act' });
    expectTensor(a.apply(tl.tensor([[-1, 2]])), [[0, 2]]);
    expect(a.getConfig()).toEqual({ name: 'act', trainable: true, activation: 'relu' });
    expect(a.countParams()).toBe(0);
  });

  it('Flatten: [batch, …] → [batch, product], in row-major order', () => {
    const f = tl.layers.flatten({ inputShape: [2, 3] });
    const x = tl.reshape(tl.arange(12), [2, 2, 3]);
    expectTensor(f.apply(x), [
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    expect(f.computeOutputShape([null, 2, 3])).toEqual([null, 6]);
    expect(f.getConfig()).toMatchObject({ batchInputShape: [null, 2, 3] });
  });

  it('Reshape with an explicit shape and with -1', () => {
    const x = tl.reshape(tl.arange(12), [2, 6]);
    expectTensor(tl.layers.reshape({ targetShape: [3, 2] }).apply(x), [
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      [
        [6, 7],
        [8, 9],
        [10, 11],
      ],
    ]);
    const r = tl.layers.reshape({ targetShape: [-1, 3] });
    expect(r.apply(x).shape).toEqual([2, 2, 3]);
    expect(r.computeOutputShape([null, 6])).toEqual([null, 2, 3]);
    expect(tl.layers.reshape({ targetShape: [2, -1, 1] }).apply(x).shape).toEqual([2, 2, 3, 1]);
    expect(r.getConfig()).toMatchObject({ targetShape: [-1, 3] });
  });

  it('Reshape rejects targets that do not fit, and bad target shapes', () => {
    const r = tl.layers.reshape({ targetShape: [5, -1], name: 'rs' });
    expectTensileError(() => r.apply(tl.ones([2, 6])), 'rs', 'cannot reshape input [2, 6] to [batch, 5, -1]');
    expectTensileError(
      () => tl.layers.reshape({ targetShape: [4], name: 'rs4' }).computeOutputShape([null, 6]),
      'rs4',
      'cannot reshape',
    );
    expectTensileError(() => tl.layers.reshape({ targetShape: [0, 2] }), 'layers.reshape', 'targetShape');
    expectTensileError(() => tl.layers.reshape({ targetShape: [-1, -1] }), 'layers.reshape', 'only one -1');
  });
});

describe('Dropout', () => {
  const x = tl.ones([200, 100]);

  it('is the identity in inference', () => {
    const d = tl.layers.dropout({ rate: 0.5 });
    expect(d.apply(x)).toBe(x);
    expect(d.apply(x, { training: false })).toBe(x);
  });

  it('in training drops about `rate` of the inputs and scales the rest by 1/(1 − rate)', () => {
    tl.setSeed(11);
    const rate = 0.3;
    const y = tl.layers.dropout({ rate }).apply(x, { training: true });
    const kept = Math.fround(1 / (1 - rate));
    let zeros = 0;
    let other = 0;
    for (const v of y.data) {
      if (v === 0) zeros++;
      else if (v !== kept) other++;
    }
    expect(other, 'values neither dropped nor scaled by 1/(1 − rate)').toBe(0);
    // 20,000 Bernoulli(0.3) draws: σ of the fraction ≈ 0.0032.
    expect(zeros / y.size).toBeGreaterThan(rate - 0.015);
    expect(zeros / y.size).toBeLessThan(rate + 0.015);
    expect(y.mean().item()).toBeCloseTo(1, 1); // the expectation is preserved
  });

  it('is seeded by tl.setSeed', () => {
    const d = tl.layers.dropout({ rate: 0.5 });
    tl.setSeed(5);
    const a = d.apply(x, { training: true });
    tl.setSeed(5);
    const b = d.apply(x, { training: true });
    const c = d.apply(x, { training: true });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('passes the gradient through the kept units only, scaled', () => {
    tl.setSeed(6);
    const xi = tl.ones([4, 5], { requiresGrad: true });
    const y = tl.layers.dropout({ rate: 0.5 }).apply(xi, { training: true });
    y.sum().backward();
    expect(Array.from(xi.grad!.data)).toEqual(Array.from(y.data));
  });

  it('rate 0 is the identity; rate outside [0, 1) is rejected', () => {
    expect(tl.layers.dropout({ rate: 0 }).apply(x, { training: true })).toBe(x);
    expectTensileError(
      () => tl.layers.dropout({ rate: 1 }),
      'layers.dropout',
      'rate must be a number in [0, 1), got 1',
    );
    expectTensileError(() => tl.layers.dropout({ rate: -0.1 }), 'layers.dropout', 'got -0.1');
    expect(tl.layers.dropout({ rate: 0.25, name: 'dr' }).getConfig()).toEqual({
      name: 'dr',
      trainable: true,
      rate: 0.25,
    });
  });

  it('in a model: active in fit, inactive in predict and evaluate', async () => {
    tl.setSeed(9);
    const model = tl.sequential({
      layers: [
        tl.layers.dense({ units: 8, inputShape: [4] }),
        tl.layers.dropout({ rate: 0.5 }),
        tl.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const xi = tl.randn([16, 4]);
    const p1 = model.predict(xi);
    expect(Array.from(model.predict(xi).data)).toEqual(Array.from(p1.data));
    const [l1] = model.evaluate(xi, p1, { verbose: 0 });
    expect(l1).toBe(0);
    // With dropout active in training the reported loss for targets = the inference output is > 0.
    const h = await model.fit(xi, p1, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(h.history.loss[0]).toBeGreaterThan(0);
  });
});
