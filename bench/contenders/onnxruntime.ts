// onnxruntime-node as a bench contender, inference only (W6): the W2 MLP written as ONNX by bench/peers/onnx-writer.ts.
import { availableParallelism } from 'node:os';
import type * as ORT from 'onnxruntime-node';
import type { CaseSpec } from '../cases.js';
import { denseStackToOnnx } from '../peers/onnx-writer.js';
import { type Prepared, callsCase, medianLatencyUs, serve, uniform } from '../protocol.js';

type P = Record<string, number>;
let ort: typeof ORT;
const threads = availableParallelism();

async function load(): Promise<string | undefined> {
  try {
    ort = await import('onnxruntime-node');
    return undefined;
  } catch (err) {
    return `onnxruntime-node is not installed or did not load (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Glorot-uniform weights, zero biases: the numbers do not matter, the shapes do. */
function dense(inputs: number, units: number, activation: 'relu' | 'softmax') {
  const lim = Math.sqrt(6 / (inputs + units));
  return { weight: uniform(inputs * units, -lim, lim), bias: new Float32Array(units), inputs, units, activation };
}

async function w6(p: P, one: boolean): Promise<Prepared> {
  const model = denseStackToOnnx([
    dense(p.inputs, p.hidden1, 'relu'),
    dense(p.hidden1, p.hidden2, 'relu'),
    dense(p.hidden2, p.classes, 'softmax'),
  ]);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const rows = one ? 1 : p.batch;
  const feeds = { x: new ort.Tensor('float32', uniform(rows * p.inputs), [rows, p.inputs]) };
  const predict = async () => {
    const out = await session.run(feeds);
    return out.y.data;
  };
  await predict();
  if (one) return { run: async () => [await medianLatencyUs(p.calls, predict)], dispose: () => void session.release() };
  const prepared = await callsCase(p.budgetMs, predict, (ms) => rows / (ms / 1e3));
  return { ...prepared, dispose: () => void session.release() };
}

const missing = await load();

serve({
  async hello() {
    if (missing) return { skip: missing };
    return {
      version: ort.env.versions.node ?? ort.env.versions.common,
      threads,
      notes: 'inference only; CPU execution provider',
    };
  },
  async setup(c: CaseSpec): Promise<Prepared | { skip: string }> {
    if (c.workload !== 'W6') return { skip: 'inference only (W6)' };
    return w6(c.params, c.id === 'W6/1');
  },
});
