import * as tl from '../../lib/index.js';
import { exportSuite, sampleInput } from '../helpers/onnx.js';

// Functional models (tl.model): merge layers, shared layers, several inputs and outputs, a nested model.

const { layers } = tl;
const inp = (shape: number[]) => tl.input({ shape });

exportSuite('ONNX export: functional models and merge layers', [
  ...(['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'] as const).map((m) => ({
    name: `merge ${m}`,
    build: () => {
      const a = inp([4]),
        b = inp([4]);
      const y = layers[m]().apply([layers.dense({ units: 3 }).apply(a), layers.dense({ units: 3 }).apply(b)]);
      return { model: tl.model({ inputs: [a, b], outputs: y }), x: [sampleInput([5, 4], 1), sampleInput([5, 4], 2)] };
    },
  })),
  {
    name: 'concatenate, a shared layer, two outputs',
    build: () => {
      const a = inp([4]),
        b = inp([4]);
      const shared = layers.dense({ units: 3, activation: 'tanh' });
      const h = layers.concatenate().apply([shared.apply(a), shared.apply(b)]);
      const y1 = layers.dense({ units: 2, activation: 'softmax' }).apply(h),
        y2 = layers.dense({ units: 1 }).apply(h);
      return {
        model: tl.model({ inputs: [a, b], outputs: [y1, y2] }),
        x: [sampleInput([3, 4], 3), sampleInput([3, 4], 4)],
      };
    },
  },
  {
    name: 'dot rank 2 normalized and rank 3',
    build: () => {
      const a = inp([3, 4]),
        b = inp([3, 4]);
      const d3 = layers.dot({ axes: [2, 2] }).apply([a, b]);
      const d2 = layers.dot({ axes: 1, normalize: true }).apply([layers.flatten().apply(a), layers.flatten().apply(b)]);
      return {
        model: tl.model({ inputs: [a, b], outputs: [d3, d2] }),
        x: [sampleInput([2, 3, 4], 5), sampleInput([2, 3, 4], 6)],
      };
    },
  },
  {
    name: 'a residual conv block (add of NHWC branches) and a nested model',
    build: () => {
      const x = inp([6, 6, 2]);
      const c = layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
      const r = layers.add().apply([x, c]);
      const innerIn = inp([72]);
      const inner = tl.model({ inputs: innerIn, outputs: layers.dense({ units: 3 }).apply(innerIn) });
      return {
        model: tl.model({ inputs: x, outputs: inner.apply(layers.flatten().apply(r)) }),
        x: sampleInput([2, 6, 6, 2], 7),
      };
    },
  },
]);
