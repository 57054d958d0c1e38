import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { LOSSES, getLoss } from '../../lib/losses/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, seeded, useBackend } from '../helpers/ops.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
// Keras' clip bounds as float32 sees them: 1 − 1e-7 rounds to 1 − 2⁻²³.
const LO = Math.fround(1e-7);
const HI = Math.fround(1 - 1e-7);

describe.each(availableBackends())('losses on %s', (backend) => {
  useBackend(backend);

  it('meanSquaredError: mean over all elements, no ½', () => {
    // diffs 1, 0, −2, 2
    expect(
      tl.losses
        .meanSquaredError(
          [
            [0, 1],
            [2, 3],
          ],
          [
            [1, 1],
            [0, 5],
          ],
        )
        .item(),
    ).toBeCloseTo(9 / 4, 6);
    expect(tl.losses.meanSquaredError([[1]], [[3]]).item()).toBe(4);
  });

  it('meanAbsoluteError', () => {
    expect(
      tl.losses
        .meanAbsoluteError(
          [
            [0, 1],
            [2, 3],
          ],
          [
            [1, 1],
            [0, 5],
          ],
        )
        .item(),
    ).toBeCloseTo(5 / 4, 6);
  });

  it('labels [N] against predictions [N, 1] are aligned, not broadcast to [N, N] (Keras)', () => {
    expect(tl.losses.meanSquaredError([1, 2, 3], [[1], [2], [5]]).item()).toBeCloseTo(4 / 3, 6);
    expect(tl.losses.meanAbsoluteError([[1], [2], [3]], [1, 2, 5]).item()).toBeCloseTo(2 / 3, 6);
    expect(tl.losses.binaryCrossentropy([1, 0], [[0.9], [0.2]]).item()).toBeCloseTo(
      mean([-Math.log(0.9), -Math.log(0.8)]),
      6,
    );
    expect(tl.losses.categoricalCrossentropy([[0, 1]], [[0.25, 0.75]]).item()).toBeCloseTo(-Math.log(0.75), 6);
  });

  it('binaryCrossentropy: mean over all elements of −[y·log p + (1 − y)·log(1 − p)]', () => {
    const v = tl.losses
      .binaryCrossentropy(
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.9, 0.2],
          [0.3, 0.6],
        ],
      )
      .item();
    expect(v).toBeCloseTo(mean([0.9, 0.8, 0.7, 0.6].map((p) => -Math.log(p))), 6);
    // Soft labels.
    const soft = tl.losses.binaryCrossentropy([[0.25]], [[0.5]]).item();
    expect(soft).toBeCloseTo(Math.log(2), 6);
  });

  it('binaryCrossentropy clips p to [1e-7, 1 − 1e-7]: p = 0 or 1 gives the finite clipped value', () => {
    const wrong = tl.losses.binaryCrossentropy([[1, 0]], [[0, 1]]).item();
    expect(Number.isFinite(wrong)).toBe(true);
    expect(wrong).toBeCloseTo(mean([-Math.log(LO), -Math.log(1 - HI)]), 4);
    const right = tl.losses.binaryCrossentropy([[1, 0]], [[1, 0]]).item();
    // In float32, 1 − 1e-7 is HI: both terms are −log(HI), as in TF.
    expect(right).toBeCloseTo(mean([-Math.log(HI), -Math.log(Math.fround(1 - LO))]), 9);
  });

  it('categoricalCrossentropy: sum over classes, mean over the batch', () => {
    const y = [
      [0, 1, 0],
      [1, 0, 0],
    ];
    const p = [
      [0.2, 0.7, 0.1],
      [0.5, 0.25, 0.25],
    ];
    const want = mean([-Math.log(0.7), -Math.log(0.5)]);
    expect(tl.losses.categoricalCrossentropy(y, p).item()).toBeCloseTo(want, 6);
    // Soft labels sum over every class.
    expect(tl.losses.categoricalCrossentropy([[0.5, 0.5, 0]], [[0.2, 0.7, 0.1]]).item()).toBeCloseTo(
      -(0.5 * Math.log(0.2) + 0.5 * Math.log(0.7)),
      6,
    );
  });

  it('categoricalCrossentropy normalises an unnormalised p first; p = 0 is clipped', () => {
    const y = [
      [0, 1, 0],
      [1, 0, 0],
    ];
    expect(
      tl.losses
        .categoricalCrossentropy(y, [
          [0.6, 2.1, 0.3],
          [2, 1, 1],
        ])
        .item(),
    ).toBeCloseTo(mean([-Math.log(0.7), -Math.log(0.5)]), 6);
    const clipped = tl.losses.categoricalCrossentropy([[0, 1]], [[1, 0]]).item();
    expect(clipped).toBeCloseTo(-Math.log(LO), 4);
  });

  it('sparseCategoricalCrossentropy takes labels [N] or [N, 1]', () => {
    const p = [
      [0.2, 0.7, 0.1],
      [0.5, 0.25, 0.25],
    ];
    const want = mean([-Math.log(0.7), -Math.log(0.5)]);
    expect(tl.losses.sparseCategoricalCrossentropy([1, 0], p).item()).toBeCloseTo(want, 6);
    expect(tl.losses.sparseCategoricalCrossentropy([[1], [0]], p).item()).toBeCloseTo(want, 6);
  });

  it('sparseCategoricalCrossentropy rejects labels out of range, fractional, or miscounted', () => {
    const p = [
      [0.5, 0.5],
      [0.5, 0.5],
    ];
    expectTensileError(
      () => tl.losses.sparseCategoricalCrossentropy([0, 2], p),
      'sparseCategoricalCrossentropy',
      'label 2 at row 1',
      '[0, 2)',
    );
    expectTensileError(
      () => tl.losses.sparseCategoricalCrossentropy([0.5, 1], p),
      'sparseCategoricalCrossentropy',
      'label 0.5',
    );
    expectTensileError(
      () => tl.losses.sparseCategoricalCrossentropy([0, 1, 1], p),
      'sparseCategoricalCrossentropy',
      'expected 2 integer labels',
    );
  });

  it('huber (δ = 1): ½x² inside, |x| − ½ outside', () => {
    // diffs 0.5, −2, 1, 3 → 0.125, 1.5, 0.5, 2.5
    expect(tl.losses.huber([[0, 0, 0, 0]], [[0.5, -2, 1, 3]]).item()).toBeCloseTo(4.625 / 4, 6);
    expect(
      tl.losses
        .huber(
          [
            [0, 0],
            [0, 0],
          ],
          [
            [0.5, -2],
            [1, 3],
          ],
        )
        .item(),
    ).toBeCloseTo(4.625 / 4, 6);
  });

  it('shape mismatches are TensileErrors naming both shapes', () => {
    expectTensileError(
      () => tl.losses.categoricalCrossentropy([[0, 1, 0]], [[0.5, 0.5]]),
      'categoricalCrossentropy',
      '[1, 3]',
      '[1, 2]',
    );
    expectTensileError(
      () => tl.losses.binaryCrossentropy([[1, 0]], [[0.5], [0.5]]),
      'binaryCrossentropy',
      '[1, 2]',
      '[2, 1]',
    );
    expectTensileError(() => tl.losses.meanSquaredError([[1, 2, 3]], [[1, 2]]), 'meanSquaredError', '[1, 3]', '[1, 2]');
  });

  it('gradients match central differences (away from the clip)', () => {
    const yt = tl.tensor([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const p = seeded([2, 3], 3, { lo: 0.1, hi: 0.9 });
    gradcheck((q) => tl.losses.meanSquaredError(yt, q), [seeded([2, 3], 1)]);
    gradcheck((q) => tl.losses.binaryCrossentropy(yt, q), [p], { eps: 1e-3 });
    gradcheck((q) => tl.losses.categoricalCrossentropy(yt, q), [p], { eps: 1e-3 });
    gradcheck((q) => tl.losses.huber(yt, q), [seeded([2, 3], 2, { lo: -3, hi: 3, avoid: [-1, 0, 1, 2] })]);
  });
});

