import { describe, expect, it } from 'vitest';
import type { Backend, MlpBatches, MlpLayerArrays, UpdateRule } from '../../lib/backend/backend.js';
import { DENSE_ACTIVATIONS, MLP_LOSSES, MLP_METRICS } from '../../lib/backend/kinds.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { rng } from '../helpers/random.js';

// The fused dense-stack training steps (Backend.mlpTrain): the native kernel against the reference one,
// which composes the reference dense, crossentropy, argmax and optimizer kernels.

function problem(
  seed: number,
  batch: number,
  sizes: number[],
  acts: (typeof DENSE_ACTIVATIONS)[number][],
  probs: boolean,
) {
  const r = rng(seed);
  const u = (n: number, s = 1) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * s);
  const layers: MlpLayerArrays[] = acts.map((act, i) => {
    const k = sizes[i],
      n = sizes[i + 1];
    const bias = i % 2 === 0;
    return {
      w: u(k * n, 1.5 / Math.sqrt(k)),
      b: bias ? u(n, 0.2) : new Float32Array(0),
      dw: new Float32Array(k * n),
      db: new Float32Array(bias ? n : 0),
      k,
      n,
      act,
      wSlots: [],
      bSlots: [],
    };
  });
  const cols = sizes[sizes.length - 1];
  const y = new Float32Array(batch * cols);
  for (let i = 0; i < batch; i++) {
    if (probs) y[i * cols + Math.floor(r() * cols)] = 1;
    else for (let j = 0; j < cols; j++) y[i * cols + j] = r();
  }
  return { x: u(batch * sizes[0], 2), y, layers };
}

const copy = (layers: MlpLayerArrays[]) =>
  layers.map((l) => ({ ...l, dw: new Float32Array(l.dw.length), db: new Float32Array(l.db.length) }));

/** One batch of all the rows, gradients only: [loss, metric]. */
function step(
  k: Backend,
  x: Float32Array,
  y: Float32Array,
  layers: MlpLayerArrays[],
  batch: number,
  loss: (typeof MLP_LOSSES)[number],
  eps: number,
  metric: (typeof MLP_METRICS)[number],
) {
  const out = new Float64Array(2);
  k.mlpTrain({ x, y, rows: batch, order: null }, layers, { start: 0, batch, steps: 1 }, loss, eps, metric, null, out);
  return { loss: out[0], metric: out[1] };
}

