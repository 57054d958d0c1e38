// Compiled steps (models/plan/compiled.ts): a replayed step gives bit-identical numbers to the op-by-op step,
// for every layer kind, loss, metric and optimizer, and replans when what it depends on changes.
import { afterEach, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import type { Backend } from '../../lib/backend/backend.js';
import { setStepPlans } from '../../lib/models/plan/compiled.js';
import { modelSteps } from '../../lib/models/step.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { availableBackends, useBackend } from '../helpers/ops.js';
import { rng } from '../helpers/random.js';

type L = tl.layers.Layer;
interface Case {
  name: string;
  layers: () => L[];
  x: [number, ...number[]];
  /** Integer inputs in [0, ints) (an embedding's indices, 0 masked). */
  ints?: number;
  /** Classes of one-hot targets; 0: regression targets of width `units`; 'sparse': integer labels. */
  y: { classes: number } | { units: number } | { sparse: number };
  loss: string;
  metrics?: string[];
  optimizer?: () => tl.optimizers.Optimizer;
  /** Runs the training step op by op: why (a substring of the reason). */
  opByOp?: string;
  /** Has recurrent layers: op by op on the cuda backend (their steps run on the CPU). */
  recurrent?: true;
  /** The native plan is not one compiled run (a host step: one-hot labels, a recurrent layer's time-major layout). */
  oneRun?: false;
}

const dense = (units: number, extra: object = {}) => tl.layers.dense({ units, activation: 'relu', ...extra });
const softmax = (classes: number) => tl.layers.dense({ units: classes, activation: 'softmax' });

/** A plain SGD with its own update(): the arithmetic in JavaScript, on the plan's gradients. */
class HandSgd extends tl.optimizers.SGD {
  protected override update(_k: Backend, param: Float32Array, grad: Float32Array): void {
    for (let i = 0; i < param.length; i++) param[i] -= 0.05 * grad[i];
  }
}

const CASES: Case[] = [
  {
    name: 'dense + dropout, adam, binaryCrossentropy + accuracy',
    layers: () => [dense(6, { inputShape: [5] }), tl.layers.dropout({ rate: 0.3 }), softmax(2)],
    x: [5],
    y: { classes: 2 },
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  },
  {
    name: 'dense + batchNormalization, rmsprop (centered, momentum), categoricalCrossentropy',
    layers: () => [dense(6, { inputShape: [5] }), tl.layers.batchNormalization(), softmax(3)],
    x: [5],
    y: { classes: 3 },
    loss: 'categoricalCrossentropy',
    metrics: ['categoricalAccuracy', 'mse'],
    optimizer: () => tl.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
  },
  {
    name: 'conv2d + batchNormalization (statistics over batch, rows and columns) + gamma/beta-less batchNormalization, adam',
    layers: () => [
      tl.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [5, 5, 2] }),
      tl.layers.batchNormalization({ momentum: 0.9 }),
      tl.layers.flatten(),
      tl.layers.batchNormalization({ center: false, scale: false }),
      softmax(2),
    ],
    x: [5, 5, 2],
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  },
  {
    name: 'dense + layerNormalization, sgd',
    layers: () => [dense(6, { inputShape: [5] }), tl.layers.layerNormalization(), softmax(3)],
    x: [5],
    y: { classes: 3 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
    optimizer: () => tl.optimizers.sgd({ learningRate: 0.05 }),
  },
  {
    name: 'linear dense, sgd nesterov, mse + mae',
    layers: () => [tl.layers.dense({ units: 4, inputShape: [3] }), tl.layers.dense({ units: 2 })],
    x: [3],
    y: { units: 2 },
    loss: 'meanSquaredError',
    metrics: ['mae'],
    optimizer: () => tl.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  },
  {
    name: 'mae loss, adagrad, frozen first layer',
    layers: () => [
      tl.layers.dense({ units: 4, inputShape: [3], trainable: false }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    x: [3],
    y: { units: 1 },
    loss: 'meanAbsoluteError',
    optimizer: () => tl.optimizers.adagrad({ learningRate: 0.1 }),
  },
  {
    name: 'dense + reshape + conv2dTranspose (same, stride 2) + flatten, adam, mse',
    layers: () => [
      dense(8, { inputShape: [4] }),
      tl.layers.reshape({ targetShape: [2, 2, 2] }),
      tl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tl.layers.flatten(),
      tl.layers.dense({ units: 2 }),
    ],
    x: [4],
    y: { units: 2 },
    loss: 'meanSquaredError',
  },
  {
    name: 'conv2d + maxPooling2d + flatten, adamw',
    layers: () => [
      tl.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
      tl.layers.maxPooling2d({ poolSize: 2 }),
      tl.layers.flatten(),
      softmax(3),
    ],
    x: [6, 6, 2],
    y: { classes: 3 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
    optimizer: () => tl.optimizers.adamw({ learningRate: 0.01 }),
  },
  {
    name: 'a custom optimizer subclass with its own update()',
    layers: () => [dense(5, { inputShape: [4] }), tl.layers.dropout({ rate: 0.5 }), softmax(2)],
    x: [4],
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
    optimizer: () => new HandSgd(),
  },
  {
    name: 'sparse labels, sparseCategoricalCrossentropy (one-hot rows made by a host step)',
    oneRun: false,
    layers: () => [dense(5, { inputShape: [4] }), softmax(3)],
    x: [4],
    y: { sparse: 3 },
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  },
  {
    name: 'dense + layerNormalization + a softmax layer, mse (softmax backward)',
    layers: () => [
      dense(6, { inputShape: [5] }),
      tl.layers.layerNormalization(),
      tl.layers.dense({ units: 3 }),
      tl.layers.softmax(),
    ],
    x: [5],
    y: { units: 3 },
    loss: 'meanSquaredError',
    metrics: ['mae'],
  },
  {
    name: 'LSTM',
    oneRun: false,
    layers: () => [tl.layers.lstm({ units: 4, inputShape: [4, 3] }), softmax(2)],
    x: [4, 3],
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    recurrent: true,
  },
  {
    name: 'embedding with maskZero + LSTM (masks), returnSequences + goBackwards LSTM',
    oneRun: false,
    layers: () => [
      tl.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }),
      tl.layers.lstm({ units: 4, returnSequences: true, goBackwards: true }),
      tl.layers.lstm({ units: 3 }),
      softmax(2),
    ],
    x: [4],
    ints: 5,
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    recurrent: true,
  },
  {
    name: 'GRU (reset after) with recurrent dropout, SimpleRNN',
    oneRun: false,
    layers: () => [
      tl.layers.gru({ units: 4, inputShape: [4, 3], returnSequences: true, recurrentDropout: 0.3 }),
      tl.layers.simpleRNN({ units: 3 }),
      softmax(2),
    ],
    x: [4, 3],
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
    recurrent: true,
  },
  {
    name: 'GRU reset before, masked, with recurrent dropout (returnSequences), and without',
    oneRun: false,
    layers: () => [
      tl.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }),
      tl.layers.gru({ units: 4, resetAfter: false, returnSequences: true, recurrentDropout: 0.3 }),
      tl.layers.gru({ units: 3, resetAfter: false, goBackwards: true }),
      softmax(2),
    ],
    x: [4],
    ints: 5,
    y: { classes: 2 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
    recurrent: true,
  },
];

