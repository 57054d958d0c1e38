import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { layerClass, layerClassNames } from '../../lib/layers/registry.js';
import { expectTensileError } from '../helpers/ops.js';
import { expectRejects } from '../models/fixtures.js';

// A misspelled option used to be dropped without a word; every options parser now names it and the nearest key.
describe('unknown option keys', () => {
  const L = tl.layers;
  const factories: [string, (extra: object) => unknown][] = [
    ['dense', (e) => L.dense({ units: 2, ...e })],
    ['activation', (e) => L.activation({ activation: 'relu', ...e })],
    ['dropout', (e) => L.dropout({ rate: 0.5, ...e })],
    ['flatten', (e) => L.flatten(e)],
    ['reshape', (e) => L.reshape({ targetShape: [2], ...e })],
    ['conv2d', (e) => L.conv2d({ filters: 2, kernelSize: 3, ...e })],
    ['conv1d', (e) => L.conv1d({ filters: 2, kernelSize: 3, ...e })],
    ['depthwiseConv2d', (e) => L.depthwiseConv2d({ kernelSize: 3, ...e })],
    ['separableConv2d', (e) => L.separableConv2d({ filters: 2, kernelSize: 3, ...e })],
    ['conv2dTranspose', (e) => L.conv2dTranspose({ filters: 2, kernelSize: 3, ...e })],
    ['maxPooling2d', (e) => L.maxPooling2d(e)],
    ['globalAveragePooling1d', (e) => L.globalAveragePooling1d(e)],
    ['zeroPadding2d', (e) => L.zeroPadding2d(e)],
    ['upSampling2d', (e) => L.upSampling2d(e)],
    ['lstm', (e) => L.lstm({ units: 2, ...e })],
    ['gru', (e) => L.gru({ units: 2, ...e })],
    ['simpleRNN', (e) => L.simpleRNN({ units: 2, ...e })],
    ['embedding', (e) => L.embedding({ inputDim: 5, outputDim: 2, ...e })],
    ['batchNormalization', (e) => L.batchNormalization(e)],
    ['inputLayer', (e) => L.inputLayer({ inputShape: [2], ...e })],
    ['bidirectional', (e) => L.bidirectional({ layer: L.lstm({ units: 2 }), ...e })],
    ['timeDistributed', (e) => L.timeDistributed({ layer: L.dense({ units: 2 }), ...e })],
  ];
  it.each(factories)('layers.%s refuses an unknown key and accepts its own', (name, make) => {
    expectTensileError(() => make({ bogusOption: 1 }), `layers.${name}`, "unknown option 'bogusOption'");
    expect(() => make({ name: `${name}_ok`, trainable: false })).not.toThrow();
  });
  it('suggests the nearest key', () => {
    expectTensileError(
      () => L.dense({ units: 2, activaton: 'relu' } as never),
      'layers.dense',
      "did you mean 'activation'",
    );
    expectTensileError(
      () => L.dense({ units: 2, inputshape: [3] } as never),
      'layers.dense',
      "did you mean 'inputShape'",
    );
    expectTensileError(
      () => L.conv2d({ filters: 2, kernelSize: 3, kernel_size: 3 } as never),
      'layers.conv2d',
      "did you mean 'kernelSize'",
    );
    expectTensileError(
      () => L.lstm({ units: 2, returnSequence: true } as never),
      'layers.lstm',
      "did you mean 'returnSequences'",
    );
  });
  it('every registered layer class declares its keys', () => {
    for (const name of layerClassNames()) {
      const cls = layerClass(name) as unknown as { argKeys?: readonly string[] };
      if (name !== 'Recorder') expect(cls.argKeys, name).toBeDefined();
    }
  });

  const model = () => {
    const m = tl.sequential({ layers: [L.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  };
  const x = tl.ones([4, 2]);
  const y = tl.ones([4, 1]);
  it('compile, fit, evaluate, predict', async () => {
    expectTensileError(
      () => model().compile({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] } as never),
      'compile',
      "did you mean 'metrics'",
    );
    await expectRejects(model().fit(x, y, { epoch: 3 } as never), 'fit', "did you mean 'epochs'");
    await expectRejects(model().fit(x, y, { validation_split: 0.5 } as never), 'fit', "did you mean 'validationSplit'");
    expectTensileError(() => model().evaluate(x, y, { batchsize: 2 } as never), 'evaluate', "did you mean 'batchSize'");
    expectTensileError(() => model().predict(x, { batch_size: 2 } as never), 'predict', "did you mean 'batchSize'");
    await expect(model().fit(x, y, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
  });
  it('callbacks, save and data helpers', async () => {
    expectTensileError(
      () => tl.callbacks.earlyStopping({ patiance: 2 } as never),
      'callbacks.earlyStopping',
      "did you mean 'patience'",
    );
    expectTensileError(
      () => tl.callbacks.modelCheckpoint({ filepath: '/tmp/x', saveBest: true } as never),
      'callbacks.modelCheckpoint',
      "did you mean 'saveBestOnly'",
    );
    await expectRejects(
      model().save('file:///tmp/never', { includeOptimiser: true } as never),
      'save',
      "did you mean 'includeOptimizer'",
    );
    expectTensileError(
      () => tl.data.trainTestSplit(x, y, { testsize: 0.5 } as never),
      'data.trainTestSplit',
      "did you mean 'testSize'",
    );
  });
});
