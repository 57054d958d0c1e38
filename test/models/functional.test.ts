import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectSameTensor, expectTensileError, seeded } from '../helpers/ops.js';
import { capture, expectRejects, weightsOf } from './fixtures.js';

const T = (t: tl.Tensor | tl.Tensor[]) => t as tl.Tensor;
const TS = (t: tl.Tensor | tl.Tensor[]) => t as tl.Tensor[];

/** Two inputs (a: [4], b: [3]), two outputs: 'cls' (2-way softmax) and 'reg' (1 unit). */
function twoHeaded(seed = 3) {
  tl.setSeed(seed);
  const a = tl.input({ shape: [4], name: 'a' }),
    b = tl.input({ shape: [3], name: 'b' });
  const h = tl.layers.concatenate().apply([tl.layers.dense({ units: 6, activation: 'tanh' }).apply(a), b]);
  const cls = tl.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = tl.layers.dense({ units: 1, name: 'reg' }).apply(h);
  return tl.model({ inputs: [a, b], outputs: [cls, reg], name: 'two' });
}
const xa = seeded([12, 4], 1),
  xb = seeded([12, 3], 2);
const yCls = tl.utils.toCategorical(tl.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0]), 2),
  yReg = seeded([12, 1], 3);

describe('graphs of layers', () => {
  it('a layer applied twice is shared: one set of weights, two nodes, the same function on both inputs', () => {
    const x1 = tl.input({ shape: [3] }),
      x2 = tl.input({ shape: [3] });
    const shared = tl.layers.dense({ units: 2, name: 'shared' });
    const m = tl.model({ inputs: [x1, x2], outputs: tl.layers.subtract().apply([shared.apply(x1), shared.apply(x2)]) });
    expect(shared.inboundNodes.length).toBe(2);
    expect(m.weights.length).toBe(2);
    const v = seeded([5, 3], 4);
    // f(v) − f(v) = 0 exactly: both calls use the same kernel and bias.
    expect(Array.from(T(m.predict([v, v])).data).every((e) => e === 0)).toBe(true);
    expectTensileError(() => shared.output, 'shared', 'applied 2 times (a shared layer)');
  });

  it('a model is a layer: nested, its weights shared with the outer model; Sequential nests too', () => {
    tl.setSeed(5);
    const inner = tl.sequential({
      layers: [tl.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tl.layers.dense({ units: 2 })],
    });
    expect(inner).toBeInstanceOf(tl.LayersModel);
    const x = tl.input({ shape: [3] });
    const outer = tl.model({ inputs: x, outputs: tl.layers.dense({ units: 1 }).apply(inner.apply(x)) });
    expect(outer.layers.map((l) => l.className)).toEqual(['InputLayer', 'Sequential', 'Dense']);
    expect(outer.countParams()).toBe(16 + 10 + 3);
    const v = seeded([4, 3], 6);
    const direct = tl.matmul(inner.predict(v), outer.layers[2].weights[0].value).add(outer.layers[2].weights[1].value);
    expectSameTensor(T(outer.predict(v)), direct, { rtol: 1e-6 });
    // Freezing the nested model freezes its layers' weights in the outer one.
    inner.trainable = false;
    expect(outer.trainableWeights.length).toBe(2);
  });

  it('feature extraction for transfer: a model cut at an inner layer shares its weights', () => {
    const m = twoHeaded();
    const cut = tl.model({ inputs: m.inputs, outputs: m.getLayer('concatenate').output as tl.SymbolicTensor });
    expect(cut.weights.every((w) => m.weights.includes(w))).toBe(true);
    const feats = T(cut.predict([xa, xb]));
    expect(feats.shape).toEqual([12, 9]);
    const head = m.getLayer('reg');
    expectSameTensor(TS(m.predict([xa, xb]))[1], head.apply(feats), { rtol: 1e-6 });
  });

  it('the summary has Keras\' "Connected to" column', () => {
    const lines: string[] = [];
    twoHeaded().summary(undefined, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toContain('Connected to');
    expect(text).toMatch(/concatenate\S* \(Concatenate\)\s+\(None, 9\)\s+0\s+\['dense\S*\[0\]\[0\]', 'b\[0\]\[0\]'\]/);
    expect(text).toContain('Total params: 60');
  });
});

describe('several inputs and outputs: compile, fit, evaluate, predict', () => {
  it('per-output losses, lossWeights and metrics; History keys as Keras; evaluate = [total, per-output losses, metrics]', async () => {
    const m = twoHeaded();
    m.compile({
      optimizer: tl.optimizers.sgd({ learningRate: 0.1 }),
      loss: { cls: 'categoricalCrossentropy', reg: 'meanSquaredError' },
      lossWeights: { reg: 0.5 },
      metrics: { cls: ['accuracy'] },
    });
    const [total, clsLoss, regLoss, acc] = m.evaluate(
      [xa, xb],
      { cls: yCls, reg: yReg },
      { verbose: 0, batchSize: 12 },
    );
    expect(total).toBeCloseTo(clsLoss + 0.5 * regLoss, 5);
    const [p, r] = TS(m.predict({ a: xa, b: xb }));
    expect(regLoss).toBeCloseTo(tl.losses.meanSquaredError(yReg, r).item(), 5);
    expect(clsLoss).toBeCloseTo(tl.losses.categoricalCrossentropy(yCls, p).item(), 5);
    expect(acc).toBeCloseTo(tl.metrics.categoricalAccuracy(yCls, p).mean().item(), 6);
    const h = await m.fit([xa, xb], [yCls, yReg], { epochs: 3, batchSize: 4, verbose: 0, validationSplit: 0.25 });
    expect(Object.keys(h.history)).toEqual([
      'loss',
      'cls_loss',
      'reg_loss',
      'cls_accuracy',
      'val_loss',
      'val_cls_loss',
      'val_reg_loss',
      'val_cls_accuracy',
    ]);
    expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
  });

  it('training with one loss for both outputs matches a hand-written step of the summed losses', async () => {
    const m = twoHeaded(7),
      ref = twoHeaded(7);
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    await m.fit([xa, xb], [yCls, yReg], { epochs: 1, batchSize: 12, shuffle: false, verbose: 0 });
    const vars = ref.trainableWeights;
    const [p, r] = ref.applyAll([xa, xb]);
    tl.add(tl.losses.meanSquaredError(yCls, p), tl.losses.meanSquaredError(yReg, r)).backward();
    const expected = vars.map((v) => tl.sub(v.value, tl.mul(v.value.grad!, 0.2)));
    m.trainableWeights.forEach((v, i) => expectSameTensor(v.value, expected[i], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('a functional chain trains exactly as the Sequential of the same layers and weights', async () => {
    tl.setSeed(11);
    const seq = tl.sequential({
      layers: [
        tl.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }),
        tl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const x = tl.input({ shape: [4] });
    const fun = tl.model({
      inputs: x,
      outputs: tl.layers
        .dense({ units: 2, activation: 'softmax' })
        .apply(tl.layers.dense({ units: 5, activation: 'relu' }).apply(x)),
    });
    fun.setWeights(seq.getWeights());
    for (const m of [seq, fun])
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const opts = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 } as const;
    const [h1, h2] = [await seq.fit(xa, yCls, opts), await fun.fit(xa, yCls, opts)];
    h1.history.loss.forEach((l, i) => expect(h2.history.loss[i]).toBeCloseTo(Number(l), 5));
    weightsOf(fun).forEach((w, i) => w.forEach((e, j) => expect(e).toBeCloseTo(weightsOf(seq)[i][j], 5)));
  });

  it('predictAsync and evaluateAsync take the same lists; predict batches join per output', async () => {
    const m = twoHeaded();
    m.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'mse'] });
    const sync = TS(m.predict([xa, xb], { batchSize: 5 }));
    const async = TS(await m.predictAsync([xa, xb], { batchSize: 5 }));
    sync.forEach((t, i) => expectSameTensor(async[i], t));
    expect(await m.evaluateAsync([xa, xb], [yCls, yReg], { verbose: 0 })).toEqual(
      m.evaluate([xa, xb], [yCls, yReg], { verbose: 0 }),
    );
    const out = capture();
    m.evaluate([xa, xb], [yCls, yReg], { output: out });
    expect(out.text()).toContain('cls_loss');
  });
});

describe('bad input: TensileErrors naming the layers and shapes, nothing half-built', () => {
  it('graph disconnected, an input that reaches no output, non-symbolic ends, mixed tensors', () => {
    const a = tl.input({ shape: [3], name: 'in_a' }),
      b = tl.input({ shape: [3], name: 'in_b' });
    const y = tl.layers.dense({ units: 2, name: 'd_a' }).apply(a);
    expectTensileError(
      () => tl.model({ inputs: b, outputs: y }),
      'model',
      'graph disconnected',
      "'d_a'",
      "'in_a'",
      'in_b',
    );
    expectTensileError(() => tl.model({ inputs: [a, b], outputs: y }), 'model', "'in_b' reaches no output");
    expectTensileError(
      () => tl.model({ inputs: a, outputs: tl.zeros([2, 3]) as never }),
      'model',
      'outputs[0] is not a symbolic tensor',
      'Tensor',
    );
    expectTensileError(
      () => tl.model({ inputs: y, outputs: y }),
      'model',
      "comes from layer 'd_a' (Dense)",
      'tl.input()',
    );
    expectTensileError(
      () => tl.layers.add({ name: 'mix' }).apply([a, tl.zeros([2, 3])] as never),
      'mix',
      'mixed with real tensors',
    );
    expectTensileError(() => tl.input({ shape: [3], batchShape: [null, 3] }), 'input', 'exactly one of shape');
    expectTensileError(() => tl.input({ shape: [-1] }), 'input', 'non-negative integers');
  });

  it('wrong number or keys of inputs and targets in fit, evaluate and predict', async () => {
    const m = twoHeaded();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expectTensileError(() => m.predict(xa), 'predict', 'has 2 inputs (a, b)', 'list of 2 tensors');
    expectTensileError(() => m.predict([xa]), 'predict', 'list of 1 tensors but the model has 2 inputs');
    expectTensileError(() => m.predict({ a: xa, c: xb }), 'predict', "keyed by 'a', 'c'", "'a', 'b'", 'missing b');
    expectTensileError(() => m.predict([xa, xa]), 'b', 'expected input of shape [null, 3], got [12, 4]');
    expectTensileError(() => m.predict([xa, seeded([5, 3], 1)]), 'predict', 'x[0] has 12 samples but x[1] has 5');
    expectTensileError(() => m.evaluate([xa, xb], { cls: yCls }, { verbose: 0 }), 'evaluate', 'missing reg');
    await expectRejects(
      m.fit([xa, xb], [yCls], { verbose: 0 }),
      'fit',
      'list of 1 tensors but the model has 2 outputs',
    );
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: ['mse'] }),
      'compile',
      'loss has 1 entries but the model has 2 outputs (cls, reg)',
    );
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: { cls: 'mse', rge: 'mse' } }),
      'compile',
      "'rge', which is not an output",
    );
    expectTensileError(
      () => m.compile({ optimizer: 'sgd', loss: { cls: 'mse' } }),
      'compile',
      "no entry for the output 'reg'",
    );
  });

  it('a nested model applied to a misshapen input names its input layer; nothing is recorded', () => {
    const i = tl.input({ shape: [3], name: 'inner_in' });
    const inner = tl.model({ inputs: i, outputs: tl.layers.dense({ units: 1 }).apply(i) });
    expectTensileError(
      () => inner.apply(tl.input({ shape: [4] })),
      'inner_in',
      'expected input of shape [null, 3], got [null, 4]',
    );
    expect(inner.inboundNodes.length).toBe(0);
  });
});