function data(c: Case, n: number, seed: number): { x: tl.Tensor; y: tl.Tensor } {
  const r = rng(seed);
  const width = c.x.reduce((a, b) => a * b, 1);
  const xv = Float32Array.from({ length: n * width }, () =>
    c.ints ? Math.floor(r() * c.ints) : r() < 0.1 ? 0 : r() * 2 - 1,
  );
  const x = tl.tensor(xv, [n, ...c.x]);
  if ('classes' in c.y) {
    const k = c.y.classes;
    return { x, y: tl.utils.toCategorical(tl.tensor(Array.from({ length: n }, () => Math.floor(r() * k))), k) };
  }
  if ('sparse' in c.y) {
    const k = c.y.sparse;
    return {
      x,
      y: tl.tensor(
        Array.from({ length: n }, () => Math.floor(r() * k)),
        [n],
      ),
    };
  }
  const u = c.y.units;
  return {
    x,
    y: tl.tensor(
      Float32Array.from({ length: n * u }, () => r()),
      [n, u],
    ),
  };
}

/** Train, validate, evaluate and predict with plans on or off: everything a user can read back. */
async function outcome(c: Case, plans: boolean, fitOptions: tl.FitOptions = {}) {
  setStepPlans(plans);
  tl.setSeed(7);
  const model = tl.sequential({ layers: c.layers() });
  model.compile({
    optimizer: c.optimizer?.() ?? tl.optimizers.adam({ learningRate: 0.01 }),
    loss: c.loss,
    metrics: c.metrics,
  });
  const { x, y } = data(c, 45, 3);
  const h = await model.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, validationSplit: 0.2, ...fitOptions });
  const evaluated = model.evaluate(x, y, { batchSize: 16, verbose: 0 });
  const predicted = Array.from(model.predict(x, { batchSize: 16 }).dataSync());
  return {
    model,
    x,
    y,
    history: h.history,
    weights: model.getWeights().map((w) => Array.from(w.dataSync())),
    evaluated,
    predicted,
  };
}

