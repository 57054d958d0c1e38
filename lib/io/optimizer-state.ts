import { join } from 'node:path';
import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import { type Optimizer, optimizerFromConfig } from '../optimizers/index.js';
import { type OutputFile, loadError, readBytes, readJson } from './files.js';
import { OPTIMIZER_BIN, OPTIMIZER_JSON, isRecord, show } from './format.js';

/** optimizer.json / optimizer.bin, or their versions of a replacing save (replace.ts): plain names in the folder. */
const OPTIMIZER_FILE = /^optimizer(\.[0-9a-f]{8})?\.(json|bin)$/;

// tensile's own file beside model.json (the Layers format has no place for optimizer state):
// optimizer.json says the class, config, step count, compile arguments and which slot arrays of which
// weight follow each other in optimizer.bin (float32, little-endian).

interface OptimizerJson {
  format: 'tensile-optimizer';
  version: 1;
  generatedBy: string;
  optimizer: { className: string; config: Record<string, unknown> };
  iterations: number;
  /** The loss and metrics given to compile, so that the loaded model trains on at once. */
  training?: { loss: string; metrics: string[] };
  /** Per weight (by name), the lengths of its slot arrays in optimizer.bin, in order. */
  slots: { weight: string; sizes: number[] }[];
  paths: string[];
}

export interface TrainedModel {
  readonly layers: readonly Layer[];
  optimizer?: Optimizer;
  readonly trainingConfig?: { loss: string; metrics: string[] };
}

/** optimizer.json + optimizer.bin for a compiled model (names passed through `name`), the JSON first. */
export function encodeOptimizer(
  model: TrainedModel,
  generatedBy: string,
  name: (base: string) => string = (b) => b,
): OutputFile[] {
  const opt = model.optimizer;
  if (!opt)
    throw new TensileError(
      'save',
      'includeOptimizer needs a compiled model: call model.compile({ optimizer, loss }) first',
    );
  const slots: OptimizerJson['slots'] = [];
  const arrays: Float32Array[] = [];
  for (const v of model.layers.flatMap((l) => [...l.weights])) {
    const s = opt.getSlots(v);
    if (!s) continue;
    slots.push({ weight: v.name, sizes: s.map((a) => a.length) });
    arrays.push(...s);
  }
  const bytes = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const json: OptimizerJson = {
    format: 'tensile-optimizer',
    version: 1,
    generatedBy,
    optimizer: { className: opt.className, config: opt.getConfig() },
    iterations: opt.iterations,
    ...(model.trainingConfig ? { training: model.trainingConfig } : {}),
    slots,
    paths: [name(OPTIMIZER_BIN)],
  };
  return [
    { name: name(OPTIMIZER_JSON), data: JSON.stringify(json) },
    { name: json.paths[0], data: bytes },
  ];
}

/** The optimizer, its step count and slots, read and checked completely before anything is returned. */
export async function readOptimizer(
  dir: string,
  ref: string,
  modelFile: string,
  variables: readonly Variable[],
): Promise<{ optimizer: Optimizer; training?: { loss: string; metrics: string[] } }> {
  if (!OPTIMIZER_FILE.test(ref) || !ref.endsWith('.json'))
    throw loadError(
      modelFile,
      `userDefinedMetadata.tensile.optimizer must be '${OPTIMIZER_JSON}' (or a versioned optimizer.<token>.json), got ${show(ref)}`,
    );
  const file = join(dir, ref);
  const json = await readJson(file, modelFile);
  const bad = (what: string) => loadError(file, what);
  if (!isRecord(json) || json.format !== 'tensile-optimizer' || json.version !== 1)
    throw bad(`is not a tensile optimizer file (format 'tensile-optimizer', version 1)`);
  const o = json as unknown as OptimizerJson;
  if (!isRecord(o.optimizer) || typeof o.optimizer.className !== 'string' || !isRecord(o.optimizer.config))
    throw bad('has no optimizer {className, config}');
  if (!Number.isInteger(o.iterations) || o.iterations < 0)
    throw bad(`iterations must be a non-negative integer, got ${show(o.iterations)}`);
  if (
    !Array.isArray(o.slots) ||
    !Array.isArray(o.paths) ||
    o.paths.length !== 1 ||
    typeof o.paths[0] !== 'string' ||
    !OPTIMIZER_FILE.test(o.paths[0]) ||
    !o.paths[0].endsWith('.bin')
  )
    throw bad(`must list slots and paths ['${OPTIMIZER_BIN}'] (or a versioned optimizer.<token>.bin)`);
  let optimizer: Optimizer;
  try {
    optimizer = optimizerFromConfig('loadModel', o.optimizer.className, o.optimizer.config);
  } catch (e) {
    throw bad((e as Error).message);
  }
  optimizer.iterations = o.iterations;
  const binFile = join(dir, o.paths[0]);
  const bin = await readBytes(binFile, file);
  const byName = new Map(variables.map((v) => [v.name, v]));
  const need = o.slots.reduce((n, s) => n + (Array.isArray(s?.sizes) ? s.sizes.reduce((a, b) => a + b, 0) * 4 : 0), 0);
  if (bin.length !== need)
    throw loadError(binFile, `holds ${bin.length} bytes, but ${file} describes ${need}; the file may be truncated`);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  let at = 0;
  const pending: [Variable, Float32Array[]][] = [];
  for (const s of o.slots) {
    const v = isRecord(s) && typeof s.weight === 'string' ? byName.get(s.weight) : undefined;
    if (!v) throw bad(`has slots for ${show(s?.weight)}, which is not a weight of the model`);
    if (!Array.isArray(s.sizes) || !s.sizes.every((n) => n === 0 || n === v.value.size))
      throw bad(`slot sizes ${show(s.sizes)} of ${s.weight} do not fit its ${v.value.size} values`);
    pending.push([
      v,
      s.sizes.map((n) => {
        const a = new Float32Array(n);
        for (let i = 0; i < n; i++, at += 4) a[i] = view.getFloat32(at, true);
        return a;
      }),
    ]);
  }
  for (const [v, arrays] of pending) optimizer.setSlots(v, arrays);
  const t = o.training;
  const training =
    isRecord(t) && typeof t.loss === 'string' && Array.isArray(t.metrics)
      ? { loss: t.loss, metrics: t.metrics.map(String) }
      : undefined;
  return { optimizer, ...(training ? { training } : {}) };
}
