import { MAX_JSON_DEPTH, isRecord, jsonDepth, show } from './format.js';
import { problem } from './problem.js';

// modelTopology → the ordered list of layer configs of one chain. Accepts the tfjs-layers form (the
// model config directly), the converter's { model_config, training_config } wrapper, Keras 3's
// { module, class_name, config, registered_name } entries, and Sequential, Functional and Model classes.

export interface LayerEntry {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Keras 3's build_config.input_shape, when the file has one. */
  buildInputShape?: unknown;
}

export interface Topology {
  modelClass: string;
  name?: string;
  /** From input to output; an InputLayer, when present, comes first. */
  layers: LayerEntry[];
  /** Keras 3 Sequential's build_input_shape. */
  buildInputShape?: unknown;
}

function entry(v: unknown, i: number): LayerEntry {
  if (!isRecord(v) || typeof v.class_name !== 'string') problem(`layer ${i} must be {class_name, config}, got ${show(v)}`);
  const config = v.config ?? {};
  if (!isRecord(config)) problem(`layer ${i} (${v.class_name}) has a config that is not an object: ${show(config)}`);
  const name = typeof v.name === 'string' ? v.name : typeof config.name === 'string' ? config.name : `${v.class_name} ${i}`;
  const build = isRecord(v.build_config) ? v.build_config.input_shape : undefined;
  return { className: v.class_name, name, config, ...(build !== undefined ? { buildInputShape: build } : {}) };
}

/** Tensor references of a node: Keras 2/tfjs [[name, node, tensor, kwargs], ...]; Keras 3 {args, kwargs} with __keras_tensor__ objects. */
function nodeSources(node: unknown): [string, number, number][] {
  if (Array.isArray(node)) {
    return node.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string') problem(`inbound node entry ${show(ref)} is not [layer, node, tensor, kwargs]`);
      return [ref[0], Number(ref[1] ?? 0), Number(ref[2] ?? 0)];
    });
  }
  const found: [string, number, number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) {
      if (v.class_name === '__keras_tensor__' && isRecord(v.config) && Array.isArray(v.config.keras_history)) {
        const [name, n, t] = v.config.keras_history as unknown[];
        found.push([String(name), Number(n ?? 0), Number(t ?? 0)]);
      } else Object.values(v).forEach(walk);
    }
  };
  if (!isRecord(node)) problem(`inbound node ${show(node)} is neither a list of tensor references nor {args, kwargs}`);
  walk(node.args);
  walk(node.kwargs);
  return found;
}

/** input_layers / output_layers: [[name, 0, 0], ...], or Keras 3's single [name, 0, 0]. */
function endpoints(v: unknown, what: string): string[] {
  if (!Array.isArray(v)) problem(`${what} is missing or not a list`);
  const refs = typeof v[0] === 'string' ? [v] : v;
  return refs.map((r) => (Array.isArray(r) && typeof r[0] === 'string' ? r[0] : problem(`${what} entry ${show(r)} is not [layer, node, tensor]`)));
}

const CHAIN_ONLY = 'tensile loads a functional model only when its layers form one chain (one input, one output, each layer fed by the one before)';