const shapes = (x: tl.Tensor, y: tl.Tensor, rows: number): Shape[] => [
  [rows, ...x.shape.slice(1)],
  [rows, ...y.shape.slice(1)],
];

afterEach(() => setStepPlans(true));

describe.each(availableBackends())('compiled steps on %s', (backend) => {
  useBackend(backend);

  it.each(CASES)('replay equals op by op: $name', async (c) => {
    const a = await outcome(c, false);
    const b = await outcome(c, true);
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
    expect(b.evaluated).toEqual(a.evaluated);
    expect(b.predicted).toEqual(a.predicted);
    const train = modelSteps(b.model).training!.compiled;
    // 36 training rows in batches of 8: 4 full batches and one of 4 each epoch, each shape planned after two recordings.
    const why = train.whyNot(shapes(b.x, b.y, 8));
    const opByOp = c.opByOp ?? (backend === 'cuda' && c.recurrent ? 'cuda' : undefined);
    if (opByOp) expect(why).toContain(opByOp);
    else {
      expect(why).toBe('');
      // one compiled run on the native backend: fit ran its full batches many a call (reference, cuda: no such runs)
      expect(train.runsWhole(shapes(b.x, b.y, 8))).toBe(backend === 'native' && c.oneRun !== false);
      expect(train.replays(shapes(b.x, b.y, 8))).toBe(true);
      expect(train.replays(shapes(b.x, b.y, 4))).toBe(true);
      expect(modelSteps(b.model).evaluation.compiled.replays(shapes(b.x, b.y, 16))).toBe(true);
    }
  });

  it.runIf(backend === 'native')('replays runs of native kernels as native plans, with the same numbers', async () => {
    const c: Case = {
      name: 'dense + dropout + dense, wide enough for native element-wise kernels',
      layers: () => [dense(16, { inputShape: [10] }), tl.layers.dropout({ rate: 0.2 }), dense(16), softmax(2)],
      x: [10],
      y: { classes: 2 },
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    };
    const a = await outcome(c, false);
    const b = await outcome(c, true);
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
    const train = modelSteps(b.model).training!.compiled;
    expect(train.replays(shapes(b.x, b.y, 8))).toBe(true);
    // [mask product, dense, dense] and [denseBackward, mask product, denseBackward, ..., 6 optimizer updates]
    expect(train.compiledCalls(shapes(b.x, b.y, 8))).toBeGreaterThanOrEqual(13);
  });

  it('runs the optimizer inside the plan, reading the learning rate and step live; new slots replan', async () => {
    const run = async (plans: boolean, optimizer: () => tl.optimizers.Optimizer) => {
      setStepPlans(plans);
      tl.setSeed(5);
      const c = CASES[1];
      const model = tl.sequential({
        layers: [dense(12, { inputShape: [10] }), tl.layers.dropout({ rate: 0.2 }), softmax(3)],
      });
      const opt = optimizer();
      model.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const { x, y } = data({ ...c, x: [10], y: { classes: 3 } }, 40, 5);
      // the learning rate changes after every batch: a replayed update must read it, not the recorded one
      const decay = { onBatchEnd: () => void (opt.learningRate = opt.learningRate * 0.9) };
      const h1 = await model.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, callbacks: [decay] });
      for (const w of model.trainableWeights)
        opt.setSlots(
          w,
          opt.getSlots(w)!.map((s) => s.map(() => 0.01)),
        );
      const h2 = await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 });
      return {
        h: [h1.history, h2.history],
        w: model.getWeights().map((w) => Array.from(w.dataSync())),
        iterations: opt.iterations,
        replays: modelSteps(model).training!.compiled.replays(shapes(x, y, 10)),
      };
    };
    for (const optimizer of [
      () => tl.optimizers.adam({ learningRate: 0.02 }),
      () => tl.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }),
      () => tl.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
    ]) {
      const a = await run(false, optimizer);
      const b = await run(true, optimizer);
      expect(b.h).toEqual(a.h);
      expect(b.w).toEqual(a.w);
      expect(b.iterations).toBe(20);
      expect(b.iterations).toBe(a.iterations);
      expect(b.replays).toBe(true);
    }
  });

  it('replay equals op by op: a transformer block (attention with a causal mask and dropout, layer norm, residuals)', async () => {
    const run = async (plans: boolean) => {
      setStepPlans(plans);
      tl.setSeed(9);
      const L = tl.layers;
      const input = tl.input({ shape: [5, 8] });
      const att = L.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.2 }).apply([input, input], {
        useCausalMask: true,
      }) as tl.SymbolicTensor;
      const h = L.layerNormalization().apply(L.add().apply([input, att])) as tl.SymbolicTensor;
      const f = L.dense({ units: 8 }).apply(L.dense({ units: 12, activation: 'relu' }).apply(h)) as tl.SymbolicTensor;
      const y = L.layerNormalization().apply(L.add().apply([h, f])) as tl.SymbolicTensor;
      const out = L.dense({ units: 3, activation: 'softmax' }).apply(
        L.globalAveragePooling1d().apply(y),
      ) as tl.SymbolicTensor;
      const model = tl.model({ inputs: input, outputs: out });
      model.compile({
        optimizer: tl.optimizers.adam({ learningRate: 0.01 }),
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
      });
      const r = rng(4);
      const x = tl.tensor(
        Float32Array.from({ length: 36 * 40 }, () => r() * 2 - 1),
        [36, 5, 8],
      );
      const labels = tl.utils.toCategorical(tl.tensor(Array.from({ length: 36 }, () => Math.floor(r() * 3))), 3);
      const hist = await model.fit(x, labels, { epochs: 3, batchSize: 8, verbose: 0 });
      const evaluated = model.evaluate(x, labels, { batchSize: 16, verbose: 0 });
      const predicted = Array.from((model.predict(x, { batchSize: 16 }) as tl.Tensor).dataSync());
      return {
        model,
        x,
        labels,
        hist: hist.history,
        evaluated,
        predicted,
        w: model.getWeights().map((w) => Array.from(w.dataSync())),
      };
    };
    const a = await run(false);
    const b = await run(true);
    expect(b.hist).toEqual(a.hist);
    expect(b.w).toEqual(a.w);
    expect(b.evaluated).toEqual(a.evaluated);
    expect(b.predicted).toEqual(a.predicted);
    const train = modelSteps(b.model).training!.compiled;
    expect(train.whyNot(shapes(b.x, b.labels, 8))).toBe('');
    expect(train.replays(shapes(b.x, b.labels, 8))).toBe(true);
  });

  it('class weights and shuffle: false replay exactly too', async () => {
    const c = CASES[0];
    const o = { classWeight: { 0: 1, 1: 3 }, shuffle: false };
    const a = await outcome(c, false, o);
    const b = await outcome(c, true, o);
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
  });

  it('replans when trainable flags, the optimizer or the weights change, and keeps exact', async () => {
    const run = async (plans: boolean) => {
      setStepPlans(plans);
      tl.setSeed(11);
      const c = CASES[1];
      const model = tl.sequential({ layers: c.layers() });
      model.compile({ optimizer: 'adam', loss: c.loss, metrics: c.metrics });
      const { x, y } = data(c, 40, 5);
      const fit = () => model.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0 });
      const h1 = await fit();
      model.layers[0].trainable = false;
      const h2 = await fit();
      model.layers[0].trainable = true;
      model.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.1 }), loss: c.loss, metrics: c.metrics });
      const h3 = await fit();
      model.setWeights(model.getWeights().map((w) => tl.mul(w, 0.5)));
      const h4 = await fit();
      return {
        h: [h1, h2, h3, h4].map((h) => h.history),
        w: model.getWeights().map((w) => Array.from(w.dataSync())),
        model,
        x,
        y,
      };
    };
    const a = await run(false);
    const b = await run(true);
    expect(b.h).toEqual(a.h);
    expect(b.w).toEqual(a.w);
    expect(modelSteps(b.model).training!.compiled.replays(shapes(b.x, b.y, 10))).toBe(true);
  });

  it('a bad label met in a replayed step is still the TensileError of the op-by-op step', async () => {
    const c = CASES.find((k) => k.loss === 'sparseCategoricalCrossentropy')!;
    tl.setSeed(2);
    const model = tl.sequential({ layers: c.layers() });
    model.compile({ optimizer: 'adam', loss: c.loss });
    const { x, y } = data(c, 40, 4);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
    expect(modelSteps(model).training!.compiled.replays(shapes(x, y, 8))).toBe(true);
    const bad = tl.tensor(
      y.dataSync().map((v, i) => (i === 20 ? 7 : v)),
      y.shape,
    );
    await expect(model.fit(x, bad, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false })).rejects.toThrow(
      /label 7 at row 4/,
    );
  });

  it('debug mode runs op by op and still finds the op that makes a NaN', async () => {
    const c = CASES[0];
    tl.setSeed(1);
    const model = tl.sequential({ layers: c.layers() });
    model.compile({ optimizer: 'adam', loss: c.loss });
    const { x, y } = data(c, 32, 2);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const bad = tl.tensor(
      x.dataSync().map((v, i) => (i === 3 ? Number.NaN : v)),
      x.shape,
    );
    tl.setDebug(true);
    try {
      await expect(model.fit(bad, y, { epochs: 1, batchSize: 8, verbose: 0 })).resolves.toBeDefined();
    } finally {
      tl.setDebug(false);
    }
  });
});

