import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { exportSuite, sampleInput } from '../helpers/onnx.js';

// LayerNormalization, MultiHeadAttention (self- and cross-attention, with a transformer block around it), the
// activation layers, the noise layers (removed at inference), Rescaling, Permute and RepeatVector.

const { layers } = tl;
const seq = (ls: tl.layers.Layer[]) => tl.sequential({ layers: ls });
const S = (t: unknown) => t as tl.SymbolicTensor;

/** A trained-looking layer: weights from seeded random values instead of the initializers' (biases of 0, gammas of 1). */
function randomized<M extends tl.LayersModel>(m: M, seed: number): M {
  tl.setSeed(seed);
  m.setWeights(m.getWeights().map((w) => tl.mul(tl.randn(w.shape), tl.tensor(0.5))));
  return m;
}

exportSuite('ONNX export: attention, normalization and the everyday layers', [
  {
    name: 'LayerNormalization on the last axis, after a Dense',
    build: () => ({
      model: randomized(
        seq([layers.dense({ units: 6, inputShape: [3, 4] }), layers.layerNormalization({ epsilon: 1e-3 })]),
        1,
      ),
      x: sampleInput([2, 3, 4], 1),
    }),
  },
  {
    name: 'LayerNormalization without center and scale',
    build: () => ({
      model: seq([layers.layerNormalization({ inputShape: [5], center: false, scale: false })]),
      x: sampleInput([4, 5], 2),
    }),
  },
  {
    name: 'MultiHeadAttention: self-attention, 2 heads',
    build: () => {
      const x = tl.input({ shape: [6, 8] });
      const y = S(layers.multiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([x, x]));
      return { model: randomized(tl.model({ inputs: x, outputs: y }), 3), x: sampleInput([2, 6, 8], 3) };
    },
  },
  {
    name: 'MultiHeadAttention: cross-attention with a key, valueDim, no bias, outputShape',
    build: () => {
      const q = tl.input({ shape: [5, 6] }),
        v = tl.input({ shape: [7, 4] }),
        k = tl.input({ shape: [7, 3] });
      const y = S(
        layers
          .multiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 5, useBias: false, outputShape: 9 })
          .apply([q, v, k]),
      );
      return {
        model: randomized(tl.model({ inputs: [q, v, k], outputs: y }), 4),
        x: [sampleInput([2, 5, 6], 4), sampleInput([2, 7, 4], 5), sampleInput([2, 7, 3], 6)],
      };
    },
  },
  {
    name: 'a transformer encoder block: attention + residual + LayerNormalization, feed-forward + residual + LayerNormalization',
    build: () => {
      const x = tl.input({ shape: [6, 8] });
      const a = S(layers.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1 }).apply([x, x]));
      const h = S(layers.layerNormalization().apply(S(layers.add().apply([x, a]))));
      const f = S(layers.dense({ units: 8 }).apply(S(layers.dense({ units: 16, activation: 'relu' }).apply(h))));
      const y = S(layers.layerNormalization().apply(S(layers.add().apply([h, f]))));
      const out = S(
        layers.dense({ units: 3, activation: 'softmax' }).apply(S(layers.globalAveragePooling1d().apply(y))),
      );
      return { model: randomized(tl.model({ inputs: x, outputs: out }), 5), x: sampleInput([3, 6, 8], 7) };
    },
  },
  {
    name: 'LeakyReLU, ELU, ReLU with maxValue, Softmax, PReLU',
    build: () => ({
      model: randomized(
        seq([
          layers.dense({ units: 6, inputShape: [4] }),
          layers.leakyReLU({ alpha: 0.2 }),
          layers.dense({ units: 6 }),
          layers.elu({ alpha: 0.7 }),
          layers.dense({ units: 6 }),
          layers.reLU({ maxValue: 0.5 }),
          layers.dense({ units: 6 }),
          layers.prelu(),
          layers.dense({ units: 4 }),
          layers.softmax(),
        ]),
        6,
      ),
      x: tl.mul(sampleInput([5, 4], 8), tl.tensor(4)),
    }),
  },
  {
    name: 'the noise layers (removed), Rescaling, Permute, RepeatVector',
    build: () => ({
      model: randomized(
        seq([
          layers.rescaling({ scale: 0.5, offset: -0.25, inputShape: [4] }),
          layers.gaussianNoise({ stddev: 0.3 }),
          layers.gaussianDropout({ rate: 0.2 }),
          layers.repeatVector({ n: 3 }),
          layers.spatialDropout1d({ rate: 0.2 }),
          layers.permute({ dims: [2, 1] }),
          layers.dense({ units: 2 }),
        ]),
        7,
      ),
      x: sampleInput([4, 4], 9),
    }),
  },
  {
    name: 'Normalization (adapted), Cropping2D',
    build: () => {
      const norm = layers.normalization({ inputShape: [4, 5, 2] });
      norm.adapt(tl.mul(sampleInput([8, 4, 5, 2], 10), tl.tensor(3)));
      return {
        model: seq([
          norm,
          layers.cropping2d({
            cropping: [
              [1, 0],
              [1, 2],
            ],
          }),
          layers.flatten(),
          layers.dense({ units: 2 }),
        ]),
        x: sampleInput([3, 4, 5, 2], 11),
      };
    },
  },
]);

describe('ONNX export of attention refuses what it cannot express', () => {
  it('a causal mask (a keyword argument of the call) is a TensileError naming the layer', async () => {
    const x = tl.input({ shape: [4, 8] });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, name: 'causal_attention' });
    const m = tl.model({ inputs: x, outputs: S(mha.apply([x, x], { useCausalMask: true })) });
    await expect(tl.exportOnnx(m, '/tmp/never-written.onnx')).rejects.toThrow(/causal_attention.*useCausalMask/);
  });
  it('attention after a masking Embedding is a TensileError naming both layers', async () => {
    const ids = tl.input({ shape: [5] });
    const e = S(layers.embedding({ inputDim: 10, outputDim: 8, maskZero: true, name: 'tokens' }).apply(ids));
    const m = tl.model({
      inputs: ids,
      outputs: S(layers.multiHeadAttention({ numHeads: 2, keyDim: 4, name: 'attn' }).apply([e, e])),
    });
    await expect(tl.exportOnnx(m, '/tmp/never-written.onnx')).rejects.toThrow(/'attn'.*'tokens'/);
  });
  it('LayerNormalization needs opset 17', async () => {
    const m = seq([layers.layerNormalization({ inputShape: [4], name: 'ln' })]);
    await expect(tl.exportOnnx(m, '/tmp/never-written.onnx', { opset: 16 })).rejects.toThrow(/'ln'.*opset 17/);
  });
});
