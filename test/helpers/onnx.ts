import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor } from '../../lib/index.js';
import type { LayersModel } from '../../lib/models/model.js';
import { type ExportOnnxResult, exportOnnx } from '../../lib/onnx/index.js';
import { rng } from './random.js';

// Export a model, run the file in onnxruntime-node, compare with tensile's predict; check files with the
// ONNX checker (Debian's python3-onnx through /usr/bin/python3) where it is installed.

const PYTHON = '/usr/bin/python3';

/** Whether `import onnx` works in the system Python (Debian python3-onnx). */
export const onnxCheckerAvailable: boolean = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
if (!onnxCheckerAvailable)
  console.warn('ONNX checker tests skipped: /usr/bin/python3 cannot import onnx (apt-get install python3-onnx)');

/** A fresh temporary folder for exported files, removed when the suite ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tensile-onnx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every weight of the model set to seeded values in [-0.5, 0.5) (variances in [0.5, 1.5)), so biases and statistics matter. */
export function randomizeWeights(model: LayersModel, seed = 7): void {
  const r = rng(seed);
  for (const layer of model.layers)
    layer.setWeights(
      layer.weights.map((v) => {
        const positive = /variance/.test(v.name);
        return new Tensor(
          Float32Array.from({ length: v.value.size }, () => (positive ? 0.5 + r() : r() - 0.5)),
          v.shape,
        );
      }),
    );
}

export interface RoundTrip {
  readonly info: ExportOnnxResult;
  /** Largest |onnxruntime − predict|. */
  readonly maxDiff: number;
  /** max(1, largest |predict|): differences are judged relative to it. */
  readonly scale: number;
}

/** Export to `dir/name.onnx`, run it in onnxruntime on x (one tensor per model input), and compare every output with model.predict(x). */
export async function roundTrip(
  model: LayersModel,
  x: Tensor | Tensor[],
  dir: string,
  name: string,
  opset = 17,
): Promise<RoundTrip> {
  const predicted = model.predict(x);
  const expected = Array.isArray(predicted) ? predicted : [predicted];
  const xs = Array.isArray(x) ? x : [x];
  const info = await exportOnnx(model, join(dir, `${name}.onnx`), { opset });
  const session = await ort.InferenceSession.create(info.path);
  try {
    const feeds = Object.fromEntries(
      info.inputs.map((input, k) => [
        input.name,
        new ort.Tensor('float32', Float32Array.from(xs[k].dataSync()), [...xs[k].shape]),
      ]),
    );
    const out = await session.run(feeds);
    let maxDiff = 0,
      scale = 1;
    info.outputs.forEach((o, k) => {
      const got = out[o.name],
        want = expected[k];
      if (got.dims.length !== want.shape.length || got.dims.some((d, i) => d !== want.shape[i]))
        throw new Error(
          `${name}: onnxruntime gave ${o.name} shape [${got.dims.join(', ')}], predict [${want.shape.join(', ')}]`,
        );
      const data = got.data as Float32Array,
        ref = want.dataSync();
      for (let i = 0; i < ref.length; i++) {
        maxDiff = Math.max(
          maxDiff,
          Number.isNaN(data[i]) !== Number.isNaN(ref[i]) ? Infinity : Math.abs(data[i] - ref[i]) || 0,
        );
        scale = Math.max(scale, Math.abs(ref[i]));
      }
    });
    return { info, maxDiff, scale };
  } finally {
    await session.release();
  }
}

/** Run onnx.checker.check_model (full_check: with shape inference) on each file; returns 'file: error' per failure. */
export function onnxCheckerErrors(files: readonly string[]): string[] {
  const script = [
    'import sys, onnx',
    'for f in sys.argv[1:]:',
    '    try:',
    '        onnx.checker.check_model(onnx.load(f), full_check=True)',
    '    except Exception as e:',
    "        print(f + ': ' + str(e).replace(chr(10), ' '))",
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
  if (r.status !== 0) return [`checker failed to run: ${r.stderr}`];
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Seeded input of a shape: uniform in [-1, 1), or integers in [0, vocabulary) for an Embedding. */
export function sampleInput(shape: readonly number[], seed: number, vocabulary?: number): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float32Array.from({ length: n }, () => (vocabulary ? Math.floor(r() * vocabulary) : r() * 2 - 1)),
    shape,
  );
}

export interface ExportCase {
  readonly name: string;
  /** A built model (weights randomized by the suite) and an input batch. */
  readonly build: () => { model: LayersModel; x: Tensor | Tensor[] };
}

/**
 * One test per case (export, run in onnxruntime, outputs within 1e-5 of scale of predict's), then one that runs
 * the ONNX checker on every file. With TENSILE_ONNX_REPORT=file, each case appends a JSON line (layers, ops, difference).
 */
export function exportSuite(title: string, cases: readonly ExportCase[]): void {
  describe(title, () => {
    const dir = tempDir();
    const files: string[] = [];
    it.each(cases.map((c) => [c.name, c] as const))('%s: onnxruntime equals predict', async (name, c) => {
      const { model, x } = c.build();
      randomizeWeights(model);
      const r = await roundTrip(model, x, dir, name.replace(/[^a-z0-9]+/gi, '-'));
      files.push(r.info.path);
      if (process.env.TENSILE_ONNX_REPORT)
        appendFileSync(
          process.env.TENSILE_ONNX_REPORT,
          `${JSON.stringify({ name, layers: model.layers.map((l) => l.className), ops: r.info.ops, maxDiff: r.maxDiff, scale: r.scale })}\n`,
        );
      expect(r.maxDiff).toBeLessThanOrEqual(1e-5 * r.scale);
    });
    it.skipIf(!onnxCheckerAvailable)('every exported file passes the ONNX checker (full_check)', () => {
      expect(files.length).toBe(cases.length);
      expect(onnxCheckerErrors(files)).toEqual([]);
    });
  });
}
