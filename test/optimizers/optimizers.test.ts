import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../../lib/optimizers/index.js';
import type { Optimizer } from '../../lib/optimizers/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { availableBackends, expectTensileError, onBackend, useBackend } from '../helpers/ops.js';
import { randomArray } from '../helpers/random.js';

// A small parameter and three steps of given gradients (one element sees a zero gradient first).
const W0 = [0.5, -1.5, 2, 0];
const GRADS = [
  [0.1, -0.2, 0.3, 0],
  [-0.4, 0.5, 0.05, 1e-3],
  [1, -1, 0.2, -0.3],
];

/** A published update rule, in float64: state is created on the first call. */
type Rule = (w: number[], g: number[], state: Record<string, number[]>, t: number) => void;
const zeros = (n: number) => new Array<number>(n).fill(0);

function sgdRule(lr: number, momentum = 0, nesterov = false): Rule {
  return (w, g, s) => {
    s.v ??= zeros(w.length);
    for (let i = 0; i < w.length; i++) {
      if (momentum === 0) {
        w[i] -= lr * g[i];
        continue;
      }
      s.v[i] = momentum * s.v[i] - lr * g[i];
      w[i] += nesterov ? momentum * s.v[i] - lr * g[i] : s.v[i];
    }
  };
}

function adamRule(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-7, wd = 0): Rule {
  return (w, g, s, t) => {
    s.m ??= zeros(w.length);
    s.v ??= zeros(w.length);
    for (let i = 0; i < w.length; i++) {
      w[i] -= lr * wd * w[i];
      s.m[i] = b1 * s.m[i] + (1 - b1) * g[i];
      s.v[i] = b2 * s.v[i] + (1 - b2) * g[i] ** 2;
      const mHat = s.m[i] / (1 - b1 ** t);
      const vHat = s.v[i] / (1 - b2 ** t);
      w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

function rmspropRule(lr: number, rho = 0.9, momentum = 0, eps = 1e-7, centered = false): Rule {
  return (w, g, s) => {
    s.ms ??= zeros(w.length);
    s.mg ??= zeros(w.length);
    s.mom ??= zeros(w.length);
    for (let i = 0; i < w.length; i++) {
      s.ms[i] = rho * s.ms[i] + (1 - rho) * g[i] ** 2;
      let denom = s.ms[i];
      if (centered) {
        s.mg[i] = rho * s.mg[i] + (1 - rho) * g[i];
        denom -= s.mg[i] ** 2;
      }
      const inc = (lr * g[i]) / Math.sqrt(denom + eps);
      if (momentum > 0) {
        s.mom[i] = momentum * s.mom[i] + inc;
        w[i] -= s.mom[i];
      } else w[i] -= inc;
    }
  };
}

function adagradRule(lr: number, init = 0.1, eps = 1e-7): Rule {
  return (w, g, s) => {
    s.acc ??= new Array<number>(w.length).fill(init);
    for (let i = 0; i < w.length; i++) {
      s.acc[i] += g[i] ** 2;
      w[i] -= (lr * g[i]) / Math.sqrt(s.acc[i] + eps);
    }
  };
}

const CASES: [string, () => Optimizer, Rule][] = [
  ['sgd', () => tl.optimizers.sgd({ learningRate: 0.1 }), sgdRule(0.1)],
  ['sgd momentum', () => tl.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), sgdRule(0.1, 0.9)],
  [
    'sgd nesterov',
    () => tl.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    sgdRule(0.1, 0.9, true),
  ],
  ['adam', () => tl.optimizers.adam({ learningRate: 0.1 }), adamRule(0.1)],
  [
    'adam (β, ε given)',
    () => tl.optimizers.adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }),
    adamRule(0.05, 0.8, 0.99, 1e-3),
  ],
  ['adamw', () => tl.optimizers.adamw({ learningRate: 0.1, weightDecay: 0.1 }), adamRule(0.1, 0.9, 0.999, 1e-7, 0.1)],
  [
    'adamw (default decay 0.004)',
    () => tl.optimizers.adamw({ learningRate: 0.1 }),
    adamRule(0.1, 0.9, 0.999, 1e-7, 0.004),
  ],
  ['rmsprop', () => tl.optimizers.rmsprop({ learningRate: 0.01 }), rmspropRule(0.01)],
  ['rmsprop momentum', () => tl.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 }), rmspropRule(0.01, 0.9, 0.5)],
  [
    'rmsprop centered',
    () => tl.optimizers.rmsprop({ learningRate: 0.01, centered: true }),
    rmspropRule(0.01, 0.9, 0, 1e-7, true),
  ],
  [
    'rmsprop centered + momentum, rho 0.8',
    () => tl.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.3, centered: true }),
    rmspropRule(0.01, 0.8, 0.3, 1e-7, true),
  ],
  ['adagrad', () => tl.optimizers.adagrad({ learningRate: 0.1 }), adagradRule(0.1)],
  [
    'adagrad (initial accumulator 0.5)',
    () => tl.optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5 }),
    adagradRule(0.1, 0.5),
  ],
];

