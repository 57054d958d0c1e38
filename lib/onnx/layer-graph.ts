import { TensileError } from '../errors.js';
import { Embedding } from '../layers/embedding.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { RecurrentLayer } from '../layers/recurrent.js';
import { Bidirectional, TimeDistributed } from '../layers/wrappers.js';
import { Dropout } from '../layers/core.js';
import { Sequential } from '../models/sequential.js';

// A model as the exporter sees it: named inputs, layer nodes in execution order (each reading and writing
// value ids), named outputs. A Sequential is a chain; a functional model is the general case of the same
// form (its nodes in topological order, merge layers with several inputs, several inputs and outputs).
// TODO(#15): functional models (tl.model) as layer graphs once they exist.

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

/** The layer graph of a model, which must be built (its input shape known). */
export function layerGraphOf(model: unknown): LayerGraph {
  if (!(model instanceof Sequential))
    throw new TensileError('exportOnnx', `expected a model (tl.sequential() or one loaded with tl.loadModel), got ${model === null ? 'null' : typeof model === 'object' ? (model.constructor?.name ?? 'an object') : typeof model}`);
  if (model.layers.length === 0) throw new TensileError('exportOnnx', `model '${model.name}' has no layers`);
  const first = model.layers[0];
  const shape = model.inputBatchShape ?? first.inputShape;
  if (!model.built || !shape)
    throw new TensileError('exportOnnx', `model '${model.name}' is not built, so its input shape is unknown: give the first layer an inputShape, or call predict once before exporting`);
  // Keras names a Sequential's input after its first layer (dense_input).
  const inputName = `${first.name}_input`;
  const nodes = model.layers.map((layer, i) => ({ layer, inputs: [i === 0 ? 'input' : `v${i - 1}`], outputs: [`v${i}`] }));
  const last = model.layers[model.layers.length - 1];
  const graph = { inputs: [{ id: 'input', name: inputName, shape: [null, ...shape.slice(1)] }], nodes, outputs: [{ id: `v${nodes.length - 1}`, name: last.name }] };
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
  for (const { layer, inputs, outputs } of graph.nodes) {
    const source = inputs.map((i) => masked.get(i)).find((m) => m !== undefined);
    if (source && (layer instanceof RecurrentLayer || layer instanceof Bidirectional || (layer instanceof TimeDistributed && layer.layer instanceof RecurrentLayer)))
      throw new TensileError('exportOnnx', `layer '${layer.name}' (${layer.className}) reads the mask of '${source.name}' (Embedding with maskZero): ONNX's recurrent ops take sequence lengths, not per-step masks, so the masked steps cannot be exported exactly; export a model whose Embedding has maskZero false`);
    const passes = layer instanceof Dropout || layer instanceof TimeDistributed;
    for (const o of outputs) {
      if (layer instanceof Embedding && layer.maskZero) masked.set(o, layer);
      else if (source && passes) masked.set(o, source);
    }
  }
}
