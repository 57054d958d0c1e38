import { TensileError } from '../errors.js';
import { Embedding } from '../layers/embedding.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { RecurrentLayer } from '../layers/recurrent.js';
import { Bidirectional, TimeDistributed } from '../layers/wrappers.js';
import { Dropout } from '../layers/core.js';
import { LayersModel } from '../models/model.js';
import { orderGraph } from '../models/graph-order.js';
import { Sequential } from '../models/sequential.js';
import { MultiHeadAttention } from '../layers/multi-head-attention.js';
import { GlobalAveragePooling1D } from '../layers/pooling.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';

// A model as the exporter sees it: named inputs, layer nodes in execution order (each reading and writing
// value ids), named outputs. Sequential and functional models alike (tl.model: shared layers, merge layers,
// several inputs and outputs); a model used as a layer inside another is inlined by the exporter.

export interface LayerNode {
  readonly layer: Layer;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface LayerGraph {
  readonly inputs: readonly { readonly id: string; readonly name: string; readonly shape: SymbolicShape }[];
  readonly nodes: readonly LayerNode[];
  readonly outputs: readonly { readonly id: string; readonly name: string }[];
}

const id = (t: SymbolicTensor) => `t${t.id}`;

/** The layer graph of a model, which must be built (its graph known). */
export function layerGraphOf(model: unknown): LayerGraph {
  if (!(model instanceof LayersModel))
    throw new TensileError(
      'exportOnnx',
      `expected a model (tl.sequential(), tl.model() or one loaded with tl.loadModel), got ${model === null ? 'null' : typeof model === 'object' ? (model.constructor?.name ?? 'an object') : typeof model}`,
    );
  if (model instanceof Sequential && model.layers.length === 0)
    throw new TensileError('exportOnnx', `model '${model.name}' has no layers`);
  if (!model.built || model.layers.length === 0)
    throw new TensileError(
      'exportOnnx',
      `model '${model.name}' is not built, so its input shape is unknown: give the first layer an inputShape, or call predict once before exporting`,
    );
  const ins = model.inputs,
    outs = model.outputs;
  const nodes = orderGraph('exportOnnx', ins, outs).nodes.map((node) => {
    const kwargs = Object.entries(node.kwargs).filter(([k, v]) => !(k === 'training' && v === false));
    if (kwargs.length > 0)
      throw new TensileError(
        'exportOnnx',
        `layer '${node.layer.name}' (${node.layer.className}) is called with ${kwargs.map(([k]) => k).join(', ')}; export supports calls with inputs only`,
      );
    return { layer: node.layer, inputs: node.inputs.map(id), outputs: node.outputs.map(id) };
  });
  // Output names: the layers' (Keras' output names), made unique when one layer gives several.
  const taken = new Map<string, number>();
  const outputs = outs.map((t) => {
    const base = t.sourceLayer.name;
    const n = taken.get(base) ?? 0;
    taken.set(base, n + 1);
    return { id: id(t), name: n === 0 ? base : `${base}_${n}` };
  });
  const graph = { inputs: ins.map((t) => ({ id: id(t), name: t.sourceLayer.name, shape: t.shape })), nodes, outputs };
  checkMasks(graph);
  return graph;
}

/**
 * Keras' implicit masks (an Embedding with maskZero, read by the recurrent layers after it) make masked steps
 * carry the state through unchanged; ONNX's LSTM, GRU and RNN have sequence lengths (padding at the end only,
 * zero outputs there), not per-step masks, so such a model has no exact ONNX form: refuse it by name.
 */
function checkMasks(graph: LayerGraph): void {
  const masked = new Map<string, Layer>();
  // Attention and average pooling over steps read a mask that may have come through any layers: refuse them
  // downstream of any masking Embedding (tracked through every layer), rather than export unmasked math.
  const downstream = new Map<string, Layer>();
  for (const { layer, inputs, outputs } of graph.nodes) {
    const source = inputs.map((i) => masked.get(i)).find((m) => m !== undefined);
    const upstream = inputs.map((i) => downstream.get(i)).find((m) => m !== undefined);
    if (upstream && (layer instanceof MultiHeadAttention || layer instanceof GlobalAveragePooling1D))
      throw new TensileError(
        'exportOnnx',
        `layer '${layer.name}' (${layer.className}) may read the mask of '${upstream.name}' (Embedding with maskZero), which the exported graph would not apply; export a model whose Embedding has maskZero false`,
      );
    for (const o of outputs) {
      const from = layer instanceof Embedding && layer.maskZero ? layer : upstream;
      if (from) downstream.set(o, from);
    }
    if (
      source &&
      (layer instanceof RecurrentLayer ||
        layer instanceof Bidirectional ||
        (layer instanceof TimeDistributed && layer.layer instanceof RecurrentLayer))
    )
      throw new TensileError(
        'exportOnnx',
        `layer '${layer.name}' (${layer.className}) reads the mask of '${source.name}' (Embedding with maskZero): ONNX's recurrent ops take sequence lengths, not per-step masks, so the masked steps cannot be exported exactly; export a model whose Embedding has maskZero false`,
      );
    const passes = layer instanceof Dropout || layer instanceof TimeDistributed;
    for (const o of outputs) {
      if (layer instanceof Embedding && layer.maskZero) masked.set(o, layer);
      else if (source && passes) masked.set(o, source);
    }
  }
}