describe('a backend switch between fits', () => {
  it('replans on the new backend, with the numbers of op by op', async () => {
    const [first, second] = availableBackends().slice(0, 2);
    const run = async (plans: boolean) => {
      setStepPlans(plans);
      tl.setSeed(5);
      const c = CASES[0];
      const model = tl.sequential({ layers: c.layers() });
      model.compile({ optimizer: 'adam', loss: c.loss, metrics: c.metrics });
      const { x, y } = data(c, 32, 6);
      const h: unknown[] = [];
      for (const b of [first, second, first]) {
        tl.setBackend(b);
        h.push((await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 })).history);
      }
      return { h, w: model.getWeights().map((w) => Array.from(w.dataSync())) };
    };
    const previous = tl.getBackend();
    try {
      const a = await run(false);
      const b = await run(true);
      expect(b.h).toEqual(a.h);
      expect(b.w).toEqual(a.w);
    } finally {
      tl.setBackend(previous);
    }
  });
});

describe('user layer classes', () => {
  class Doubler extends tl.layers.Layer {
    static override readonly className = 'Doubler';
    calls = 0;
    call(x: tl.Tensor): tl.Tensor {
      this.calls++;
      return tl.mul(x, 2);
    }
  }
  class ReplayableDoubler extends Doubler {
    static readonly replayable = true;
  }
  it('run op by op (their call() runs every batch), unless the class declares itself replayable', async () => {
    for (const [Cls, replays] of [
      [Doubler, false],
      [ReplayableDoubler, true],
    ] as const) {
      const layer = new Cls({ inputShape: [3] });
      const model = tl.sequential({ layers: [layer, tl.layers.dense({ units: 1 })] });
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      await model.fit(tl.ones([40, 3]), tl.ones([40, 1]), { epochs: 2, batchSize: 10, verbose: 0 });
      expect(layer.calls < 8).toBe(replays);
      expect(
        modelSteps(model).training!.compiled.replays([
          [10, 3],
          [10, 1],
        ]),
      ).toBe(replays);
    }
  });
});