/** Three steps of opt on a copy of W0 with GRADS; the param after each step. */
function run(opt: Optimizer, w0 = W0, grads = GRADS): number[][] {
  const w = tl.tensor(w0, undefined, { requiresGrad: true });
  return grads.map((g) => {
    w.grad = tl.tensor(g);
    opt.step([w]);
    return Array.from(w.dataSync());
  });
}

function expected(rule: Rule, w0 = W0, grads = GRADS): number[][] {
  const w = [...w0];
  const state: Record<string, number[]> = {};
  return grads.map((g, t) => {
    rule(w, g, state, t + 1);
    return [...w];
  });
}

describe.each(availableBackends())('optimizer updates on %s', (backend) => {
  useBackend(backend);

  it.each(CASES)('%s: three steps follow the published formula', (_, make, rule) => {
    const got = run(make());
    const want = expected(rule);
    want.forEach((w, t) => expectAllClose(got[t], w, { rtol: 1e-5, atol: 1e-6 }));
    // Each step moved the parameter (so the comparison is not vacuous).
    expect(got[2]).not.toEqual(W0);
  });

  it.each(CASES)('%s: slots are per parameter', (_, make, rule) => {
    const opt = make();
    const a = tl.tensor(W0, undefined, { requiresGrad: true });
    const b = tl.tensor([1, 2], undefined, { requiresGrad: true });
    for (const g of GRADS) {
      a.grad = tl.tensor(g);
      b.grad = tl.tensor([g[1], g[0]]);
      opt.step([a, b]);
    }
    expectAllClose(a.dataSync(), expected(rule)[2], { rtol: 1e-5, atol: 1e-6 });
    expectAllClose(
      b.dataSync(),
      expected(
        rule,
        [1, 2],
        GRADS.map((g) => [g[1], g[0]]),
      )[2],
      { rtol: 1e-5, atol: 1e-6 },
    );
  });
});

describe.skipIf(!nativeLoaded)('optimizer updates: native equals reference', () => {
  it.each(CASES)('%s on 1000 elements, 3 steps', (_, make) => {
    const w0 = Array.from(randomArray(1000, 1));
    const grads = [2, 3, 4].map((s) => Array.from(randomArray(1000, s)));
    const native = onBackend('native', () => run(make(), w0, grads));
    const reference = onBackend('reference', () => run(make(), w0, grads));
    native.forEach((w, t) => expectAllClose(w, reference[t], { rtol: 1e-5, atol: 1e-6 }));
  });
});