describe.skipIf(!nativeLoaded)('mlpTrain: native against reference', () => {
  const native = nativeBackend(addon!);
  const cases = [
    {
      name: 'W1-like: 10→10 relu→10 relu→2 softmax',
      batch: 32,
      sizes: [10, 10, 10, 2],
      acts: ['relu', 'relu', 'softmax'] as const,
    },
    { name: 'one layer, batch 1, sigmoid', batch: 1, sizes: [5, 3], acts: ['sigmoid'] as const },
    { name: 'tanh and linear, odd sizes', batch: 7, sizes: [13, 9, 4], acts: ['tanh', 'linear'] as const },
    { name: 'W2-sized', batch: 128, sizes: [784, 64, 10], acts: ['relu', 'softmax'] as const },
  ];
  for (const c of cases)
    for (const loss of MLP_LOSSES)
      for (const metric of MLP_METRICS)
        it(`${c.name}, ${loss}, ${metric}`, () => {
          const probs = loss !== 'meanSquaredError';
          const acts = [...c.acts];
          if (loss === 'binaryCrossentropy')
            acts[acts.length - 1] = acts[acts.length - 1] === 'softmax' ? 'softmax' : 'sigmoid';
          const p = problem(c.batch + c.sizes[0], c.batch, c.sizes, acts, probs);
          const a = copy(p.layers),
            b = copy(p.layers);
          const ra = step(native, p.x, p.y, a, c.batch, loss, 1e-7, metric);
          const rb = step(referenceBackend, p.x, p.y, b, c.batch, loss, 1e-7, metric);
          expect(ra.loss).toBeCloseTo(rb.loss, 5);
          expect(ra.metric).toBeCloseTo(rb.metric, 10);
          a.forEach((l, i) => {
            expectAllClose(l.dw, b[i].dw, { rtol: 2e-4, atol: 1e-6 });
            expectAllClose(l.db, b[i].db, { rtol: 2e-4, atol: 1e-6 });
          });
          expect(Number.isFinite(ra.loss)).toBe(true);
        });

  it('clips probabilities like the crossentropy op: saturated outputs give finite loss and zero gradient there', () => {
    const p = problem(5, 4, [3, 2], ['sigmoid'], true);
    p.layers[0].w.fill(1e4); // sigmoid saturates to exactly 0 or 1
    const a = copy(p.layers),
      b = copy(p.layers);
    const ra = step(native, p.x, p.y, a, 4, 'binaryCrossentropy', 1e-7, 'binaryAccuracy');
    const rb = step(referenceBackend, p.x, p.y, b, 4, 'binaryCrossentropy', 1e-7, 'binaryAccuracy');
    expect(Number.isFinite(ra.loss)).toBe(true);
    expect(ra.loss).toBeCloseTo(rb.loss, 4);
    expectAllClose(a[0].dw, b[0].dw, { rtol: 1e-4, atol: 1e-6 });
  });

  it('propagates NaN from the inputs to the loss, as the op-by-op path does', () => {
    const p = problem(6, 3, [4, 2], ['softmax'], true);
    p.x[2] = NaN;
    const r = step(native, p.x, p.y, copy(p.layers), 3, 'categoricalCrossentropy', 1e-7, 'none');
    expect(Number.isNaN(r.loss)).toBe(true);
  });

  // Several batches a call, rows taken through a shuffled order, each rule updating w, b and its slots.
  const rules: [string, UpdateRule, number][] = [
    ['adam', { kind: 'adam', h: { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, t: 4, weightDecay: 0 } }, 2],
    ['adamw', { kind: 'adam', h: { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, t: 1, weightDecay: 0.05 } }, 2],
    ['sgd', { kind: 'sgd', h: { lr: 0.1, momentum: 0, nesterov: false } }, 0],
    ['sgd, nesterov momentum', { kind: 'sgd', h: { lr: 0.05, momentum: 0.9, nesterov: true } }, 1],
    ['rmsprop', { kind: 'rmsprop', h: { lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false } }, 1],
    [
      'rmsprop, centered, momentum',
      { kind: 'rmsprop', h: { lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true } },
      3,
    ],
    ['adagrad', { kind: 'adagrad', h: { lr: 0.1, epsilon: 1e-7 } }, 1],
  ];
  const withSlots = (layers: MlpLayerArrays[], count: number, seed: number) => {
    const r = rng(seed);
    const slots = (n: number) =>
      Array.from({ length: 3 }, (_, i) =>
        i < count ? Float32Array.from({ length: n }, () => r() * 0.01) : new Float32Array(0),
      );
    return layers.map((l) => ({
      ...l,
      w: l.w.slice(),
      b: l.b.slice(),
      wSlots: slots(l.w.length),
      bSlots: l.b.length ? slots(l.b.length) : [],
    }));
  };
  const cloneAll = (layers: MlpLayerArrays[]) =>
    layers.map((l) => ({
      ...l,
      w: l.w.slice(),
      b: l.b.slice(),
      dw: l.dw.slice(),
      db: l.db.slice(),
      wSlots: l.wSlots.map((s) => s.slice()),
      bSlots: l.bSlots.map((s) => s.slice()),
    }));
  for (const [name, rule, slotCount] of rules)
    it(`runs 5 batches a call with the ${name} update, rows shuffled, the last batch partial`, () => {
      const rows = 45,
        batches: MlpBatches = { start: 3, batch: 9, steps: 5 }; // rows 3..44: 4 batches of 9, one of 6
      const p = problem(40, rows, [6, 8, 3], ['relu', 'softmax'], true);
      const order = Int32Array.from({ length: rows }, (_, i) => (i * 17) % rows);
      const layers = withSlots(p.layers, slotCount, 41);
      const a = cloneAll(layers),
        b = cloneAll(layers);
      const oa = new Float64Array(10),
        ob = new Float64Array(10);
      native.mlpTrain(
        { x: p.x, y: p.y, rows, order },
        a,
        batches,
        'categoricalCrossentropy',
        1e-7,
        'categoricalAccuracy',
        rule,
        oa,
      );
      referenceBackend.mlpTrain(
        { x: p.x, y: p.y, rows, order },
        b,
        batches,
        'categoricalCrossentropy',
        1e-7,
        'categoricalAccuracy',
        rule,
        ob,
      );
      expectAllClose(oa, ob, { rtol: 1e-4, atol: 1e-6 });
      a.forEach((l, i) => {
        expect(l.w).not.toEqual(layers[i].w); // updated
        for (const key of ['w', 'b', 'dw', 'db'] as const)
          expectAllClose(l[key], b[i][key], { rtol: 2e-4, atol: 1e-6 });
        [...l.wSlots, ...l.bSlots].forEach((s, j) =>
          expectAllClose(s, [...b[i].wSlots, ...b[i].bSlots][j], { rtol: 2e-4, atol: 1e-7 }),
        );
      });
    });

  it('equals the same batches run one call each (Adam t advancing), in order', () => {
    const rows = 20;
    const p = problem(42, rows, [4, 5, 2], ['tanh', 'sigmoid'], true);
    const rule = (t: number): UpdateRule => ({
      kind: 'adam',
      h: { lr: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, t, weightDecay: 0 },
    });
    const a = withSlots(p.layers, 2, 43),
      b = cloneAll(a);
    const oa = new Float64Array(8),
      ob = new Float64Array(2);
    native.mlpTrain(
      { x: p.x, y: p.y, rows, order: null },
      a,
      { start: 0, batch: 6, steps: 4 },
      'binaryCrossentropy',
      1e-7,
      'binaryAccuracy',
      rule(1),
      oa,
    );
    for (let j = 0; j < 4; j++) {
      native.mlpTrain(
        { x: p.x, y: p.y, rows, order: null },
        b,
        { start: 6 * j, batch: 6, steps: 1 },
        'binaryCrossentropy',
        1e-7,
        'binaryAccuracy',
        rule(1 + j),
        ob,
      );
      expect(oa[2 * j]).toBe(ob[0]);
      expect(oa[2 * j + 1]).toBe(ob[1]);
    }
    a.forEach((l, i) => {
      expect(l.w).toEqual(b[i].w);
      expect(l.wSlots).toEqual(b[i].wSlots);
    });
  });

  it('evaluates without gradients (every dw empty): the same loss and metric, nothing written but out', () => {
    const rows = 30;
    const p = problem(45, rows, [5, 7, 3], ['relu', 'softmax'], true);
    const withGrads = cloneAll(p.layers);
    const noGrads = p.layers.map((l) => ({ ...l, dw: new Float32Array(0), db: new Float32Array(0) }));
    const wBefore = p.layers.map((l) => l.w.slice());
    for (const k of [native, referenceBackend]) {
      const a = new Float64Array(8),
        b = new Float64Array(8);
      k.mlpTrain(
        { x: p.x, y: p.y, rows, order: null },
        withGrads,
        { start: 0, batch: 8, steps: 4 },
        'categoricalCrossentropy',
        1e-7,
        'categoricalAccuracy',
        null,
        a,
      );
      k.mlpTrain(
        { x: p.x, y: p.y, rows, order: null },
        noGrads,
        { start: 0, batch: 8, steps: 4 },
        'categoricalCrossentropy',
        1e-7,
        'categoricalAccuracy',
        null,
        b,
      );
      expect(b).toEqual(a);
    }
    p.layers.forEach((l, i) => expect(l.w).toEqual(wBefore[i]));
  });

  it('leaves the weights alone without a rule, and takes rows in order without an order', () => {
    const rows = 12;
    const p = problem(44, rows, [3, 4, 2], ['relu', 'softmax'], true);
    const a = cloneAll(p.layers),
      b = cloneAll(p.layers);
    const oa = new Float64Array(2);
    native.mlpTrain(
      { x: p.x, y: p.y, rows, order: null },
      a,
      { start: 4, batch: 8, steps: 1 },
      'categoricalCrossentropy',
      1e-7,
      'none',
      null,
      oa,
    );
    const r = step(
      referenceBackend,
      p.x.subarray(4 * 3),
      p.y.subarray(4 * 2),
      b,
      8,
      'categoricalCrossentropy',
      1e-7,
      'none',
    );
    expect(oa[0]).toBeCloseTo(r.loss, 5);
    a.forEach((l, i) => {
      expect(l.w).toEqual(p.layers[i].w);
      expectAllClose(l.dw, b[i].dw, { rtol: 2e-4, atol: 1e-6 });
    });
  });
});

