import { MAX_JSON_DEPTH, isRecord, jsonDepth, show } from './format.js';
import { problem } from './problem.js';

// modelTopology → the model class and its layer configs. Accepts the tfjs-layers form (the
// model config directly), the converter's { model_config, training_config } wrapper, Keras 3's
// { module, class_name, config, registered_name } entries, and Sequential, Functional and Model classes.

export interface LayerEntry {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Keras 3's build_config.input_shape, when the file has one. */
  buildInputShape?: unknown;
  /** In a graph: the calls of the layer (read by read-graph.ts). */
  inboundNodes?: unknown;
}

export interface Topology {
  modelClass: string;
  name?: string;
  /** Sequential: from input to output, an InputLayer, when present, first. A graph: in the file's order. */
  layers: LayerEntry[];
  /** Keras 3 Sequential's build_input_shape. */
  buildInputShape?: unknown;
  /** A graph's config (layers with inbound_nodes, input_layers, output_layers). */
  graph?: Record<string, unknown>;
}

function entry(v: unknown, i: number): LayerEntry {
  if (!isRecord(v) || typeof v.class_name !== 'string')
    problem(`layer ${i} must be {class_name, config}, got ${show(v)}`);
  const config = v.config ?? {};
  if (!isRecord(config)) problem(`layer ${i} (${v.class_name}) has a config that is not an object: ${show(config)}`);
  const name =
    typeof v.name === 'string' ? v.name : typeof config.name === 'string' ? config.name : `${v.class_name} ${i}`;
  const build = isRecord(v.build_config) ? v.build_config.input_shape : undefined;
  return {
    className: v.class_name,
    name,
    config,
    inboundNodes: v.inbound_nodes,
    ...(build !== undefined ? { buildInputShape: build } : {}),
  };
}

/** Read a model.json's modelTopology. Throws a ConfigProblem; the caller names the file. */
export function readTopology(topology: unknown): Topology {
  if (!isRecord(topology)) problem(`modelTopology is missing or not an object (got ${show(topology)})`);
  return readModelConfig(topology.model_config ?? topology);
}

/** A model's {class_name, config}: the top one, or one nested as a layer. */
export function readModelConfig(model: unknown): Topology {
  if (typeof model === 'string') {
    try {
      model = JSON.parse(model);
    } catch {
      problem('modelTopology.model_config is a string that is not valid JSON');
    }
    if (jsonDepth(model) > MAX_JSON_DEPTH)
      problem(`modelTopology.model_config nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
  if (!isRecord(model) || typeof model.class_name !== 'string')
    problem(`modelTopology has no model class_name (expected Sequential, Functional or Model)`);
  const modelClass = model.class_name;
  const config = model.config;
  if (modelClass === 'Sequential') {
    // Keras ≤ 2.1 wrote the Sequential config as the bare list of layers.
    const layers = Array.isArray(config)
      ? config
      : isRecord(config) && Array.isArray(config.layers)
        ? config.layers
        : problem('the Sequential config has no layers list');
    const name = isRecord(config) && typeof config.name === 'string' ? config.name : undefined;
    const build = isRecord(config) ? config.build_input_shape : undefined;
    return { modelClass, name, layers: layers.map(entry), ...(build != null ? { buildInputShape: build } : {}) };
  }
  if (modelClass === 'Functional' || modelClass === 'Model') {
    if (!isRecord(config)) problem(`the ${modelClass} config is not an object`);
    if (!Array.isArray(config.layers)) problem(`the ${modelClass} config has no layers list`);
    return {
      modelClass,
      name: typeof config.name === 'string' ? config.name : undefined,
      layers: config.layers.map(entry),
      graph: config,
    };
  }
  return problem(`model class '${modelClass}' is not supported; tensile loads Sequential, Functional and Model`);
}
