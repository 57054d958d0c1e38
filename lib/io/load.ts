import { dirname, join } from 'node:path';
import { TensileError } from '../errors.js';
import '../layers/index.js'; // every built-in layer class registers itself on import
import { type Layer, withoutInitializers } from '../layers/layer.js';
import { layerClass, layerClassNames } from '../layers/registry.js';
import type { LayersModel } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { filePath, isDirectory, loadError, readJson } from './files.js';
import { MODEL_JSON, isRecord, show } from './format.js';
import { declaredBatchShape, readLayer, withoutBatchShape } from './layer-codec.js';
import { LAYER_SPECS } from './layer-configs.js';
import { matchWeights } from './match-weights.js';
import { readOptimizer } from './optimizer-state.js';
import { ConfigProblem } from './problem.js';
import { readGraph } from './read-graph.js';
import { type LayerEntry, type Topology, readModelConfig, readTopology } from './topology.js';
import { readWeights } from './weights.js';

/** Wrap a ConfigProblem with the file (and layer); anything else passes. */
function inFile<T>(file: string, context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigProblem || e instanceof TensileError) throw loadError(file, `${context}${e.message}`);
    throw e;
  }
}

const MODEL_CLASSES = ['Sequential', 'Functional', 'Model'];

/** Refuse every class tensile does not have (in nested models too), naming them all at once. */
function checkClasses(entries: readonly LayerEntry[], file: string): void {
  const missing: LayerEntry[] = [];
  const walk = (es: readonly LayerEntry[]) => {
    for (const e of es) {
      if (MODEL_CLASSES.includes(e.className))
        walk(
          inFile(
            file,
            `layer '${e.name}': `,
            () => readModelConfig({ class_name: e.className, config: e.config }).layers,
          ),
        );
      else if (!layerClass(e.className)) missing.push(e);
    }
  };
  walk(entries);
  if (missing.length === 0) return;
  const classes = [...new Set(missing.map((e) => e.className))];
  const layers =
    missing
      .slice(0, 4)
      .map((e) => `'${e.name}'`)
      .join(', ') + (missing.length > 4 ? ', ...' : '');
  const known = [...new Set([...Object.keys(LAYER_SPECS), ...layerClassNames()])].sort().join(', ');
  const register = `; if ${classes.join(', ')} ${classes.length > 1 ? 'are your own layer classes' : 'is your own layer class'}, register ${classes.length > 1 ? 'them' : 'it'} before loading: tl.serialization.registerClass(${classes[0]})`;
  throw loadError(
    file,
    `layer class${classes.length > 1 ? 'es' : ''} ${classes.join(', ')} (layers ${layers}) cannot be loaded: tensile has no such layer yet${register}; it loads ${known}`,
  );
}

/** One layer of a file, or a model nested as a layer. */
function buildLayer(e: LayerEntry, config: Record<string, unknown>, file: string, ignored: string[]): Layer {
  if (MODEL_CLASSES.includes(e.className))
    return buildModel(
      inFile(file, `layer '${e.name}': `, () => readModelConfig({ class_name: e.className, config: e.config })),
      file,
      ignored,
    );
  const before = ignored.length;
  const layer = inFile(file, `layer '${e.name}' (${e.className}): `, () => readLayer(e.className, config, ignored));
  for (let j = before; j < ignored.length; j++) ignored[j] = `'${e.name}' ${ignored[j]}`;
  return layer;
}

/** A Sequential from its chain (only the first layer keeps an input shape: Keras 2 repeats it after an InputLayer), or a graph. */
function buildModel(t: Topology, file: string, ignored: string[]): LayersModel {
  const named = t.name ? { name: t.name } : {};
  if (t.graph) {
    const graph = t.graph;
    const entries = t.layers.map((e) => ({
      layer: buildLayer(
        e,
        e.className === 'InputLayer' ? e.config : withoutBatchShape(e.config, e.className),
        file,
        ignored,
      ),
      inboundNodes: e.inboundNodes,
    }));
    return inFile(file, '', () => readGraph(t.name, entries, graph));
  }
  const layers = t.layers.map((e, i) => {
    let config = i === 0 ? e.config : withoutBatchShape(e.config, e.className);
    const shape = e.buildInputShape ?? t.buildInputShape;
    if (i === 0 && shape != null && !inFile(file, '', () => declaredBatchShape(config, e.className)))
      config = { ...config, batch_input_shape: shape };
    return buildLayer(e, config, file, ignored);
  });
  return inFile(file, '', () => new Sequential({ ...named, layers }));
}

/**
 * Load a model saved in the TensorFlow.js Layers format: by tensile's model.save, by tfjs-layers, or
 * by Keras 2/3 through the tfjs converter. Sequential models load, and Functional/Model ones whose
 * layers form one chain (as a Sequential). Anything unreadable is a TensileError naming the file.
 * @example
 * const model = await tl.loadModel('file://models/mnist/model.json');
 * const probs = model.predict(images);
 */
export async function loadModel(url: string): Promise<LayersModel> {
  let file = filePath('loadModel', url);
  if (await isDirectory(file)) file = join(file, MODEL_JSON);
  try {
    return await readModel(file);
  } catch (e) {
    if (e instanceof TensileError) throw e;
    // Whatever a malformed file provoked that no check above names (a RangeError, a TypeError): name the file.
    throw loadError(file, `cannot be loaded (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)})`);
  }
}

async function readModel(file: string): Promise<LayersModel> {
  const json = await readJson(file);
  if (!isRecord(json)) throw loadError(file, `is not a model.json object (got ${show(json)})`);
  if (json.format !== undefined && json.format !== 'layers-model')
    throw loadError(
      file,
      `has format ${show(json.format)}; tensile loads 'layers-model' files (a 'graph-model' holds a TensorFlow graph, not Keras layers)`,
    );
  const topology = inFile(file, '', () => readTopology(json.modelTopology));
  checkClasses(topology.layers, file);
  const ignored: string[] = [];
  const model = withoutInitializers(() => buildModel(topology, file, ignored));
  if (ignored.length > 0) process.emitWarning(`loadModel: ${file}: ignored ${ignored.join('; ')}`);
  if (model.layers.length === 0) throw loadError(file, 'describes a model without layers');
  const dir = dirname(file);
  const weights = await readWeights(json.weightsManifest, dir, file);
  if (!model.built && weights.size > 0)
    throw loadError(
      file,
      'does not give the input shape (no InputLayer, batch_input_shape or batch_shape on the first layer), so its weights cannot be placed',
    );
  const assignments = matchWeights(model.layers, weights, file);
  const meta = json.userDefinedMetadata;
  const ref = isRecord(meta) && isRecord(meta.tensile) ? meta.tensile.optimizer : undefined;
  const variables = model.layers.flatMap((l) => [...l.weights]);
  const restored = ref === undefined ? undefined : await readOptimizer(dir, String(ref), file, variables);
  // Everything is read and checked: only now do values go into the model.
  for (const [v, values] of assignments) v.assign(values);
  if (restored) {
    model.optimizer = restored.optimizer;
    if (restored.training) {
      try {
        model.compile({
          optimizer: restored.optimizer,
          loss: restored.training.loss,
          metrics: restored.training.metrics,
        });
      } catch (e) {
        process.emitWarning(
          `loadModel: ${file}: optimizer state restored, but compile failed (${(e as Error).message}); call model.compile({ optimizer: model.optimizer, loss })`,
        );
      }
    }
  }
  return model;
}
