import type * as Ort from 'onnxruntime-node';
import { TensileError } from '../errors.js';
import { Embedding } from '../layers/embedding.js';
import type { Sequential } from '../models/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import type { ExportOnnxResult } from './export.js';

// `tensile export-onnx --check`: run the written file in onnxruntime-node (a peer the user installs; tensile does not
// depend on it) on a seeded batch and compare with predict.

export interface CheckResult {
  readonly batch: number;
  readonly inputShape: readonly number[];
  /** Largest |onnxruntime − predict| over the batch, and the largest |predict| it is judged against. */
  readonly maxDiff: number;
  readonly maxAbs: number;
  readonly runtime: string;
}

async function loadRuntime(): Promise<typeof Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (err) {
    throw new TensileError('export-onnx --check', `needs onnxruntime-node (npm install onnxruntime-node): ${(err as Error).message.split('\n')[0]}`);
  }
}

/** A seeded batch for the model's input: uniform in [−1, 1), or token ids below inputDim for an Embedding. Unknown dimensions get 8. */
function sampleBatch(model: Sequential, shape: readonly (number | null)[], batch: number): Tensor {
  const dims = [batch, ...shape.slice(1).map((d) => d ?? 8)];
  const first = model.layers[0];
  const vocabulary = first instanceof Embedding ? first.inputDim : 0;
  let s = 0x9e3779b9;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (vocabulary ? Math.floor(next() * vocabulary) : next() * 2 - 1));
  return new Tensor(data, dims);
}

/** Run the exported file on a seeded batch and compare with model.predict. */
export async function checkExport(model: Sequential, exported: ExportOnnxResult, batch = 16): Promise<CheckResult> {
  const ort = await loadRuntime();
  const x = sampleBatch(model, exported.inputs[0].shape, batch);
  const expected = model.predict(x).dataSync();
  const session = await ort.InferenceSession.create(exported.path);
  try {
    const out = await session.run({ [exported.inputs[0].name]: new ort.Tensor('float32', x.dataSync().slice(), [...x.shape]) });
    const got = out[exported.outputs[0].name].data as Float32Array;
    if (got.length !== expected.length) throw new TensileError('export-onnx --check', `onnxruntime gave ${got.length} values, predict ${expected.length}`);
    let maxDiff = 0, maxAbs = 0;
    for (let i = 0; i < got.length; i++) {
      const d = Math.abs(got[i] - expected[i]);
      maxDiff = Math.max(maxDiff, Number.isNaN(d) ? Infinity : d);
      maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
    }
    return { batch, inputShape: x.shape, maxDiff, maxAbs, runtime: `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}` };
  } finally {
    await session.release();
  }
}