describe('loss names', () => {
  it.each([
    ['binary_crossentropy', 'binaryCrossentropy'],
    ['binaryCrossentropy', 'binaryCrossentropy'],
    ['categorical_crossentropy', 'categoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
    ['mse', 'meanSquaredError'],
    ['mae', 'meanAbsoluteError'],
    ['mean_squared_error', 'meanSquaredError'],
    ['meanAbsoluteError', 'meanAbsoluteError'],
    ['huber', 'huber'],
  ])("'%s' resolves to %s, also in compile", (alias, name) => {
    expect(getLoss('test', alias)).toBe(LOSSES[name]);
    const model = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: alias });
    expect(model.evaluate([[0]], [[0]], { verbose: 0 })).toHaveLength(1);
  });

  it('an unknown name suggests the nearest', () => {
    expectTensileError(
      () => getLoss('compile', 'binary_crossentropyy'),
      'compile',
      "unknown loss 'binary_crossentropyy'",
      "did you mean 'binaryCrossentropy'?",
    );
    expectTensileError(() => getLoss('compile', 'meanSquaredEror'), 'compile', "did you mean 'meanSquaredError'?");
  });
});

/**
 * The fused paths: when the last Dense has softmax (sigmoid) and the loss is categorical (binary)
 * crossentropy, the loss is computed from the logits. One SGD step with learning rate 1 on a full
 * batch moves the bias by −∂L/∂b = −∂L/∂logits summed over the batch, which the tests check against
 * (p − y)/N computed here in float64 from the predicted p.
 */
