import * as tfjs from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import * as tf from '../../lib/tfjs/index.js';
import { Adadelta, Adamax, type Optimizer } from '../../lib/optimizers/index.js';
import { expectAllClose } from '../helpers/close.js';
import { expectTensileError } from '../helpers/ops.js';

// Adadelta and Adamax against @tensorflow/tfjs 4.22's own optimizers, step by step on the same gradients.
const W0 = [0.5, -1.5, 2, 0, 3e4];
const GRADS = [
  [0.1, -0.2, 0.3, 0, 50],
  [-0.4, 0.5, 0.05, 1e-3, -20],
  [1, -1, 0.2, -0.3, 0],
  [0, 0, 0, 0, 1e-6],
];

function tensileSteps(opt: Optimizer): number[][] {
  const w = tl.tensor(W0, undefined, { requiresGrad: true });
  return GRADS.map((g) => {
    w.grad = tl.tensor(g);
    opt.step([w]);
    return Array.from(w.dataSync());
  });
}
function tfjsSteps(opt: tfjs.Optimizer): number[][] {
  const w = tfjs.variable(tfjs.tensor1d(W0));
  return GRADS.map((g) => {
    opt.applyGradients([{ name: w.name, tensor: tfjs.tensor1d(g) }]);
    return Array.from(w.dataSync());
  });
}

describe('Adadelta and Adamax', () => {
  // Keras' Adadelta (the published rule, in float64): the step divides by the *updated* E[g²]. tfjs 4.22 divides by
  // the previous one (its first step is then lr·g whatever g): tensile follows Keras.
  it('adadelta follows Keras step by step (lr 1 and the default 0.001)', () => {
    for (const [lr, rho] of [
      [1, 0.95],
      [0.001, 0.9],
    ]) {
      const ours = tensileSteps(new Adadelta({ learningRate: lr, rho }));
      const w = [...W0],
        accG = W0.map(() => 0),
        accD = W0.map(() => 0);
      GRADS.forEach((g, step) => {
        for (let i = 0; i < w.length; i++) {
          accG[i] = rho * accG[i] + (1 - rho) * g[i] ** 2;
          const d = (Math.sqrt(accD[i] + 1e-7) / Math.sqrt(accG[i] + 1e-7)) * g[i];
          accD[i] = rho * accD[i] + (1 - rho) * d ** 2;
          w[i] -= lr * d;
        }
        expectAllClose(ours[step], w, { rtol: 1e-5, atol: 1e-6 });
      });
    }
  });

  it('adamax follows tfjs step by step, with and without decay', () => {
    for (const [lr, decay] of [
      [0.002, 0],
      [0.1, 0.5],
    ]) {
      const ours = tensileSteps(new Adamax({ learningRate: lr, decay }));
      const theirs = tfjsSteps(tfjs.train.adamax(lr, 0.9, 0.999, undefined, decay));
      ours.forEach((w, i) => expectAllClose(w, theirs[i], { rtol: 1e-5, atol: 1e-6 }));
    }
  });

  it('names, factories, tf.train positional arguments, save config and bad options', async () => {
    expect(tl.optimizers.adadelta(2).learningRate).toBe(2);
    expect(tl.optimizers.adamax({ learningRate: 0.01 }).learningRate).toBe(0.01);
    const opt = tf.train.adamax(0.05);
    expect(opt).toBeInstanceOf(Adamax);
    const w = tf.variable(tf.scalar(5));
    for (let i = 0; i < 300; i++) opt.minimize(() => w.sub(2).square());
    expect(Math.abs(w.dataSync()[0] - 2)).toBeLessThan(0.05);
    const d = tf.train.adadelta(1, 0.9);
    expect(d.getConfig()).toEqual({ learningRate: 1, rho: 0.9, epsilon: 1e-7 });
    expectTensileError(() => tl.optimizers.adadelta({ rho: 2 }), 'optimizers.adadelta', 'rho');
    expectTensileError(() => tl.optimizers.adamax({ beta_1: 0.9 } as never), 'optimizers.adamax', 'beta_1');
    // By name in compile, and a model trains with each.
    for (const name of ['adadelta', 'adamax']) {
      tl.setSeed(3);
      const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
      m.compile({ optimizer: name, loss: 'mse' });
      const x = tl.randn([64, 2]);
      const y = x.matmul(tl.tensor([[1], [-2]]));
      const h = await m.fit(x, y, { epochs: 3, verbose: 0 });
      expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
    }
  });
});
