import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { availableBackends, expectTensileError, useBackend } from '../helpers/ops.js';

// Binary accuracy (every element, threshold 0.5) and categorical accuracy (argmax per row) disagree here:
// elements 1 ✓, 0 vs 0.7 ✗, 0 vs 0.2 ✓, 1 vs 0.6 ✓ → 0.75; rows argmax 1 vs 0 ✗, 1 vs 1 ✓ → 0.5.
const Y = [
  [1, 0],
  [0, 1],
];
const P = [
  [0.6, 0.7],
  [0.2, 0.6],
];

/** A model whose output is its input (identity Dense), so evaluate sees exactly P. */
function identityModel(loss: string, metrics: string[], units = 2): tl.Sequential {
  const d = tl.layers.dense({ units, inputShape: [units], kernelInitializer: 'zeros' });
  const m = tl.sequential({ layers: [d] });
  const eye = Array.from({ length: units }, (_, i) => Array.from({ length: units }, (_, j) => (i === j ? 1 : 0)));
  d.setWeights([tl.tensor(eye), tl.zeros([units])]);
  m.compile({ optimizer: 'sgd', loss, metrics });
  return m;
}

describe.each(availableBackends())('metrics on %s', (backend) => {
  useBackend(backend);

  it('binaryAccuracy: element-wise, threshold 0.5 (strictly greater)', () => {
    expect(tl.metrics.binaryAccuracy(Y, P).item()).toBe(0.75);
    expect(tl.metrics.binaryAccuracy([[1, 0]], [[0.9, 0.7]]).item()).toBe(0.5);
    expect(tl.metrics.binaryAccuracy([[0, 1]], [[0.5, 0.5]]).item()).toBe(0.5); // 0.5 counts as class 0
    expect(tl.metrics.binaryAccuracy([1, 0, 1], [[0.8], [0.1], [0.3]]).item()).toBeCloseTo(2 / 3, 6);
  });

  it('categoricalAccuracy: argmax against the one-hot argmax', () => {
    expect(tl.metrics.categoricalAccuracy(Y, P).item()).toBe(0.5);
    expect(
      tl.metrics
        .categoricalAccuracy(
          [
            [0, 0, 1],
            [0, 1, 0],
            [1, 0, 0],
          ],
          [
            [0.1, 0.2, 0.7],
            [0.5, 0.4, 0.1],
            [0.9, 0, 0.1],
          ],
        )
        .item(),
    ).toBeCloseTo(2 / 3, 6);
  });

  it('sparseCategoricalAccuracy: argmax against integer labels [N] or [N, 1]', () => {
    const p = [
      [0.1, 0.2, 0.7],
      [0.5, 0.4, 0.1],
      [0.9, 0, 0.1],
      [0.2, 0.5, 0.3],
    ];
    expect(tl.metrics.sparseCategoricalAccuracy([2, 1, 0, 1], p).item()).toBe(0.75);
    expect(tl.metrics.sparseCategoricalAccuracy([[2], [1], [0], [1]], p).item()).toBe(0.75);
    expectTensileError(
      () => tl.metrics.sparseCategoricalAccuracy([1, 2], p),
      'sparseCategoricalAccuracy',
      '[2]',
      '[4, 3]',
    );
  });

  it('mse and mae', () => {
    expect(
      tl.metrics
        .mse(
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
    expect(
      tl.metrics
        .mae(
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
    // Labels [N] against [N, 1] predictions are aligned, not broadcast.
    expect(tl.metrics.mse([1, 2], [[1], [4]]).item()).toBeCloseTo(2, 6);
    expect(tl.metrics.mae([1, 2], [[1], [4]]).item()).toBeCloseTo(1, 6);
  });
});

describe("'accuracy' resolves by the loss, as Keras", () => {
  it('binaryCrossentropy → binary accuracy, element-wise', () => {
    expect(identityModel('binaryCrossentropy', ['accuracy']).evaluate(P, Y, { verbose: 0 })[1]).toBe(0.75);
    expect(identityModel('binary_crossentropy', ['acc']).evaluate(P, Y, { verbose: 0 })[1]).toBe(0.75);
  });

  it('categoricalCrossentropy → argmax match', () => {
    expect(identityModel('categoricalCrossentropy', ['accuracy']).evaluate(P, Y, { verbose: 0 })[1]).toBe(0.5);
  });

  it('sparseCategoricalCrossentropy → argmax against integer labels', () => {
    expect(identityModel('sparseCategoricalCrossentropy', ['accuracy']).evaluate(P, [0, 1], { verbose: 0 })[1]).toBe(
      0.5,
    );
    expect(
      identityModel('sparseCategoricalCrossentropy', ['accuracy']).evaluate(P, [[1], [1]], { verbose: 0 })[1],
    ).toBe(1);
  });

  it('a single output unit → binary accuracy, whatever the loss', () => {
    const m = identityModel('mse', ['accuracy'], 1);
    expect(m.evaluate([[0.2], [0.7], [0.9], [0.4]], [[0], [1], [0], [1]], { verbose: 0 })[1]).toBe(0.5);
  });

  it('also when the model is built lazily by the first batch of fit', async () => {
    // The model has no inputShape, so the output width is unknown at compile time.
    const d = tl.layers.dense({ units: 1, kernelInitializer: 'ones' });
    const m = tl.sequential({ layers: [d] });
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 1e-30 }), loss: 'mse', metrics: ['accuracy'] });
    // Outputs 0.2, 0.7, 0.9, 0.4 against 0, 1, 0, 1: binary accuracy 0.5 (argmax of one column would give 1).
    const h = await m.fit([[0.2], [0.7], [0.9], [0.4]], [[0], [1], [0], [1]], {
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
    });
    expect(h.history.accuracy[0]).toBe(0.5);
  });

  it('the log name is the one the user typed', async () => {
    const m = identityModel('binaryCrossentropy', ['acc', 'mse', 'binaryAccuracy']);
    const h = await m.fit(P, Y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['acc', 'binaryAccuracy', 'loss', 'mse']);
  });

  it('evaluate returns [loss, ...metrics] in the compiled order', () => {
    const m = identityModel('mse', ['mae', 'mse', 'binaryAccuracy', 'categoricalAccuracy']);
    const r = m.evaluate(P, Y, { verbose: 0 });
    expect(r).toHaveLength(5);
    expect(r[0]).toBeCloseTo((0.16 + 0.49 + 0.04 + 0.16) / 4, 6);
    expect(r[1]).toBeCloseTo((0.4 + 0.7 + 0.2 + 0.4) / 4, 6);
    expect(r[2]).toBeCloseTo(r[0], 6);
    expect(r[3]).toBe(0.75);
    expect(r[4]).toBe(0.5);
  });

  it('metric names accept snake_case and long forms; unknown names suggest', () => {
    expect(
      identityModel('mse', [
        'mean_absolute_error',
        'meanSquaredError',
        'binary_accuracy',
        'categorical_accuracy',
      ]).evaluate(P, Y, { verbose: 0 }),
    ).toHaveLength(5);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1] })] });
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] }),
      'compile',
      "unknown metric 'acuracy'",
      "did you mean 'accuracy'?",
    );
  });
});
