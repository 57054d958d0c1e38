import * as tl from '../../lib/index.js';
import { exportSuite, sampleInput } from '../helpers/onnx.js';

// LSTM, GRU, SimpleRNN (ONNX's LSTM, GRU, RNN: gate order, time-major input, direction), Bidirectional,
// TimeDistributed, and Embedding feeding a recurrent layer.

const { layers } = tl;
const seq = (ls: tl.layers.Layer[]) => tl.sequential({ layers: ls });
const x3 = (seed: number) => sampleInput([3, 5, 4], seed);

exportSuite('ONNX export: recurrent layers and wrappers', [
  {
    name: 'LSTM last output',
    build: () => ({ model: seq([layers.lstm({ units: 6, inputShape: [5, 4] })]), x: x3(1) }),
  },
  {
    name: 'LSTM sequences goBackwards, then LSTM',
    build: () => ({
      model: seq([
        layers.lstm({ units: 3, returnSequences: true, goBackwards: true, inputShape: [5, 4] }),
        layers.lstm({ units: 2, returnSequences: true }),
      ]),
      x: x3(2),
    }),
  },
  {
    name: 'LSTM relu activation, hardSigmoid gates, no bias, no unit forget bias',
    build: () => ({
      model: seq([
        layers.lstm({
          units: 4,
          activation: 'relu',
          recurrentActivation: 'hardSigmoid',
          useBias: false,
          unitForgetBias: false,
          inputShape: [5, 4],
        }),
      ]),
      x: x3(3),
    }),
  },
  {
    name: 'LSTM linear activation, sigmoid gates (Affine after Sigmoid)',
    build: () => ({ model: seq([layers.lstm({ units: 3, activation: 'linear', inputShape: [5, 4] })]), x: x3(15) }),
  },
  {
    name: 'GRU resetAfter (Keras 2 default)',
    build: () => ({ model: seq([layers.gru({ units: 5, inputShape: [5, 4] })]), x: x3(4) }),
  },
  {
    name: 'GRU resetAfter false (tfjs-layers), sequences, goBackwards',
    build: () => ({
      model: seq([
        layers.gru({ units: 3, resetAfter: false, returnSequences: true, goBackwards: true, inputShape: [5, 4] }),
      ]),
      x: x3(5),
    }),
  },
  {
    name: 'GRU hardSigmoid gates, linear activation',
    build: () => ({
      model: seq([
        layers.gru({ units: 3, recurrentActivation: 'hardSigmoid', activation: 'linear', inputShape: [5, 4] }),
      ]),
      x: x3(6),
    }),
  },
  {
    name: 'SimpleRNN tanh',
    build: () => ({ model: seq([layers.simpleRNN({ units: 4, inputShape: [5, 4] })]), x: x3(7) }),
  },
  {
    name: 'SimpleRNN relu sequences, SimpleRNN linear goBackwards',
    build: () => ({
      model: seq([
        layers.simpleRNN({ units: 3, activation: 'relu', returnSequences: true, inputShape: [5, 4] }),
        layers.simpleRNN({ units: 2, activation: 'linear', goBackwards: true }),
      ]),
      x: x3(8),
    }),
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode) => ({
    name: `Bidirectional LSTM sequences, merge ${mergeMode}`,
    build: () => ({
      model: seq([
        layers.bidirectional({
          layer: layers.lstm({ units: 3, returnSequences: true }),
          mergeMode,
          inputShape: [5, 4],
        }),
      ]),
      x: x3(9),
    }),
  })),
  {
    name: 'Bidirectional GRU last output',
    build: () => ({
      model: seq([layers.bidirectional({ layer: layers.gru({ units: 3 }), inputShape: [5, 4] })]),
      x: x3(10),
    }),
  },
  {
    name: 'Bidirectional over a goBackwards SimpleRNN, sequences',
    build: () => ({
      model: seq([
        layers.bidirectional({
          layer: layers.simpleRNN({ units: 2, goBackwards: true, returnSequences: true }),
          inputShape: [5, 4],
        }),
      ]),
      x: x3(11),
    }),
  },
  {
    name: 'LSTM sequences, TimeDistributed(Dense softmax)',
    build: () => ({
      model: seq([
        layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 4] }),
        layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }) }),
      ]),
      x: x3(12),
    }),
  },
  {
    name: 'TimeDistributed(Conv2D), TimeDistributed(Flatten), GRU',
    build: () => ({
      model: seq([
        layers.timeDistributed({
          layer: layers.conv2d({ filters: 2, kernelSize: 2, activation: 'relu' }),
          inputShape: [3, 4, 4, 1],
        }),
        layers.timeDistributed({ layer: layers.flatten() }),
        layers.gru({ units: 3 }),
      ]),
      x: sampleInput([2, 3, 4, 4, 1], 13),
    }),
  },
  {
    name: 'Embedding, LSTM, Dense (a text classifier)',
    build: () => ({
      model: seq([
        layers.embedding({ inputDim: 30, outputDim: 4, inputLength: 7 }),
        layers.lstm({ units: 5 }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ]),
      x: sampleInput([4, 7], 14, 30),
    }),
  },
  {
    name: 'GRU sequences over a time axis unknown at export, goBackwards',
    build: () => ({
      model: seq([
        layers.gru({ units: 3, returnSequences: true, goBackwards: true, batchInputShape: [null, null, 4] }),
      ]),
      x: x3(16),
    }),
  },
]);