describe('optimizer API', () => {
  it('step(params) applies each .grad; params without a gradient are skipped; Variables work too', () => {
    const opt = tl.optimizers.sgd({ learningRate: 0.5 });
    const w = tl.tensor([1, -2], undefined, { requiresGrad: true });
    const untouched = tl.tensor([3], undefined, { requiresGrad: true });
    tl.mul(w, w).sum().backward(); // grad = 2w
    opt.step([w, untouched]);
    expect(Array.from(w.dataSync())).toEqual([0, 0]);
    expect(Array.from(untouched.dataSync())).toEqual([3]);
    expect(opt.iterations).toBe(1);

    const d = tl.layers.dense({ units: 1, kernelInitializer: 'ones' });
    d.apply(tl.tensor([[2]]))
      .sum()
      .backward();
    opt.step(d.weights);
    expect(Array.from(d.getWeights()[0].dataSync())).toEqual([0]); // 1 − 0.5·2
    expect(Array.from(d.getWeights()[1].dataSync())).toEqual([-0.5]); // 0 − 0.5·1
  });

  it('zeroGrad clears the gradients', () => {
    const opt = tl.optimizers.adam();
    const w = tl.tensor([1, 2], undefined, { requiresGrad: true });
    w.sum().backward();
    expect(w.grad).not.toBeNull();
    opt.zeroGrad([w]);
    expect(w.grad).toBeNull();
    opt.step([w]);
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
  });

  it('a by-hand training loop converges (adam on a quadratic)', () => {
    const opt = tl.optimizers.adam({ learningRate: 0.1 });
    const w = tl.tensor([3, -2], undefined, { requiresGrad: true });
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad([w]);
      tl.square(tl.sub(w, tl.tensor([1, 1])))
        .sum()
        .backward();
      opt.step([w]);
    }
    expectAllClose(w.dataSync(), [1, 1], { atol: 1e-2 });
  });

  it('a gradient of the wrong size is a TensileError', () => {
    const w = tl.tensor([1, 2], undefined, { requiresGrad: true });
    w.grad = tl.tensor([1, 2, 3]);
    expectTensileError(
      () => tl.optimizers.sgd().step([w]),
      'optimizers.sgd',
      'gradient of shape [3]',
      'parameter of shape [2]',
    );
  });

  it('defaults follow Keras', () => {
    expect(tl.optimizers.sgd().getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    expect(tl.optimizers.adam().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(tl.optimizers.adamw().getConfig()).toEqual({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      weightDecay: 0.004,
    });
    expect(tl.optimizers.rmsprop().getConfig()).toEqual({
      learningRate: 0.001,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
    expect(tl.optimizers.adagrad().getConfig()).toEqual({
      learningRate: 0.001,
      initialAccumulatorValue: 0.1,
      epsilon: 1e-7,
    });
  });

  it.each([
    ['sgd', SGD],
    ['adam', Adam],
    ['adamw', AdamW],
    ['rmsprop', RMSprop],
    ['adagrad', Adagrad],
    ['Adam', Adam],
    ['RMSprop', RMSprop],
    ['SGD', SGD],
  ] as const)("compile accepts '%s'", (name, cls) => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: name, loss: 'mse' });
    expect(m.optimizer).toBeInstanceOf(cls);
  });

  it('compile takes an optimizer object as given', () => {
    const opt = tl.optimizers.sgd({ learningRate: 0.3 });
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: opt, loss: 'mse' });
    expect(m.optimizer).toBe(opt);
  });

  it('an unknown optimizer name suggests the nearest', () => {
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [1] })] });
    expectTensileError(
      () => m.compile({ optimizer: 'adamm', loss: 'mse' }),
      'compile',
      "unknown optimizer 'adamm'",
      "did you mean 'adam'?",
    );
    expectTensileError(() => m.compile({ optimizer: 'rmsporp', loss: 'mse' }), 'compile', "did you mean 'rmsprop'?");
  });

  it('options are validated in the constructor, naming the optimizer and the option', () => {
    let caught: unknown;
    try {
      tl.optimizers.adam({ learningRate: -0.1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(tl.TensileError);
    expect((caught as Error).message).toBe('optimizers.adam: learningRate must be a positive number, got -0.1');
    expectTensileError(
      () => tl.optimizers.sgd({ learningRate: 0 }),
      'optimizers.sgd',
      'learningRate must be a positive number, got 0',
    );
    expectTensileError(() => tl.optimizers.sgd({ learningRate: NaN }), 'optimizers.sgd', 'got NaN');
    expectTensileError(
      () => tl.optimizers.sgd({ momentum: 1.5 }),
      'optimizers.sgd',
      'momentum must be a number in [0, 1), got 1.5',
    );
    expectTensileError(() => tl.optimizers.adam({ beta1: 1 }), 'optimizers.adam', 'beta1', 'got 1');
    expectTensileError(() => tl.optimizers.adam({ beta2: -0.5 }), 'optimizers.adam', 'beta2');
    expectTensileError(
      () => tl.optimizers.adam({ epsilon: -1 }),
      'optimizers.adam',
      'epsilon must be a non-negative number, got -1',
    );
    expectTensileError(() => tl.optimizers.adamw({ weightDecay: -0.1 }), 'optimizers.adamw', 'weightDecay');
    expectTensileError(() => tl.optimizers.adamw({ learningRate: -1 }), 'optimizers.adamw', 'learningRate');
    expectTensileError(() => tl.optimizers.rmsprop({ rho: 1 }), 'optimizers.rmsprop', 'rho');
    expectTensileError(() => tl.optimizers.rmsprop({ momentum: -0.1 }), 'optimizers.rmsprop', 'momentum');
    expectTensileError(
      () => tl.optimizers.adagrad({ initialAccumulatorValue: -1 }),
      'optimizers.adagrad',
      'initialAccumulatorValue',
    );
  });

  it('learningRate can be changed, and is validated when set', () => {
    const opt = tl.optimizers.adam({ learningRate: 0.1 });
    opt.learningRate = 0.01;
    expect(opt.learningRate).toBe(0.01);
    expect(opt.getConfig().learningRate).toBe(0.01);
    expectTensileError(
      () => (opt.learningRate = -1),
      'optimizers.adam',
      'learningRate must be a positive number, got -1',
    );
    expect(opt.learningRate).toBe(0.01);
  });
});
