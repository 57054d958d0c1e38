import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend } from '../../lib/backend/index.js';
import * as tl from '../../lib/index.js';
import { setStepPlans } from '../../lib/models/plan/compiled.js';
import { EvaluationStep, TrainingStep } from '../../lib/models/step.js';
import { nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { onBackendAsync } from '../helpers/ops.js';

// fit's compiled step running many batches a native call (TrainingStep.runSteps: one compiled run replayed for
// every full batch between two callbacks) against the op-by-op step: with plans off, the same model trained the
// same way must end with the same bits in its weights, optimizer state and history.

type Act = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';

function model(
  seed: number,
  sizes: number[],
  acts: Act[],
  loss: string,
  metrics: string[],
  extra?: (m: tl.Sequential) => void,
  optimizer: () => tl.optimizers.Optimizer = () => tl.optimizers.adam({ learningRate: 0.01 }),
) {
  tl.setSeed(seed);
  const m = tl.sequential();
  acts.forEach((activation, i) =>
    m.add(tl.layers.dense({ units: sizes[i + 1], activation, ...(i === 0 ? { inputShape: [sizes[0]] } : {}) })),
  );
  extra?.(m);
  m.compile({ optimizer: optimizer(), loss, metrics });
  return m;
}

function data(seed: number, n: number, features: number, classes: number, oneHot: boolean) {
  tl.setSeed(seed);
  const x = tl.randn([n, features]);
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + (i % 3)) % classes);
  const y = oneHot ? tl.utils.toCategorical(labels, classes) : tl.rand([n, classes]);
  return { x, y };
}

/** Trains twice (compiled, then op by op with plans off); returns both and the batches each many-batch call ran. */
async function both(
  make: () => tl.Sequential,
  x: tl.Tensor,
  y: tl.Tensor,
  fit: Parameters<tl.Sequential['fit']>[2] = {},
) {
  const spy = vi.spyOn(TrainingStep.prototype, 'runSteps');
  const a = make();
  const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, ...fit });
  const calls = spy.mock.results.map((r) => r.value as number).filter((n) => n > 0);
  spy.mockRestore();
  setStepPlans(false);
  try {
    const b = make();
    const hb = await b.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, ...fit });
    return { a, b, ha, hb, calls, manySteps: calls.reduce((t, s) => t + s, 0) };
  } finally {
    setStepPlans(true);
  }
}

function expectSameTraining(r: Awaited<ReturnType<typeof both>>) {
  expect(r.a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
    r.b.getWeights().map((w) => Array.from(w.dataSync())),
  );
  const oa = r.a.optimizer!,
    ob = r.b.optimizer!;
  expect(oa.iterations).toBe(ob.iterations);
  r.a.trainableVariables().forEach((v, i) => {
    const sa = oa.getSlots(v)!,
      sb = ob.getSlots(r.b.trainableVariables()[i])!;
    expect(sa.map((s) => Array.from(s))).toEqual(sb.map((s) => Array.from(s)));
  });
  expect(r.ha.history).toEqual(r.hb.history);
}

// 100 rows in batches of 16: 6 full batches an epoch and one of 4. The first two of each size are recorded (op by op;
// more when the first step creates the optimizer's slots, which replans); the others, at most 16 full ones and the
// third epoch's short one, replay through runSteps, many a call as fit's chunking (sized by the clock) allows.
const manyOf = (r: { manySteps: number; calls: number[] }) => {
  expect(r.manySteps).toBeGreaterThanOrEqual(12);
  expect(r.manySteps).toBeLessThanOrEqual(17);
  expect(Math.max(...r.calls)).toBeGreaterThan(1);
};