describe.each(availableBackends())('fused activation + crossentropy on %s', (backend) => {
  useBackend(backend);

  const X = [
    [0.5, -1],
    [1.5, 0.25],
    [-0.75, 2],
    [0.1, 0.1],
  ];
  const KERNEL = [
    [0.3, -0.2, 0.5],
    [-0.4, 0.1, 0.2],
  ];
  const BIAS = [0.1, -0.3, 0.2];

  function model(activation: string, units: number, loss: string): tl.Sequential {
    const d = tl.layers.dense({ units, activation, inputShape: [2] });
    const m = tl.sequential({ layers: [d] });
    d.setWeights([tl.tensor(KERNEL.map((r) => r.slice(0, units))), tl.tensor(BIAS.slice(0, units))]);
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1 }), loss });
    return m;
  }

  /** Bias after one full-batch step, and the expected bias − Σ_rows (p − y)·scale. */
  async function step(m: tl.Sequential, y: tl.Tensor, oneHot: number[][], scale: number) {
    const p = m.predict(tl.tensor(X));
    const unfused = m.compiled('test').loss.perSample(y, p).mean().item();
    const [biasBefore] = [Array.from(m.getWeights()[1].dataSync())];
    const pv = p.dataSync();
    const h = await m.fit(tl.tensor(X), y, { epochs: 1, batchSize: X.length, shuffle: false, verbose: 0 });
    const cols = biasBefore.length;
    const want = biasBefore.map((b, j) => {
      let g = 0;
      for (let i = 0; i < X.length; i++) g += (pv[i * cols + j] - oneHot[i][j]) * scale;
      return b - g;
    });
    return { got: Array.from(m.getWeights()[1].dataSync()), want, reported: h.history.loss[0], unfused };
  }

  it('softmax + categoricalCrossentropy: gradient (p − y)/N w.r.t. the logits; loss = the unfused value', async () => {
    const oneHot = [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ];
    const { got, want, reported, unfused } = await step(
      model('softmax', 3, 'categoricalCrossentropy'),
      tl.tensor(oneHot),
      oneHot,
      1 / X.length,
    );
    got.forEach((g, j) => expect(g).toBeCloseTo(want[j], 5));
    expect(reported).toBeCloseTo(unfused, 6);
  });

  it('softmax + sparseCategoricalCrossentropy: the same gradient from integer labels', async () => {
    const oneHot = [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ];
    const { got, want, reported, unfused } = await step(
      model('softmax', 3, 'sparse_categorical_crossentropy'),
      tl.tensor([1, 0, 2, 1]),
      oneHot,
      1 / X.length,
    );
    got.forEach((g, j) => expect(g).toBeCloseTo(want[j], 5));
    expect(reported).toBeCloseTo(unfused, 6);
  });

  it('sigmoid + binaryCrossentropy: gradient (p − y)/(N·units); loss = the unfused value', async () => {
    const y = [[1], [0], [1], [0]];
    const one = await step(model('sigmoid', 1, 'binaryCrossentropy'), tl.tensor(y), y, 1 / X.length);
    one.got.forEach((g, j) => expect(g).toBeCloseTo(one.want[j], 5));
    expect(one.reported).toBeCloseTo(one.unfused, 6);
    // Labels [N] against one output unit, as Keras allows.
    const flat = await step(model('sigmoid', 1, 'binaryCrossentropy'), tl.tensor([1, 0, 1, 0]), y, 1 / X.length);
    flat.got.forEach((g, j) => expect(g).toBeCloseTo(flat.want[j], 5));
    const y2 = [
      [1, 0],
      [0, 0],
      [1, 1],
      [0, 1],
    ];
    const two = await step(model('sigmoid', 2, 'binaryCrossentropy'), tl.tensor(y2), y2, 1 / (X.length * 2));
    two.got.forEach((g, j) => expect(g).toBeCloseTo(two.want[j], 5));
    expect(two.reported).toBeCloseTo(two.unfused, 6);
  });

  it('the fused gradient equals central differences of the reported loss', () => {
    const oneHot = tl.tensor([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    const m = model('softmax', 3, 'categoricalCrossentropy');
    const { pred, logits } = m.forward(tl.tensor(X), true, LOSSES.categoricalCrossentropy.fused);
    expect(logits).toBeDefined();
    const lossAt = (z: tl.Tensor) => LOSSES.categoricalCrossentropy.fused!.perSample(oneHot, z).mean();
    gradcheck(lossAt, [logits!], { eps: 1e-2 });
    expect(
      pred
        .sum({ axis: -1 })
        .dataSync()
        .every((s) => Math.abs(s - 1) < 1e-6),
    ).toBe(true);
    const bce = LOSSES.binaryCrossentropy.fused!;
    gradcheck(
      (z) =>
        bce
          .perSample(
            tl.tensor([
              [1, 0, 1],
              [0, 0, 1],
              [1, 1, 0],
              [0, 1, 0],
            ]),
            z,
          )
          .mean(),
      [seeded([4, 3], 4, { lo: -3, hi: 3 })],
    );
  });

  it('where the clipped loss is flat, the fused gradient is still the exact p − y', async () => {
    // Logits so large that p(true class) < 1e-7: the unfused clipped loss has zero gradient there.
    const d = tl.layers.dense({ units: 3, activation: 'softmax', inputShape: [1] });
    const m = tl.sequential({ layers: [d] });
    d.setWeights([tl.tensor([[0, 0, 0]]), tl.tensor([40, 0, 0])]);
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1 }), loss: 'categoricalCrossentropy' });
    const h = await m.fit([[1]], [[0, 1, 0]], { epochs: 1, batchSize: 1, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(-Math.log(LO), 3); // the reported value keeps Keras' clipping
    const bias = Array.from(m.getWeights()[1].dataSync());
    expect(bias[0]).toBeCloseTo(39, 5);
    expect(bias[1]).toBeCloseTo(1, 5);
    expect(bias[2]).toBeCloseTo(0, 5);
  });

  it('a separate Activation layer fuses too', async () => {
    const d = tl.layers.dense({ units: 3, inputShape: [2] });
    const m = tl.sequential({ layers: [d, tl.layers.activation({ activation: 'softmax' })] });
    d.setWeights([tl.tensor(KERNEL), tl.tensor(BIAS)]);
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1 }), loss: 'categoricalCrossentropy' });
    const oneHot = [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ];
    const { got, want } = await step(m, tl.tensor(oneHot), oneHot, 1 / X.length);
    got.forEach((g, j) => expect(g).toBeCloseTo(want[j], 5));
  });
});
