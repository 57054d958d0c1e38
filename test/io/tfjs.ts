// The reference implementation, for the interop suites: @tensorflow/tfjs on its pure-JS cpu backend,
// and tf.io handlers that write and read the files as tfjs-node does (model.json + weights.bin).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, expect } from 'vitest';
import * as tl from '../../lib/index.js';
import { readJsonFile } from './fixtures.js';

/** tfjs, imported and set to its cpu backend before the suite; call at the top of a test file. */
export function useTfjs(): () => typeof TF {
  let tf: typeof TF | undefined;
  beforeAll(async () => {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
  });
  return () => tf!;
}

/** Save a tfjs model into `dir` through a tf.io handler that writes model.json + weights.bin. */
export async function saveWithTfjs(tf: typeof TF, model: TF.LayersModel, dir: string): Promise<string> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData!;
      const bytes = Array.isArray(data)
        ? Buffer.concat(data.map((b) => Buffer.from(b)))
        : Buffer.from(data as ArrayBuffer);
      writeFileSync(join(dir, 'weights.bin'), bytes);
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return dir;
}

/** Load the files in `dir` (tensile's or anyone's) in tfjs through a handler that reads model.json and concatenates the shards. */
export async function loadWithTfjs(tf: typeof TF, dir: string): Promise<TF.LayersModel> {
  const json = readJsonFile(join(dir, 'model.json'));
  const group = json.weightsManifest[0];
  const bytes = Buffer.concat(group.paths.map((p: string) => readFileSync(join(dir, p))));
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      weightSpecs: group.weights,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    }),
  });
}

/** tfjs' prediction for tensile's input tensor. */
export const tfPredict = (tf: typeof TF, m: TF.LayersModel, x: tl.Tensor): Float32Array =>
  tf.tidy(() => (m.predict(tf.tensor(x.data, [...x.shape])) as TF.Tensor).dataSync() as Float32Array);

/** Every |a − b| ≤ tol · max(1, max |b|): 1e-5 relative to the outputs' scale. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let scale = 1,
    diff = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  expect(diff).toBeLessThanOrEqual(tol * scale);
}