/** The layers of a Functional/Model config in chain order, or a problem naming what is not a chain. */
function functionalChain(config: Record<string, unknown>, modelClass: string): LayerEntry[] {
  if (!Array.isArray(config.layers)) problem(`the ${modelClass} config has no layers list`);
  const raw = config.layers as unknown[];
  const entries = raw.map(entry);
  const inputs = endpoints(config.input_layers, 'input_layers');
  const outputs = endpoints(config.output_layers, 'output_layers');
  if (inputs.length !== 1 || outputs.length !== 1)
    problem(`the model has ${inputs.length} inputs (${inputs.join(', ')}) and ${outputs.length} outputs (${outputs.join(', ')}); ${CHAIN_ONLY}`);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const source = new Map<string, string>();
  const consumers = new Map<string, string[]>();
  raw.forEach((r, i) => {
    const e = entries[i];
    const nodes = (r as Record<string, unknown>).inbound_nodes ?? [];
    if (!Array.isArray(nodes)) problem(`layer '${e.name}' has inbound_nodes that are not a list`);
    if (e.name === inputs[0]) {
      if (nodes.length > 0) problem(`the input '${e.name}' is fed by another layer; ${CHAIN_ONLY}`);
      return;
    }
    if (nodes.length !== 1) problem(`layer '${e.name}' (${e.className}) is ${nodes.length === 0 ? 'not connected' : `applied ${nodes.length} times (a shared layer)`}; ${CHAIN_ONLY}`);
    const refs = nodeSources(nodes[0]);
    if (refs.length !== 1) problem(`layer '${e.name}' (${e.className}) takes ${refs.length} inputs (${refs.map((x) => x[0]).join(', ')}); ${CHAIN_ONLY}`);
    const [from, node, tensor] = refs[0];
    if (!byName.has(from)) problem(`layer '${e.name}' is fed by '${from}', which is not in the model`);
    if (node !== 0 || tensor !== 0) problem(`layer '${e.name}' takes output ${tensor} of call ${node} of '${from}'; ${CHAIN_ONLY}`);
    source.set(e.name, from);
    consumers.set(from, [...(consumers.get(from) ?? []), e.name]);
  });
  for (const [from, to] of consumers) if (to.length > 1) problem(`the output of '${from}' feeds ${to.length} layers (${to.join(', ')}); ${CHAIN_ONLY}`);
  const chain: string[] = [outputs[0]];
  while (source.has(chain[0])) chain.unshift(source.get(chain[0])!);
  if (chain[0] !== inputs[0]) problem(`the output '${outputs[0]}' is not reached from the input '${inputs[0]}'; ${CHAIN_ONLY}`);
  const off = entries.filter((e) => !chain.includes(e.name));
  if (off.length > 0) problem(`layers ${off.map((e) => `'${e.name}'`).join(', ')} are not on the path from '${inputs[0]}' to '${outputs[0]}'; ${CHAIN_ONLY}`);
  return chain.map((n) => byName.get(n)!);
}

/** Read a model.json's modelTopology. Throws a ConfigProblem; the caller names the file. */
export function readTopology(topology: unknown): Topology {
  if (!isRecord(topology)) problem(`modelTopology is missing or not an object (got ${show(topology)})`);
  let model: unknown = topology.model_config ?? topology;
  if (typeof model === 'string') {
    try {
      model = JSON.parse(model);
    } catch {
      problem('modelTopology.model_config is a string that is not valid JSON');
    }
    if (jsonDepth(model) > MAX_JSON_DEPTH) problem(`modelTopology.model_config nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
  if (!isRecord(model) || typeof model.class_name !== 'string') problem(`modelTopology has no model class_name (expected Sequential, Functional or Model)`);
  const modelClass = model.class_name;
  const config = model.config;
  if (modelClass === 'Sequential') {
    // Keras ≤ 2.1 wrote the Sequential config as the bare list of layers.
    const layers = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : problem('the Sequential config has no layers list');
    const name = isRecord(config) && typeof config.name === 'string' ? config.name : undefined;
    const build = isRecord(config) ? config.build_input_shape : undefined;
    return { modelClass, name, layers: layers.map(entry), ...(build != null ? { buildInputShape: build } : {}) };
  }
  if (modelClass === 'Functional' || modelClass === 'Model') {
    if (!isRecord(config)) problem(`the ${modelClass} config is not an object`);
    return { modelClass, name: typeof config.name === 'string' ? config.name : undefined, layers: functionalChain(config, modelClass) };
  }
  return problem(`model class '${modelClass}' is not supported; tensile loads Sequential, and Functional or Model when the layers form one chain`);
}
