import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { LayersModel } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import type { KerasObject } from './format.js';
import { writeLayer } from './layer-codec.js';
import { problem } from './problem.js';

// A model's Keras config as tfjs-layers and Keras 2 write it: Sequential as its list of layers; a graph as
// its layers with inbound_nodes [[[layer, node, tensor, kwargs], ...], ...] and input_layers/output_layers
// triples. Node indices count the calls of a layer inside this model only; a nested model's first such call
// has index 1 (index 0 is the call of its own inputs to its outputs, which Keras and tfjs record).

const toSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Nested models count from 1 (see above); everything else from 0. */
export const firstNodeIndex = (layer: Layer): number => (layer instanceof LayersModel ? 1 : 0);

/** The Keras config of a model (class_name + config), nested models included. */
export function writeModel(model: LayersModel): KerasObject {
  if (model instanceof Sequential) {
    const batchShape = model.inputBatchShape ?? model.layers[0]?.inputShape;
    const layers = model.layers.map((l, i) => writeAny(l, i === 0 ? batchShape : undefined));
    return { class_name: 'Sequential', config: { name: model.name, layers } };
  }
  const inGraph = new Set<Node>([...model.inputs.map((x) => x.sourceLayer.inboundNodes[0]), ...graphNodes(model)]);
  // Each layer's calls in this model, renumbered in order (a shared layer's calls in other models are skipped).
  const index = new Map<Node, number>();
  for (const l of model.layers) {
    let k = firstNodeIndex(l);
    for (const n of l.inboundNodes) if (inGraph.has(n)) index.set(n, k++);
  }
  const ref = (x: SymbolicTensor): [string, number, number] => {
    const n = x.sourceLayer.inboundNodes[x.nodeIndex];
    return [
      x.sourceLayer.name,
      index.get(n) ?? problem(`tensor ${x.name} is not made inside model '${model.name}'`),
      x.tensorIndex,
    ];
  };
  const layers = model.layers.map((l) => {
    const own = writeAny(l, l instanceof InputLayer ? l.batchInputShape : undefined);
    const nodes =
      l instanceof InputLayer
        ? []
        : l.inboundNodes
            .filter((n) => inGraph.has(n))
            .map((n) => {
              const kwargs = writeKwargs(l, n);
              return n.inputs.map((x) => [...ref(x), kwargs]);
            });
    return { ...own, name: l.name, inbound_nodes: nodes };
  });
  return {
    class_name: 'Model',
    config: { name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) },
  };
}

function writeAny(l: Layer, batchShape?: readonly (number | null)[]): KerasObject {
  return l instanceof LayersModel ? writeModel(l) : writeLayer(l, batchShape);
}

/** The nodes a model runs (not its inputs' own). */
function graphNodes(model: LayersModel): Node[] {
  const seen = new Set<Node>();
  const walk = (x: SymbolicTensor) => {
    const n = x.sourceLayer.inboundNodes[x.nodeIndex];
    if (seen.has(n) || model.inputs.includes(x)) return;
    seen.add(n);
    n.dependencies.forEach(walk);
  };
  model.outputs.forEach(walk);
  return [...seen];
}

/** A node's keyword arguments in snake_case; symbolic ones cannot be written in the tfjs form. */
function writeKwargs(l: Layer, n: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n.kwargs)) {
    if (v instanceof SymbolicTensor || (Array.isArray(v) && v.some((e) => e instanceof SymbolicTensor)))
      problem(
        `layer '${l.name}' takes the tensor ${k} as a keyword argument; the tfjs file form has no place for it (pass it in the input list)`,
      );
    if (v !== undefined) out[toSnake(k)] = v;
  }
  return out;
}
