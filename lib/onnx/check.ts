import type * as Ort from 'onnxruntime-node';
import { TensileError } from '../errors.js';
import { Embedding } from '../layers/embedding.js';
import type { LayersModel } from '../models/model.js';
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
    throw new TensileError(
      'export-onnx --check',
      `needs onnxruntime-node (npm install onnxruntime-node): ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Seeded batches for the model's inputs: uniform in [−1, 1), or token ids below inputDim where an Embedding reads the input. Unknown dimensions get 8. */
function sampleBatches(model: LayersModel, exported: ExportOnnxResult, batch: number): Tensor[] {
  let s = 0x9e3779b9;
  const next = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  return exported.inputs.map((input, k) => {
    const dims = [batch, ...input.shape.slice(1).map((d) => d ?? 8)];
    const vocabulary = embeddingReading(model, k) ?? 0;
    const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () =>
      vocabulary ? Math.floor(next() * vocabulary) : next() * 2 - 1,
    );
    return new Tensor(data, dims);
  });
}

/** The vocabulary of an Embedding that reads model input k directly, if one does. */
function embeddingReading(model: LayersModel, k: number): number | undefined {
  const input = model.inputs[k];
  for (const layer of model.layers)
    if (layer instanceof Embedding && layer.inboundNodes.some((n) => n.inputs.includes(input))) return layer.inputDim;
  return undefined;
}

/** Run the exported file on a seeded batch and compare every output with model.predict. */
export async function checkExport(model: LayersModel, exported: ExportOnnxResult, batch = 16): Promise<CheckResult> {
  const ort = await loadRuntime();
  const xs = sampleBatches(model, exported, batch);
  const predicted = model.predict(xs.length === 1 ? xs[0] : xs);
  const expected = (Array.isArray(predicted) ? predicted : [predicted]).map((t) => t.dataSync());
  const session = await ort.InferenceSession.create(exported.path);
  try {
    const feeds = Object.fromEntries(
      exported.inputs.map((input, k) => [
        input.name,
        new ort.Tensor('float32', xs[k].dataSync().slice(), [...xs[k].shape]),
      ]),
    );
    const out = await session.run(feeds);
    let maxDiff = 0,
      maxAbs = 0;
    exported.outputs.forEach((o, k) => {
      const got = out[o.name].data as Float32Array;
      if (got.length !== expected[k].length)
        throw new TensileError(
          'export-onnx --check',
          `output ${o.name}: onnxruntime gave ${got.length} values, predict ${expected[k].length}`,
        );
      for (let i = 0; i < got.length; i++) {
        const d = Math.abs(got[i] - expected[k][i]);
        maxDiff = Math.max(maxDiff, Number.isNaN(d) ? Infinity : d);
        maxAbs = Math.max(maxAbs, Math.abs(expected[k][i]));
      }
    });
    return {
      batch,
      inputShape: xs[0].shape,
      maxDiff,
      maxAbs,
      runtime: `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`,
    };
  } finally {
    await session.release();
  }
}
