import { describe, expect, it } from 'vitest';
import * as tf from '../../lib/tfjs/index.js';
import { TensileError } from '../../lib/errors.js';

// The calls tfjs-examples' programs make (mnist-node, lstm-text-generation), on tiny seeded data.
describe('tensile/tfjs', () => {
  it('creation with tfjs signatures: tensor1d(values, dtype), oneHot(...).toFloat(), buffers, util', () => {
    const labels = tf.tensor1d(Int32Array.of(0, 2, 1), 'int32');
    expect(labels.dtype).toBe('int32');
    const y = tf.oneHot(labels, 3).toFloat();
    expect(y.dtype).toBe('float32');
    expect(y.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(tf.tensor4d(new Float32Array(8), [2, 2, 2, 1]).shape).toEqual([2, 2, 2, 1]);
    const b = new tf.TensorBuffer([1, 2, 3]);
    b.set(1, 0, 1, 2);
    expect(b.toTensor().arraySync()).toEqual([
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    ]);
    expect(tf.util.sizeFromShape([2, 3, 4])).toBe(24);
    expect(() => tf.util.assert(false, 'mismatch')).toThrow('mismatch');
    expect(tf.tidy(() => tf.scalar(3).add(1).dataSync()[0])).toBe(4);
  });

  it('a Sequential trains as tfjs: evaluate gives Scalars, callbacks as an object, logs say acc', async () => {
    tf.setSeed(1);
    const x = tf.randomNormal([64, 4]);
    const y = tf.oneHot(tf.argMax(x, 1), 4).toFloat();
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 16, inputShape: [4], activation: 'relu' }));
    model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const seen: string[][] = [];
    const h = await model.fit(x, y, {
      epochs: 30,
      batchSize: 16,
      verbose: 0,
      yieldEvery: 'auto',
      callbacks: {
        onEpochEnd: async (_e: number, logs?: Record<string, number>) => void seen.push(Object.keys(logs ?? {})),
      },
    });
    expect(seen[0]).toEqual(['loss', 'acc']);
    expect(Object.keys(h.history)).toEqual(['loss', 'acc']);
    const [loss, acc] = model.evaluate(x, y) as tf.Tensor[];
    expect(loss.dataSync()[0]).toBeLessThan(0.5);
    expect(acc.dataSync()[0]).toBeGreaterThan(0.8);
    expect(model.inputs[0].shape).toEqual([null, 4]);
    const r = await model.trainOnBatch(x, y);
    expect(Array.isArray(r) && r.length === 2).toBe(true);
  });

  it('tf.variable with optimizer.minimize, and tf.grad', () => {
    const w = tf.variable(tf.scalar(5));
    const opt = tf.train.sgd(0.1);
    for (let i = 0; i < 50; i++) opt.minimize(() => w.sub(2).square());
    expect(w.dataSync()[0]).toBeCloseTo(2, 3);
    const g = tf.grad((t) => t.square().sum())(tf.tensor1d([1, -3]));
    expect(Array.from(g.dataSync())).toEqual([2, -6]);
    const { value, grads } = tf.variableGrads(() => w.mul(3), [w]);
    expect(value.dataSync()[0]).toBeCloseTo(6, 3);
    expect(grads[w.name].dataSync()[0]).toBe(3);
  });

  it('lstm-text-generation sampling: squeeze, log, div, multinomial', () => {
    const probs = tf.squeeze(tf.tensor2d([[0.001, 0.998, 0.001]]));
    const logits = tf.div(tf.log(probs), 0.5);
    expect(tf.multinomial(logits, 1, undefined, false).dataSync()[0]).toBe(1);
  });

  it('browser-only APIs refuse with the Node alternative', async () => {
    expect(() => tf.browser.fromPixels()).toThrow(TensileError);
    expect(() => tf.browser.fromPixels()).toThrow(/sharp/);
    await expect(tf.loadLayersModel('indexeddb://m')).rejects.toThrow(/file:\/\//);
  });
});
