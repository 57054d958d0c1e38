// TensorFlow.js as a bench contender: `tfjs.ts cpu` (the pure-JS CPU backend) or `tfjs.ts wasm`
// (@tensorflow/tfjs-backend-wasm, SIMD, one thread under Node). Keras-style layers API, as a user writes it.
import type * as TF from '@tensorflow/tfjs';
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
const which = process.argv[2] === 'wasm' ? 'wasm' : 'cpu';
let tf: typeof TF;
let wasmVersion = '';

async function load(): Promise<string | undefined> {
  try {
    tf = await import('@tensorflow/tfjs');
  } catch (err) {
    return `@tensorflow/tfjs is not installed (${(err as Error).message.split('\n')[0]})`;
  }
  if (which === 'wasm') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasmVersion = wasm.version_wasm;
    } catch (err) {
      return `@tensorflow/tfjs-backend-wasm is not installed (${(err as Error).message.split('\n')[0]})`;
    }
  }
  if (!(await tf.setBackend(which))) return `tfjs backend '${which}' did not initialise`;
  await tf.ready();
  return undefined;
}

function w2Model(p: P): TF.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: p.hidden1, inputShape: [p.inputs], activation: 'relu' }),
      tf.layers.dense({ units: p.hidden2, activation: 'relu' }),
      tf.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
}

/** Training throughput on `rows` samples of x/y, one epoch per call, prefixes cached. */
function trainer(model: TF.LayersModel, x: TF.Tensor, y: TF.Tensor, batch: number) {
  const cache = new Map<number, [TF.Tensor, TF.Tensor]>();
  return (rows: number) => {
    let xy = cache.get(rows);
    if (!xy) cache.set(rows, (xy = [x.slice(0, rows), y.slice(0, rows)]));
    return model.fit(xy[0], xy[1], { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  };
}

async function w1(p: P): Promise<Prepared> {
  const x = tf.tensor2d(uniform(p.samples * p.features), [p.samples, p.features]);
  const y = tf.tensor2d(oneHot(p.samples, p.classes), [p.samples, p.classes]);
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: p.hidden, inputDim: p.features, activation: 'relu' }));
  model.add(tf.layers.dense({ units: p.hidden, activation: 'relu' }));
  model.add(tf.layers.dense({ units: p.classes, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(p.lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const fit = () => model.fit(x, y, { epochs: p.epochs, batchSize: p.batch, shuffle: true, verbose: 0 });
  return fitCase(fit, p.epochs * Math.ceil(p.samples / p.batch));
}

async function w2(p: P): Promise<Prepared> {
  const rows = p.maxSteps * p.batch;
  const model = w2Model(p);
  model.compile({ optimizer: tf.train.adam(p.lr), loss: 'categoricalCrossentropy' });
  const x = tf.tensor2d(uniform(rows * p.inputs), [rows, p.inputs]);
  const y = tf.tensor2d(oneHot(rows, p.classes), [rows, p.classes]);
  return trainingCase(p, trainer(model, x, y, p.batch));
}

async function w3(p: P): Promise<Prepared> {
  const n = p.n;
  const a = tf.tensor2d(uniform(n * n, -0.5, 0.5), [n, n]);
  const b = tf.tensor2d(uniform(n * n, -0.5, 0.5), [n, n]);
  const mul = () => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  };
  return callsCase(p.budgetMs, mul, (ms) => (2 * n ** 3) / (ms * 1e6));
}

async function w4(p: P): Promise<Prepared> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        filters: p.filters1,
        kernelSize: p.kernel,
        activation: 'relu',
        inputShape: [p.height, p.width, 1],
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: p.filters2, kernelSize: p.kernel, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: p.dense, activation: 'relu' }),
      tf.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(p.lr), loss: 'categoricalCrossentropy' });
  const rows = p.maxSteps * p.batch;
  const x = tf.tensor4d(uniform(rows * p.height * p.width), [rows, p.height, p.width, 1]);
  const y = tf.tensor2d(oneHot(rows, p.classes), [rows, p.classes]);
  return trainingCase(p, trainer(model, x, y, p.batch));
}

async function w5(p: P): Promise<Prepared> {
  const model = tf.sequential({
    layers: [
      // Keras' (and tensile's, PyTorch's) sigmoid gates, not tfjs' default hardSigmoid.
      tf.layers.lstm({ units: p.units, recurrentActivation: 'sigmoid', inputShape: [p.timesteps, p.features] }),
      tf.layers.dense({ units: p.classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(p.lr), loss: 'categoricalCrossentropy' });
  const rows = p.maxSteps * p.batch;
  const x = tf.tensor3d(uniform(rows * p.timesteps * p.features), [rows, p.timesteps, p.features]);
  const y = tf.tensor2d(oneHot(rows, p.classes), [rows, p.classes]);
  return trainingCase(p, trainer(model, x, y, p.batch));
}

async function w6(p: P, one: boolean): Promise<Prepared> {
  const model = w2Model(p);
  const rows = one ? 1 : p.batch;
  const x = tf.tensor2d(uniform(rows * p.inputs), [rows, p.inputs]);
  const predict = () => {
    const out = model.predict(x, { batchSize: rows }) as TF.Tensor;
    out.dataSync();
    out.dispose();
  };
  predict();
  if (one) return { run: async () => [await medianLatencyUs(p.calls, predict)] };
  return callsCase(p.budgetMs, predict, (ms) => rows / (ms / 1e3));
}

function setupCase(c: CaseSpec): Promise<Prepared | { skip: string }> {
  const p = c.params;
  switch (c.workload) {
    case 'W1':
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
      return Promise.resolve({ skip: 'tfjs 4.22 does not export MultiHeadAttention (tfjs#8574)' }) as never;
    case 'W7':
      return Promise.resolve({ skip: 'W7 is timed on tensile and PyTorch' });
  }
}

const missing = await load();

serve({
  async hello() {
    if (missing) return { skip: missing };
    return {
      version: which === 'wasm' ? wasmVersion : tf.version.tfjs,
      threads: 1,
      notes:
        which === 'wasm'
          ? `@tensorflow/tfjs ${tf.version.tfjs}; SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'on' : 'off'}`
          : 'pure-JS CPU backend',
    };
  },
  async setup(c: CaseSpec) {
    // Everything a case creates lives in one engine scope, disposed of before the next case.
    tf.engine().startScope();
    const end = () => {
      tf.engine().endScope();
      tf.disposeVariables();
    };
    try {
      const prepared = await setupCase(c);
      return { ...prepared, dispose: end };
    } catch (err) {
      end();
      // A kernel a backend lacks (tfjs-wasm has no Conv2D backprop) is a limitation of the peer, not a bench error.
      const msg = (err as Error).message ?? String(err);
      if (/not registered|not (yet )?(implemented|supported)/i.test(msg))
        return { skip: `cannot run it: ${msg.split('\n')[0]}` };
      throw err;
    }
  },
});