describe.skipIf(!nativeLoaded)('fit: many batches a native call', () => {
  afterEach(() => setStepPlans(true));

  const cases: [string, number[], Act[], string, string[], boolean][] = [
    [
      'W1: binary crossentropy on a softmax, accuracy',
      [10, 10, 10, 2],
      ['relu', 'relu', 'softmax'],
      'binaryCrossentropy',
      ['accuracy'],
      true,
    ],
    [
      'categorical crossentropy on a softmax (the fused-logits gradient), accuracy',
      [6, 12, 4],
      ['tanh', 'softmax'],
      'categoricalCrossentropy',
      ['accuracy'],
      true,
    ],
    [
      'binary crossentropy on a sigmoid (the fused-logits gradient), binaryAccuracy',
      [5, 8, 3],
      ['relu', 'sigmoid'],
      'binaryCrossentropy',
      ['binaryAccuracy'],
      true,
    ],
    ['mean squared error, linear output, no metric', [4, 7, 2], ['sigmoid', 'linear'], 'meanSquaredError', [], false],
    [
      'categorical crossentropy on a sigmoid output (probabilities, clipped), categoricalAccuracy',
      [4, 5, 3],
      ['relu', 'sigmoid'],
      'categoricalCrossentropy',
      ['categoricalAccuracy'],
      true,
    ],
    ['huber loss, mse metric', [4, 6, 2], ['relu', 'linear'], 'huber', ['mse'], false],
  ];
  for (const [name, sizes, acts, loss, metrics, oneHot] of cases)
    it(`trains bit for bit as the op-by-op step does: ${name}`, async () => {
      const { x, y } = data(3, 100, sizes[0], sizes[sizes.length - 1], oneHot);
      const r = await both(() => model(11, sizes, acts, loss, metrics), x, y);
      manyOf(r);
      expect(Math.max(...r.calls)).toBeGreaterThan(1);
      expectSameTraining(r);
    });

  const optimizers: [string, () => tl.optimizers.Optimizer][] = [
    ['sgd', () => tl.optimizers.sgd({ learningRate: 0.1 })],
    ['sgd with nesterov momentum', () => tl.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['adamw', () => tl.optimizers.adamw({ learningRate: 0.01, weightDecay: 0.01 })],
    [
      'rmsprop, centered, with momentum',
      () => tl.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
    ],
    ['rmsprop', () => tl.optimizers.rmsprop({ learningRate: 0.01 })],
    ['adagrad', () => tl.optimizers.adagrad({ learningRate: 0.1 })],
  ];
  for (const [name, optimizer] of optimizers)
    it(`runs the optimizer's update in the same call, each step its own rule: ${name}`, async () => {
      const { x, y } = data(7, 100, 6, 3, true);
      const r = await both(
        () => model(13, [6, 9, 3], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy'], undefined, optimizer),
        x,
        y,
      );
      manyOf(r);
      expectSameTraining(r);
    });

  const layered: [string, (m: tl.Sequential) => void][] = [
    ['dropout (a new mask each step)', (m) => m.add(tl.layers.dropout({ rate: 0.3 }))],
    ['batch normalization (batch statistics, moving averages)', (m) => m.add(tl.layers.batchNormalization())],
  ];
  it.each(layered)('runs many batches a call with %s', async (_name, extra) => {
    const { x, y } = data(9, 100, 5, 3, true);
    const r = await both(
      () =>
        model(23, [5, 6, 3], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy'], (m) => {
          extra(m);
          m.add(tl.layers.dense({ units: 3, activation: 'softmax' }));
        }),
      x,
      y,
    );
    manyOf(r);
    expectSameTraining(r);
  });

  it('leaves a subclass with its own update() to update after each replay, one batch a call', async () => {
    class HalfSgd extends tl.optimizers.Optimizer {
      readonly className = 'HalfSgd';
      constructor() {
        super('HalfSgd', 0.1);
      }
      protected createSlots(): Float32Array[] {
        return [];
      }
      protected override update(_k: unknown, param: Float32Array, grad: Float32Array): void {
        for (let i = 0; i < param.length; i++) param[i] -= 0.5 * this.learningRate * grad[i];
      }
      getConfig() {
        return { learningRate: this.learningRate };
      }
    }
    const { x, y } = data(8, 64, 4, 2, true);
    const r = await both(
      () =>
        model(
          14,
          [4, 5, 2],
          ['tanh', 'softmax'],
          'categoricalCrossentropy',
          ['accuracy'],
          undefined,
          () => new HalfSgd(),
        ),
      x,
      y,
    );
    expect(r.manySteps).toBe(0);
    expectSameTraining(r);
  });

  it('runs one batch a call when a callback has per-batch hooks, and passes it the running logs', async () => {
    const { x, y } = data(9, 70, 4, 2, true);
    const batches: number[] = [],
      losses: number[] = [];
    const cb = { onBatchEnd: (b: number, logs: tl.Logs) => void (batches.push(b), losses.push(logs.loss)) };
    const r = await both(
      () => model(15, [4, 6, 2], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']),
      x,
      y,
      { callbacks: [cb] },
    );
    expect(r.calls.every((n) => n === 1)).toBe(true); // one batch a call, still without a JavaScript copy of its rows
    expect(batches).toEqual(Array.from({ length: 6 }, () => [0, 1, 2, 3, 4]).flat()); // compiled, then op by op
    expect(losses.slice(0, 15)).toEqual(losses.slice(15));
    expectSameTraining(r);
  });

  it('yields to the event loop between its many-batch calls: an interval keeps ticking, no pause is long', async () => {
    const { x, y } = data(11, 4096, 10, 2, true);
    const m = model(17, [10, 256, 256, 2], ['relu', 'relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']);
    const spy = vi.spyOn(TrainingStep.prototype, 'runSteps');
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 1);
    const t0 = performance.now();
    await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    const ms = performance.now() - t0;
    clearInterval(timer);
    const steps = spy.mock.results.map((c) => c.value as number);
    spy.mockRestore();
    // every full batch but the two recorded ones, less those run one a call while the chunking calibrates
    expect(steps.reduce((a, b) => a + b, 0)).toBeGreaterThan(3 * 256 - 20);
    expect(Math.max(...steps)).toBeGreaterThan(1); // how many a call depends on the machine's speed
    // Each call runs about 2 ms of batches; a loop that never yielded would give no tick before fit resolved.
    expect(gaps.length).toBeGreaterThanOrEqual(Math.min(10, ms / 20));
    expect(Math.max(...gaps)).toBeLessThan(Math.max(50, ms / 4));
  });

  it('computes validation losses and metrics as the op-by-op evaluation does', async () => {
    const { x, y } = data(12, 120, 6, 3, true);
    const r = await both(
      () => model(20, [6, 8, 3], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']),
      x,
      y,
      { validationSplit: 0.25 },
    );
    expect(Object.keys(r.ha.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expectSameTraining(r);
  });

  it('evaluate and evaluateAsync run many batches a call and equal the op-by-op evaluation', async () => {
    const { x, y } = data(13, 90, 6, 3, true);
    const m = model(21, [6, 8, 3], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']);
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    m.layers[0].trainable = false; // evaluation does not need trainable weights
    const spy = vi.spyOn(EvaluationStep.prototype, 'runSteps');
    const compiled = m.evaluate(x, y, { batchSize: 20, verbose: 0 });
    const compiledAsync = await m.evaluateAsync(x, y, { batchSize: 20, verbose: 0 });
    // 4 full batches of 20 each time, the first two of the first call recorded
    expect(spy.mock.results.reduce((t, r) => t + (r.value as number), 0)).toBeGreaterThan(1);
    spy.mockRestore();
    setStepPlans(false);
    const opByOp = m.evaluate(x, y, { batchSize: 20, verbose: 0 });
    setStepPlans(true);
    expect(compiledAsync).toEqual(compiled);
    expect(compiled).toEqual(opByOp);
    expect(compiled).toHaveLength(2);
  });

  it('follows a learning-rate schedule set between epochs', async () => {
    const { x, y } = data(10, 80, 5, 3, true);
    const schedule = () => tl.callbacks.learningRateScheduler((epoch: number) => 0.02 * 0.5 ** epoch);
    const r = await both(
      () => model(16, [5, 7, 3], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']),
      x,
      y,
      { callbacks: [schedule()] },
    );
    expect(r.a.optimizer!.learningRate).toBeCloseTo(0.005, 10);
    expect(r.manySteps).toBeGreaterThan(0);
    expectSameTraining(r);
  });

  it('is exact with shuffling off and a last partial batch', async () => {
    const { x, y } = data(4, 37, 3, 2, true);
    const r = await both(
      () => model(12, [3, 4, 2], ['relu', 'softmax'], 'categoricalCrossentropy', ['accuracy']),
      x,
      y,
      { shuffle: false, batchSize: 10 },
    );
    expect(r.manySteps).toBeGreaterThan(0);
    expectSameTraining(r);
  });

  const oneByOne: [string, () => tl.Sequential, Parameters<tl.Sequential['fit']>[2]?][] = [
    [
      'class weights (a sample weight per batch, made in JavaScript)',
      () => model(1, [3, 4, 2], ['relu', 'softmax'], 'categoricalCrossentropy', []),
      { classWeight: { 0: 1, 1: 3 } },
    ],
    [
      'a constrained kernel (its projection runs in JavaScript after the update)',
      () => {
        tl.setSeed(1);
        const m = tl.sequential({
          layers: [
            tl.layers.dense({ units: 4, inputShape: [3], kernelConstraint: tl.constraints.maxNorm({ maxValue: 1 }) }),
            tl.layers.dense({ units: 2, activation: 'softmax' }),
          ],
        });
        m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
        return m;
      },
    ],
  ];
  it.each(oneByOne)('runs one batch a call with %s, still exactly', async (_name, make, extra) => {
    const { x, y } = data(5, 40, 3, 2, true);
    const r = await both(make, x, y, { batchSize: 8, ...extra });
    expect(r.manySteps).toBe(0);
    expectSameTraining(r);
  });

  it('runs one batch a call on the reference backend (no compiled runs), with the same numbers', async () => {
    await onBackendAsync('reference', async () => {
      const { x, y } = data(6, 40, 3, 2, true);
      const r = await both(() => model(1, [3, 4, 2], ['relu', 'softmax'], 'categoricalCrossentropy', []), x, y, {
        batchSize: 8,
      });
      expect(r.manySteps).toBe(0);
      expectSameTraining(r);
    });
  });

  describe('predict of a Dense stack: one native call (mlpForward)', () => {
    const w6 = () => model(18, [784, 512, 256, 10], ['relu', 'relu', 'softmax'], 'categoricalCrossentropy', []);
    it.each([1, 3, 40])('equals the op-by-op forward for %i row(s), predict and predictAsync', async (rows) => {
      const m = w6();
      tl.setSeed(19);
      const x = tl.rand([rows, 784]);
      const spy = vi.spyOn(backend(), 'mlpForward');
      const a = m.predict(x, { batchSize: 16 });
      const b = await m.predictAsync(x, { batchSize: 16 });
      expect(spy).toHaveBeenCalledTimes(2 * Math.ceil(rows / 16));
      spy.mockRestore();
      tl.setDebug(true);
      const c = m.predict(x, { batchSize: 16 });
      tl.setDebug(false);
      expect(a.shape).toEqual([rows, 10]);
      expect(b.dataSync()).toEqual(a.dataSync());
      expectAllClose(a.dataSync(), c.dataSync(), { rtol: 1e-5, atol: 1e-7 });
    });

    it('is not used with another layer, an unbuilt model, or input of the wrong width (the op-by-op errors stay)', () => {
      const spy = vi.spyOn(backend(), 'mlpForward');
      const withDropout = model(1, [3, 4, 2], ['relu', 'softmax'], 'categoricalCrossentropy', [], (m) =>
        m.add(tl.layers.dropout({ rate: 0.5 })),
      );
      withDropout.predict(tl.ones([2, 3]));
      const unbuilt = tl.sequential({ layers: [tl.layers.dense({ units: 2 })] });
      expect(unbuilt.predict(tl.ones([2, 5])).shape).toEqual([2, 2]);
      expect(spy).not.toHaveBeenCalled();
      expect(() => w6().predict(tl.ones([1, 783]))).toThrow(tl.TensileError);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      expect(unbuilt.predict(tl.ones([2, 5])).shape).toEqual([2, 2]); // built now: the fused call
    });

    it('leaves zero-width layers to the op-by-op path (empty products, no native size error)', async () => {
      const m = tl.sequential({
        layers: [tl.layers.dense({ units: 3, inputShape: [0], activation: 'relu' }), tl.layers.dense({ units: 2 })],
      });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const spy = vi.spyOn(backend(), 'mlpForward');
      expect(m.predict(tl.zeros([2, 0])).shape).toEqual([2, 2]);
      expect(m.predict(tl.zeros([0, 0])).shape).toEqual([0, 2]);
      await m.fit(tl.zeros([4, 0]), tl.zeros([4, 2]), { epochs: 2, batchSize: 2, verbose: 0 });
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    it('follows weights set after the first predict', () => {
      const m = model(2, [6, 5, 3], ['relu', 'linear'], 'meanSquaredError', []);
      const x = tl.ones([1, 6]);
      m.predict(x);
      m.setWeights(m.getWeights().map((w) => tl.zeros([...w.shape])));
      expect(Array.from(m.predict(x).dataSync())).toEqual([0, 0, 0]);
    });
  });
});
