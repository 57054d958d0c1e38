import { basename, dirname } from 'node:path';
import { optionsObject } from '../internal/names.js';
import { TensileError } from '../errors.js';
import { packageVersion } from '../internal/package-root.js';
import { filePath } from './files.js';
import { MODEL_JSON, type ModelJson } from './format.js';
import { writeModel } from './model-config.js';
import type { LayersModel } from '../models/model.js';
import { type SaveOptions, type SaveResult, setModelWriter } from '../models/writer.js';
import { encodeOptimizer } from './optimizer-state.js';
import { ConfigProblem } from './problem.js';
import { weightNames } from './match-weights.js';
import { replaceModel } from './replace.js';
import { encodeWeights } from './weights.js';

/**
 * Write model.json (Keras topology in the tfjs-layers spelling, weightsManifest) and weight shards of
 * at most 4 MiB into the folder `url` names ('file://dir', or a path ending in .json for another
 * file name), replacing a model saved there before crash-safely (replace.ts): after a crash at any point the
 * folder holds the complete old model or the complete new one.
 */
export async function saveModel(model: LayersModel, url: string, options: SaveOptions = {}): Promise<SaveResult> {
  const op = 'save';
  optionsObject(op, options, ['includeOptimizer'], '{ includeOptimizer: true }');
  const path = filePath(op, url);
  const [dir, jsonName] = path.endsWith('.json') ? [dirname(path), basename(path)] : [path, MODEL_JSON];
  if (model.layers.length === 0) throw new TensileError(op, 'the model has no layers');
  if (!model.built)
    throw new TensileError(
      op,
      'the model is not built yet, so its weights do not exist: give the first layer an inputShape, or fit or predict first',
    );
  const version = `tensile ${packageVersion()}`;

  let topology;
  try {
    topology = writeModel(model);
  } catch (e) {
    if (e instanceof ConfigProblem) throw new TensileError(op, e.message);
    throw e;
  }
  const weights = model.layers.flatMap((l) => {
    const names = weightNames(l);
    return l.weights.map((v, i) => ({ name: names[i], shape: v.shape, values: v.value.data }));
  });
  // The values are copied into the shards here, before any await: what is written is one consistent state, even
  // when fit goes on training between the file writes.
  const files = await replaceModel(op, dir, jsonName, (name) => {
    const { manifest, shards } = encodeWeights(weights, name);
    const json: ModelJson = {
      format: 'layers-model',
      generatedBy: version,
      convertedBy: null,
      modelTopology: { ...topology, keras_version: version, backend: 'tensile' },
      weightsManifest: manifest,
    };
    const extra = options.includeOptimizer ? encodeOptimizer(model, version, name) : [];
    if (extra.length) json.userDefinedMetadata = { tensile: { optimizer: extra[0].name } };
    return { json: JSON.stringify(json), files: [...shards, ...extra] };
  });
  return { files, weightBytes: weights.reduce((n, w) => n + w.values.byteLength, 0) };
}

setModelWriter(saveModel);
