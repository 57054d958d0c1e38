import * as tl from '../../lib/index.js';
import { exportSuite, sampleInput } from '../helpers/onnx.js';

// Dense, Activation (every activation), Dropout, Flatten, Reshape, InputLayer, BatchNormalization, Embedding.

const { layers } = tl;
const seq = (ls: tl.layers.Layer[]) => tl.sequential({ layers: ls });
const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'leakyRelu',
  'gelu',
  'swish',
];

exportSuite('ONNX export: core layers', [
  {
    name: 'Dense relu → Dense softmax',
    build: () => ({
      model: seq([
        layers.dense({ units: 8, inputShape: [5], activation: 'relu' }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: sampleInput([4, 5], 1),
    }),
  },
  {
    name: 'Dense on rank 3, no bias, sigmoid',
    build: () => ({
      model: seq([layers.dense({ units: 4, inputShape: [3, 5], useBias: false, activation: 'sigmoid' })]),
      x: sampleInput([2, 3, 5], 2),
    }),
  },
  ...ACTIVATIONS.map((a) => ({
    name: `Activation ${a}`,
    // Inputs up to ±4, so that every activation's curved parts (and elu/selu below zero) are exercised.
    build: () => ({
      model: seq([layers.dense({ units: 6, inputShape: [4] }), layers.activation({ activation: a })]),
      x: tl.mul(sampleInput([5, 4], 3), tl.tensor(8)),
    }),
  })),
  ...['elu', 'gelu', 'swish', 'softplus'].map((a) => ({
    name: `Dense with activation ${a}`,
    build: () => ({
      model: seq([layers.dense({ units: 6, inputShape: [4], activation: a })]),
      x: tl.mul(sampleInput([5, 4], 4), tl.tensor(8)),
    }),
  })),
  {
    name: 'InputLayer, Flatten, Dropout, Reshape',
    build: () => ({
      model: seq([
        layers.inputLayer({ inputShape: [3, 2] }),
        layers.flatten(),
        layers.dense({ units: 6, activation: 'tanh' }),
        layers.dropout({ rate: 0.5 }),
        layers.reshape({ targetShape: [2, -1] }),
        layers.dense({ units: 2 }),
      ]),
      x: sampleInput([4, 3, 2], 5),
    }),
  },
  {
    name: 'BatchNormalization on rank 2',
    build: () => ({
      model: seq([layers.dense({ units: 6, inputShape: [3] }), layers.batchNormalization({ epsilon: 0.01 })]),
      x: sampleInput([4, 3], 6),
    }),
  },
  {
    name: 'BatchNormalization on rank 3 without center and scale',
    build: () => ({
      model: seq([layers.batchNormalization({ inputShape: [5, 3], center: false, scale: false })]),
      x: sampleInput([2, 5, 3], 7),
    }),
  },
  {
    name: 'Embedding, Flatten, Dense',
    build: () => ({
      model: seq([
        layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: sampleInput([5, 6], 8, 20),
    }),
  },
]);
