import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { expectRejects } from './fixtures.js';

function compiled(): tl.Sequential {
  const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

describe('bad input is a TensileError naming the problem', () => {
  it('x and y of different batch sizes (fit, evaluate, validationData)', async () => {
    const m = compiled();
    await expectRejects(m.fit(tl.ones([10, 2]), tl.ones([8, 1])), 'fit', 'x has 10 samples but y has 8');
    expectTensileError(() => m.evaluate(tl.ones([3, 2]), tl.ones([4, 1])), 'evaluate', 'x has 3 samples but y has 4');
    await expectRejects(
      m.fit(tl.ones([4, 2]), tl.ones([4, 1]), { validationData: [tl.ones([2, 2]), tl.ones([3, 1])] }),
      'fit',
      'x has 2 samples but y has 3',
    );
  });

  it('an input shape the first layer does not take: dense inputShape [784] given [32, 28, 28]', async () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 10, inputShape: [784], name: 'dense_in' })] });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tl.zeros([32, 28, 28]);
    expectTensileError(() => m.predict(x), 'dense_in', 'expected input of shape [null, 784]', 'got [32, 28, 28]');
    await expectRejects(m.fit(x, tl.zeros([32]), { verbose: 0 }), 'dense_in', '[null, 784]', '[32, 28, 28]');
    expectTensileError(() => m.predict(tl.zeros([4, 783])), 'dense_in', '[null, 784]', 'got [4, 783]');
  });

  it('a later layer whose input does not fit names that layer', () => {
    const d = tl.layers.dense({ units: 4, name: 'late' });
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 3 }), d] });
    m.predict(tl.ones([2, 5])); // builds: late takes 3
    expectTensileError(
      () => d.apply(tl.ones([2, 5])),
      'late',
      'expected input with last dimension 3',
      'got shape [2, 5]',
    );
  });

  it("unknown loss, optimizer, activation, metric names, with a suggestion ('rellu' → 'relu')", () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
    expectTensileError(
      () => tl.layers.dense({ units: 1, activation: 'rellu' }),
      'layers.dense',
      "unknown activation 'rellu'",
      "did you mean 'relu'?",
    );
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: 'meanSquaredErorr' }),
      'compile',
      "unknown loss 'meanSquaredErorr'",
      "did you mean 'meanSquaredError'?",
    );
    expectTensileError(
      () => m.compile({ optimizer: 'adma', loss: 'mse' }),
      'compile',
      "unknown optimizer 'adma'",
      'expected one of sgd, adam',
    );
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] }),
      'compile',
      "unknown metric 'acuracy'",
      "did you mean 'accuracy'?",
    );
  });

  it('fit and evaluate before compile', async () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
    await expectRejects(m.fit(tl.ones([2, 2]), tl.ones([2, 1])), 'fit', 'compile');
    expectTensileError(() => m.evaluate(tl.ones([2, 2]), tl.ones([2, 1])), 'evaluate', 'must be compiled first');
  });

  it('compile without loss or optimizer', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
    expectTensileError(() => m.compile({ optimizer: 'sgd' } as never), 'compile', 'loss is required');
    expectTensileError(() => m.compile({ loss: 'mse' } as never), 'compile', 'optimizer is required');
    expectTensileError(() => m.compile(undefined as never), 'compile', '{ optimizer, loss');
  });

  it('two layers with inputShape; a duplicate name; a non-layer', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [3] })] });
    expectTensileError(
      () => m.add(tl.layers.dense({ units: 2, inputShape: [2], name: 'second_input' })),
      'sequential.add',
      "only the first layer may set inputShape; 'second_input'",
    );
    const named = tl.layers.dense({ units: 2, name: 'twin' });
    m.add(named);
    expectTensileError(
      () => m.add(tl.layers.dense({ units: 2, name: 'twin' })),
      'sequential.add',
      "a layer named 'twin' is already in the model",
    );
    expectTensileError(() => m.add({} as never), 'sequential.add', 'expected a layer');
  });

  it('validationSplit outside [0, 1), or leaving no samples on one side', async () => {
    const m = compiled();
    await expectRejects(
      m.fit(tl.ones([10, 2]), tl.ones([10, 1]), { validationSplit: 1.5, verbose: 0 }),
      'fit',
      'validationSplit must be a number in [0, 1), got 1.5',
    );
    await expectRejects(
      m.fit(tl.ones([10, 2]), tl.ones([10, 1]), { validationSplit: -0.1, verbose: 0 }),
      'fit',
      'got -0.1',
    );
    await expectRejects(
      m.fit(tl.ones([1, 2]), tl.ones([1, 1]), { validationSplit: 0.5, verbose: 0 }),
      'fit',
      'validationSplit 0.5 of 1 samples leaves no training or no validation samples',
    );
  });

  it('batchSize 0 (fit, evaluate, predict) and bad epochs', async () => {
    const m = compiled();
    await expectRejects(
      m.fit(tl.ones([4, 2]), tl.ones([4, 1]), { batchSize: 0 }),
      'fit',
      'batchSize must be a positive integer, got 0',
    );
    expectTensileError(
      () => m.evaluate(tl.ones([4, 2]), tl.ones([4, 1]), { batchSize: 2.5 }),
      'evaluate',
      'batchSize must be a positive integer, got 2.5',
    );
    expectTensileError(
      () => m.predict(tl.ones([4, 2]), { batchSize: -1 }),
      'predict',
      'batchSize must be a positive integer, got -1',
    );
    await expectRejects(
      m.fit(tl.ones([4, 2]), tl.ones([4, 1]), { epochs: -1 }),
      'fit',
      'epochs must be a non-negative integer, got -1',
    );
  });

  it('classWeight with targets of rank 3 (Keras does not support it either)', async () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [3, 2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expectRejects(
      m.fit(tl.ones([4, 3, 2]), tl.ones([4, 3, 1]), { classWeight: { 0: 1, 1: 2 }, verbose: 0 }),
      'fit',
      'classWeight needs targets of rank 1 or 2',
      '[4, 3, 1]',
    );
    const h = await m.fit(tl.ones([4, 3, 2]), tl.ones([4, 3, 1]), { verbose: 0 });
    expect(h.history.loss).toHaveLength(1);
  });

  it('inputs that are not data', async () => {
    const m = compiled();
    expectTensileError(
      () => m.predict('abc' as never),
      'predict',
      'x must be a Tensor, nested arrays or { data, shape }',
    );
    expectTensileError(() => m.predict(tl.tensor(3)), 'predict', 'must have a batch axis');
    await expectRejects(m.fit(tl.ones([2, 2]), null as never), 'fit', 'y must be');
  });

  it('labels that do not fit the loss', async () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await expectRejects(
      m.fit(tl.ones([2, 2]), tl.tensor([0, 3]), { shuffle: false, verbose: 0 }),
      'sparseCategoricalCrossentropy',
      'label 3 at row 1',
    );
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await expectRejects(
      m.fit(tl.ones([2, 2]), tl.ones([2, 2]), { verbose: 0 }),
      'categoricalCrossentropy',
      'yTrue has shape [2, 2] but yPred has shape [2, 3]',
    );
  });

  it('a model with no layers', () => {
    expectTensileError(
      () => tl.sequential({ name: 'empty' }).predict(tl.ones([1, 1])),
      'empty',
      'the model has no layers',
    );
  });
});

describe('errors are TensileErrors', () => {
  it('carry the op and are instances of Error', () => {
    try {
      tl.optimizers.adam({ learningRate: -0.1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(tl.TensileError);
      expect((e as tl.TensileError).op).toBe('optimizers.adam');
      expect((e as Error).name).toBe('TensileError');
    }
  });
});