// The dense stack's inference forward (Backend.mlpForward): native against the reference dense chain. One row
// through a large enough first pair of linear/relu layers takes the two-thread path (kernels/cpu/mlp.cc).
describe.skipIf(!nativeLoaded)('mlpForward: native against reference', () => {
  const native = nativeBackend(addon!);
  const stack = (seed: number, sizes: number[], acts: (typeof DENSE_ACTIVATIONS)[number][]) =>
    problem(seed, 1, sizes, acts, false).layers;
  const cases: [string, number, number[], (typeof DENSE_ACTIVATIONS)[number][]][] = [
    ['W6: one row, 784-512-256-10, the pair on two threads', 1, [784, 512, 256, 10], ['relu', 'relu', 'softmax']],
    [
      'one row, pair widths not multiples of 8 or 64, linear first',
      1,
      [300, 203, 129, 5],
      ['linear', 'relu', 'sigmoid'],
    ],
    ['one row, two layers: the pair is the whole stack', 1, [260, 300, 7], ['relu', 'linear']],
    ['one row, a tanh first layer (no pair)', 1, [400, 200, 3], ['tanh', 'softmax']],
    ['one row, small layers (one thread)', 1, [10, 10, 2], ['relu', 'softmax']],
    ['7 rows', 7, [13, 9, 4], ['tanh', 'linear']],
    ['a batch of 64 through W6', 64, [784, 512, 256, 10], ['relu', 'relu', 'softmax']],
  ];
  for (const [name, rows, sizes, acts] of cases)
    for (const threads of [1, 2])
      it(`${name}, ${threads} thread(s)`, () => {
        const before = addon!.getNumThreads();
        addon!.setNumThreads(threads);
        try {
          const layers = stack(rows * 31 + sizes[0], sizes, acts);
          const x = Float32Array.from({ length: rows * sizes[0] }, (_, i) => Math.sin(i * 0.37) * 2);
          const n = sizes[sizes.length - 1];
          const a = new Float32Array(rows * n).fill(NaN),
            b = new Float32Array(rows * n);
          const xBefore = x.slice();
          native.mlpForward(x, layers, rows, a);
          referenceBackend.mlpForward(x, layers, rows, b);
          expectAllClose(a, b, { rtol: 1e-4, atol: 1e-5 });
          expect(x).toEqual(xBefore);
        } finally {
          addon!.setNumThreads(before);
        }
      });

  it('gives the same outputs on one and on two threads, call after call', () => {
    const layers = stack(9, [784, 512, 256, 10], ['relu', 'relu', 'softmax']);
    const x = Float32Array.from({ length: 784 }, (_, i) => Math.cos(i));
    const before = addon!.getNumThreads();
    const outs: Float32Array[] = [];
    try {
      for (const threads of [2, 1, 2]) {
        addon!.setNumThreads(threads);
        for (let r = 0; r < 20; r++) {
          const o = new Float32Array(10);
          native.mlpForward(x, layers, 1, o);
          outs.push(o);
        }
      }
    } finally {
      addon!.setNumThreads(before);
    }
    for (const o of outs.slice(0, 20).concat(outs.slice(40))) expect(o).toEqual(outs[0]); // two threads: the same bits every call
    expectAllClose(outs[20], outs[0], { rtol: 1e-5, atol: 1e-7 });
  });

  it('propagates NaN and Inf from the input and the weights', () => {
    const layers = stack(10, [300, 256, 4], ['relu', 'linear']);
    const x = Float32Array.from({ length: 300 }, () => 0.5);
    x[17] = NaN;
    const a = new Float32Array(4),
      b = new Float32Array(4);
    native.mlpForward(x, layers, 1, a);
    referenceBackend.mlpForward(x, layers, 1, b);
    expect(Array.from(a).map(Number.isNaN)).toEqual(Array.from(b).map(Number.isNaN));
    expect(a.some(Number.isNaN)).toBe(true);
    x[17] = 0.5;
    layers[1].w[3] = Infinity;
    native.mlpForward(x, layers, 1, a);
    referenceBackend.mlpForward(x, layers, 1, b);
    expect(Array.from(a)).toEqual(Array.from(b).map((v, i) => (Number.isFinite(v) ? a[i] : v)));
  });

  it('writes nothing for zero rows', () => {
    const layers = stack(11, [5, 3], ['relu']);
    expect(() => native.mlpForward(new Float32Array(0), layers, 0, new Float32Array(0))).not.toThrow();
  });
});
