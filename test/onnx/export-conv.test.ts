import * as tl from '../../lib/index.js';
import { exportSuite, sampleInput } from '../helpers/onnx.js';

// Conv2D, Conv1D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, the poolings, ZeroPadding2D, UpSampling2D (channels-last
// in tensile, channels-first in ONNX: the Transposes between layers must cancel without changing a number).

const { layers } = tl;
const seq = (ls: tl.layers.Layer[]) => tl.sequential({ layers: ls });

exportSuite('ONNX export: convolution and pooling', [
  {
    name: 'Conv2D valid relu, MaxPooling2D, Flatten, Dense softmax (a Keras MNIST CNN)',
    build: () => ({
      model: seq([
        layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: sampleInput([3, 8, 8, 2], 1),
    }),
  },
  {
    name: 'Conv2D same stride 2 on odd sizes, BatchNormalization, elu',
    build: () => ({
      model: seq([
        layers.conv2d({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', inputShape: [7, 6, 2] }),
        layers.batchNormalization(),
        layers.activation({ activation: 'elu' }),
        layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax' }),
      ]),
      x: sampleInput([2, 7, 6, 2], 2),
    }),
  },
  {
    name: 'Conv2D same with dilation 2, no bias, AveragePooling2D same',
    build: () => ({
      model: seq([
        layers.conv2d({
          filters: 3,
          kernelSize: 3,
          dilationRate: 2,
          padding: 'same',
          useBias: false,
          activation: 'tanh',
          inputShape: [7, 7, 1],
        }),
        layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      ]),
      x: sampleInput([2, 7, 7, 1], 3),
    }),
  },
  {
    name: 'MaxPooling2D same with strides 1, GlobalMaxPooling2D',
    build: () => ({
      model: seq([
        layers.maxPooling2d({ poolSize: [2, 3], strides: 1, padding: 'same', inputShape: [5, 4, 3] }),
        layers.globalMaxPooling2d(),
      ]),
      x: sampleInput([2, 5, 4, 3], 4),
    }),
  },
  {
    name: 'DepthwiseConv2D depthMultiplier 2 same, SeparableConv2D, GlobalAveragePooling2D',
    build: () => ({
      model: seq([
        layers.depthwiseConv2d({
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
          activation: 'relu',
          inputShape: [6, 6, 3],
        }),
        layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, strides: 2, activation: 'sigmoid' }),
        layers.globalAveragePooling2d(),
      ]),
      x: sampleInput([2, 6, 6, 3], 5),
    }),
  },
  {
    name: 'SeparableConv2D with dilation and gelu',
    build: () => ({
      model: seq([
        layers.separableConv2d({
          filters: 2,
          kernelSize: 3,
          dilationRate: 2,
          padding: 'same',
          activation: 'gelu',
          inputShape: [6, 5, 2],
        }),
      ]),
      x: sampleInput([2, 6, 5, 2], 6),
    }),
  },
  {
    name: 'ZeroPadding2D asymmetric, Conv2D, UpSampling2D [2, 3]',
    build: () => ({
      model: seq([
        layers.zeroPadding2d({
          padding: [
            [1, 0],
            [2, 1],
          ],
          inputShape: [4, 3, 2],
        }),
        layers.conv2d({ filters: 2, kernelSize: 2 }),
        layers.upSampling2d({ size: [2, 3] }),
      ]),
      x: sampleInput([2, 4, 3, 2], 7),
    }),
  },
  {
    name: 'Conv1D same, MaxPooling1D, Conv1D dilated, AveragePooling1D, GlobalMaxPooling1D',
    build: () => ({
      model: seq([
        layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [12, 3] }),
        layers.maxPooling1d({ poolSize: 2 }),
        layers.conv1d({ filters: 3, kernelSize: 2, dilationRate: 2 }),
        layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
        layers.globalMaxPooling1d(),
      ]),
      x: sampleInput([2, 12, 3], 8),
    }),
  },
  {
    name: 'Conv1D strided valid, GlobalAveragePooling1D',
    build: () => ({
      model: seq([
        layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, inputShape: [9, 2] }),
        layers.globalAveragePooling1d(),
      ]),
      x: sampleInput([3, 9, 2], 9),
    }),
  },
  {
    name: 'Conv2DTranspose decoder: valid stride 2, same stride 2 (odd pad), kernel < stride (output_padding), relu/tanh',
    build: () => ({
      model: seq([
        layers.dense({ units: 3 * 3 * 4, inputShape: [5] }),
        layers.reshape({ targetShape: [3, 3, 4] }),
        layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, activation: 'relu' }),
        layers.conv2dTranspose({ filters: 3, kernelSize: [3, 4], strides: 2, padding: 'same' }),
        layers.conv2dTranspose({ filters: 2, kernelSize: [2, 1], strides: [3, 2], useBias: false, activation: 'tanh' }),
        layers.conv2dTranspose({ filters: 2, kernelSize: 1, strides: [1, 2], padding: 'same' }),
      ]),
      x: sampleInput([2, 5], 11),
    }),
  },
  {
    name: 'Conv2D then Conv2DTranspose same stride [2, 3] back to the input size, spatial sizes unknown at export',
    build: () => ({
      model: seq([
        layers.conv2d({
          filters: 4,
          kernelSize: 3,
          strides: [2, 3],
          padding: 'same',
          activation: 'relu',
          batchInputShape: [null, null, null, 2],
        }),
        layers.conv2dTranspose({ filters: 2, kernelSize: 5, strides: [2, 3], padding: 'same', activation: 'sigmoid' }),
      ]),
      x: sampleInput([2, 8, 9, 2], 12),
    }),
  },
  {
    name: 'fully convolutional, spatial sizes unknown at export: Conv2D same (auto_pad), MaxPooling2D same, GlobalAveragePooling2D',
    build: () => ({
      model: seq([
        layers.conv2d({
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          batchInputShape: [null, null, null, 2],
        }),
        layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        layers.globalAveragePooling2d(),
      ]),
      x: sampleInput([2, 7, 5, 2], 10),
    }),
  },
]);
