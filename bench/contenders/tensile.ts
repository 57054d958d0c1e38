// tensile as a bench contender: the public API for models (what a user writes), the backend's gemm for W3.
import * as tl from '../../lib/index.js';
import { backend } from '../../lib/backend/index.js';
import { infoReport } from '../../lib/cli/info.js';
import type { CaseSpec } from '../cases.js';
import {
  type Prepared,
  callsCase,
  medianLatencyUs,
  oneHot,
  serve,
  fitCase,
  trainingCase,
  uniform,
} from '../protocol.js';

type P = Record<string, number>;

const t = (data: Float32Array, shape: number[]) => tl.tensor(data, shape);

/** Rows [0, rows) of a [N, ...] tensor, cached per row count (fit shuffles its own copy of the order). */
function prefixes(x: tl.Tensor): (rows: number) => tl.Tensor {
  const row = x.size / x.shape[0];
  const cache = new Map<number, tl.Tensor>();
  return (rows) => {
    let v = cache.get(rows);
    if (!v) cache.set(rows, (v = tl.tensor(x.data.subarray(0, rows * row), [rows, ...x.shape.slice(1)])));
    return v;
  };
}

function w2Model(p: P): tl.Sequential {
  return tl.sequential({
    layers: [
      tl.layers.dense({ units: p.hidden1, inputShape: [p.inputs], activation: 'relu' }),
      tl.layers.dense({ units: p.hidden2, activation: 'relu' }),
      tl.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
}

async function w1(p: P): Promise<Prepared> {
  const x = tl.rand([p.samples, p.features]);
  const labels = tl.tensor(
    Array.from({ length: p.samples }, () => (Math.random() < 0.5 ? 0 : 1)),
    [p.samples, 1],
  );
  const y = tl.utils.toCategorical(labels, p.classes);
  const model = tl.sequential();
  model.add(tl.layers.dense({ units: p.hidden, inputDim: p.features, activation: 'relu' }));
  // W7's one change each (0 in W1): a dropout layer, or batch normalization, after the first Dense.
  if (p.dropout) model.add(tl.layers.dropout({ rate: p.dropout }));
  if (p.batchNorm) model.add(tl.layers.batchNormalization());
  model.add(tl.layers.dense({ units: p.hidden, activation: 'relu' }));
  model.add(tl.layers.dense({ units: p.classes, activation: 'softmax' }));
  model.compile({
    optimizer: tl.optimizers.adam({ learningRate: p.lr }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const fit = () => model.fit(x, y, { epochs: p.epochs, batchSize: p.batch, shuffle: true, verbose: 0 });
  return fitCase(fit, p.epochs * Math.ceil(p.samples / p.batch));
}

async function w2(p: P): Promise<Prepared> {
  const rows = p.maxSteps * p.batch;
  const xs = prefixes(t(uniform(rows * p.inputs), [rows, p.inputs]));
  const ys = prefixes(t(oneHot(rows, p.classes), [rows, p.classes]));
  const model = w2Model(p);
  model.compile({ optimizer: tl.optimizers.adam({ learningRate: p.lr }), loss: 'categoricalCrossentropy' });
  return trainingCase(p, (n) => model.fit(xs(n), ys(n), { epochs: 1, batchSize: p.batch, shuffle: true, verbose: 0 }));
}

async function w3(p: P): Promise<Prepared> {
  const n = p.n;
  const a = uniform(n * n, -0.5, 0.5),
    b = uniform(n * n, -0.5, 0.5),
    c = new Float32Array(n * n);
  const params = { m: n, n, k: n, transA: false, transB: false, alpha: 1, beta: 0 };
  const k = backend();
  // synchronize: on the cuda backend the GEMM is queued, not done, when gemm returns.
  const call = () => {
    k.gemm(a, b, c, params);
    tl.synchronize();
  };
  return callsCase(p.budgetMs, call, (ms) => (2 * n ** 3) / (ms * 1e6));
}

/**
 * Layer factories looked up by name: Conv2D, MaxPooling2D and LSTM are arriving in tensile, and the bench
 * runs W4/W5 as soon as the factories exist (reporting 'not supported yet' until then).
 */
function factories(names: string[]): { make: Record<string, (args: object) => tl.layers.Layer> } | { skip: string } {
  const all = tl.layers as unknown as Record<string, ((args: object) => tl.layers.Layer) | undefined>;
  const missing = names.filter((n) => typeof all[n] !== 'function');
  if (missing.length)
    return { skip: `not supported yet: tensile has no ${missing.map((n) => `tl.layers.${n}`).join(', ')}` };
  return { make: all as Record<string, (args: object) => tl.layers.Layer> };
}

async function w4(p: P): Promise<Prepared | { skip: string }> {
  const found = factories(['conv2d', 'maxPooling2d']);
  if ('skip' in found) return found;
  const f = found.make;
  const model = tl.sequential({
    layers: [
      f.conv2d({ filters: p.filters1, kernelSize: p.kernel, activation: 'relu', inputShape: [p.height, p.width, 1] }),
      f.maxPooling2d({ poolSize: 2 }),
      f.conv2d({ filters: p.filters2, kernelSize: p.kernel, activation: 'relu' }),
      f.maxPooling2d({ poolSize: 2 }),
      tl.layers.flatten(),
      tl.layers.dense({ units: p.dense, activation: 'relu' }),
      tl.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tl.optimizers.adam({ learningRate: p.lr }), loss: 'categoricalCrossentropy' });
  const rows = p.maxSteps * p.batch;
  const xs = prefixes(t(uniform(rows * p.height * p.width), [rows, p.height, p.width, 1]));
  const ys = prefixes(t(oneHot(rows, p.classes), [rows, p.classes]));
  return trainingCase(p, (n) => model.fit(xs(n), ys(n), { epochs: 1, batchSize: p.batch, shuffle: true, verbose: 0 }));
}

async function w5(p: P): Promise<Prepared | { skip: string }> {
  const found = factories(['lstm']);
  if ('skip' in found) return found;
  const f = found.make;
  const model = tl.sequential({
    layers: [
      f.lstm({ units: p.units, inputShape: [p.timesteps, p.features] }),
      tl.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tl.optimizers.adam({ learningRate: p.lr }), loss: 'categoricalCrossentropy' });
  const rows = p.maxSteps * p.batch;
  const xs = prefixes(t(uniform(rows * p.timesteps * p.features), [rows, p.timesteps, p.features]));
  const ys = prefixes(t(oneHot(rows, p.classes), [rows, p.classes]));
  return trainingCase(p, (n) => model.fit(xs(n), ys(n), { epochs: 1, batchSize: p.batch, shuffle: true, verbose: 0 }));
}

/** W8: one transformer encoder block (post-norm, as nn.TransformerEncoderLayer with norm_first=False), trained. */
async function w8(p: P): Promise<Prepared> {
  const L = tl.layers;
  const x = tl.input({ shape: [p.seq, p.dModel] });
  const att = L.multiHeadAttention({ numHeads: p.heads, keyDim: p.dModel / p.heads }).apply([x, x]);
  const h = L.layerNormalization().apply(L.add().apply([x, att]));
  const f = L.dense({ units: p.dModel }).apply(L.dense({ units: p.ffn, activation: 'relu' }).apply(h));
  const y = L.layerNormalization().apply(L.add().apply([h, f]));
  const out = L.dense({ units: p.classes, activation: 'softmax' }).apply(L.globalAveragePooling1d().apply(y));
  const model = tl.model({ inputs: x, outputs: out });
  model.compile({ optimizer: tl.optimizers.adam({ learningRate: p.lr }), loss: 'categoricalCrossentropy' });
  const rows = p.maxSteps * p.batch;
  const xs = prefixes(t(uniform(rows * p.seq * p.dModel), [rows, p.seq, p.dModel]));
  const ys = prefixes(t(oneHot(rows, p.classes), [rows, p.classes]));
  return trainingCase(p, (n) => model.fit(xs(n), ys(n), { epochs: 1, batchSize: p.batch, shuffle: true, verbose: 0 }));
}

async function w6(p: P, one: boolean): Promise<Prepared> {
  const model = w2Model(p);
  if (one) {
    const x = tl.rand([1, p.inputs]);
    const f = () => model.predict(x);
    f();
    return { run: async () => [await medianLatencyUs(p.calls, f)] };
  }
  const x = tl.rand([p.batch, p.inputs]);
  return callsCase(
    p.budgetMs,
    () => model.predict(x, { batchSize: p.batch }),
    (ms) => p.batch / (ms / 1e3),
  );
}

serve({
  async hello() {
    const r = infoReport();
    return {
      version: r.version,
      threads: r.threads,
      blas: r.gemm,
      notes: `backend ${r.backend}${r.nativeError ? ` (native not loaded: ${r.nativeError})` : ''}`,
    };
  },
  async setup(c: CaseSpec) {
    const p = c.params;
    switch (c.workload) {
      case 'W1':
        return w1(p);
      case 'W7':
        return w1(p);
      case 'W2':
        return w2(p);
      case 'W3':
        return w3(p);
      case 'W4':
        return w4(p);
      case 'W5':
        return w5(p);
      case 'W6':
        return w6(p, c.id === 'W6/1');
      case 'W8':
        return w8(p);
    }
  },
});
