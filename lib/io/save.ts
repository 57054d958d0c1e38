import { basename, dirname } from 'node:path';
import { optionsObject } from '../internal/names.js';
import { TensileError } from '../errors.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { packageVersion } from '../internal/package-root.js';
import { filePath, writeAtomically } from './files.js';
import { MODEL_JSON, type ModelJson, OPTIMIZER_JSON } from './format.js';
import { writeLayer } from './layer-configs.js';
import { type TrainedModel, encodeOptimizer } from './optimizer-state.js';
import { ConfigProblem } from './problem.js';
import { weightNames } from './match-weights.js';
import { encodeWeights } from './weights.js';
import { syncHost } from '../tensor/storage.js';

export interface SaveOptions {
  /**
   * Also write the optimizer (class, config, step count, slots) and the compile arguments beside
   * model.json, so that a loaded model resumes fit exactly where this one stopped. Default false.
   */
  includeOptimizer?: boolean;
}

export interface SaveResult {
  /** Every file written, model.json first. */
  files: string[];
  /** Bytes of weight data (float32). */
  weightBytes: number;
}

/** The model as saving needs it. */
export interface SavableModel extends TrainedModel {
  readonly name: string;
  readonly built: boolean;
  readonly inputBatchShape?: SymbolicShape;
}

/**
 * Write model.json (Keras topology in the tfjs-layers spelling, weightsManifest) and weight shards of
 * at most 4 MiB into the folder `url` names ('file://dir', or a path ending in .json for another
 * file name); everything goes to temporary files renamed into place.
 */
export async function saveModel(model: SavableModel, url: string, options: SaveOptions = {}): Promise<SaveResult> {
  const op = 'save';
  optionsObject(op, options, ['includeOptimizer'], '{ includeOptimizer: true }');
  const path = filePath(op, url);
  const [dir, jsonName] = path.endsWith('.json') ? [dirname(path), basename(path)] : [path, MODEL_JSON];
  if (model.layers.length === 0) throw new TensileError(op, 'the model has no layers');
  if (!model.built) throw new TensileError(op, 'the model is not built yet, so its weights do not exist: give the first layer an inputShape, or fit or predict first');
  const first = model.layers[0];
  const batchShape = model.inputBatchShape ?? first.inputShape;
  const version = `tensile ${packageVersion()}`;

  let layers;
  try {
    layers = model.layers.map((l: Layer, i) => writeLayer(l, i === 0 ? batchShape : undefined));
  } catch (e) {
    if (e instanceof ConfigProblem) throw new TensileError(op, e.message);
    throw e;
  }
  const weights = model.layers.flatMap((l) => {
    const names = weightNames(l);
    return l.weights.map((v, i) => ({ name: names[i], shape: v.shape, values: syncHost(v.value.data) }));
  });
  const { manifest, shards } = encodeWeights(weights);
  const json: ModelJson = {
    format: 'layers-model',
    generatedBy: version,
    convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: version, backend: 'tensile' },
    weightsManifest: manifest,
  };
  const extra = options.includeOptimizer ? encodeOptimizer(model, version) : [];
  if (options.includeOptimizer) json.userDefinedMetadata = { tensile: { optimizer: OPTIMIZER_JSON } };
  const files = await writeAtomically(op, dir, [{ name: jsonName, data: JSON.stringify(json) }, ...shards, ...extra], jsonName);
  return { files, weightBytes: weights.reduce((n, w) => n + w.values.byteLength, 0) };
}
