import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { packageVersion } from '../internal/package-root.js';
import { LayersModel } from '../models/model.js';
import { OnnxGraph, type Value } from './graph.js';
import { type LayerGraph, layerGraphOf } from './layer-graph.js';
import { mappingOf } from './mappers.js';
import type { MapContext } from './mapping.js';
import { optimizeTransposes } from './transposes.js';
import { writeModel } from './writer.js';

/** Options of tl.exportOnnx. */
export interface ExportOnnxOptions {
  /** ONNX opset, 13 to 17 (default 17, IR version 8: onnxruntime ≥ 1.12, Triton's onnxruntime backend). */
  opset?: number;
}

/** A graph input or output of the exported file: its name and shape (null: any size, e.g. the batch). */
export interface OnnxTensorInfo {
  /** The name in the graph (Keras' layer name). */
  readonly name: string;
  /** Its dimensions; null for a dynamic one. */
  readonly shape: readonly (number | null)[];
}

/** What tl.exportOnnx wrote. */
export interface ExportOnnxResult {
  /** The file written. */
  readonly path: string;
  /** The file's size. */
  readonly bytes: number;
  /** The opset of the file. */
  readonly opset: number;
  /** The graph's inputs, in model order. */
  readonly inputs: readonly OnnxTensorInfo[];
  /** The graph's outputs, in model order. */
  readonly outputs: readonly OnnxTensorInfo[];
  /** ONNX op types in the graph, each with its count. */
  readonly ops: Readonly<Record<string, number>>;
}

const OPSETS = [13, 14, 15, 16, 17];

/** An unknown dimension's name in the file: the batch axis is 'batch'. */
const dims = (name: string, shape: readonly (number | null)[]) =>
  shape.map((d, i) => (d !== null ? d : i === 0 ? 'batch' : `${name}_dim${i}`));

/** Map a layer graph's nodes on values for its inputs; returns the values of its outputs. */
function mapNodes(ctx: MapContext, lg: LayerGraph, inputs: readonly Value[]): Value[] {
  const values = new Map<string, Value>(lg.inputs.map((i, k) => [i.id, inputs[k]]));
  for (const node of lg.nodes) {
    const outs = ctx.map(
      node.layer,
      node.inputs.map((id) => values.get(id)!),
    );
    if (outs.length !== node.outputs.length)
      throw new TensileError(
        'exportOnnx',
        `layer '${node.layer.name}' (${node.layer.className}) gives ${node.outputs.length} outputs in the model; its ONNX mapping gives ${outs.length} (returnState is not exported)`,
      );
    node.outputs.forEach((id, i) => values.set(id, outs[i]));
  }
  return lg.outputs.map((o) => values.get(o.id)!);
}

/** The model as an ONNX graph (not yet written). */
export function buildOnnxGraph(
  model: unknown,
  opset: number,
): { graph: OnnxGraph; inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] } {
  const lg = layerGraphOf(model);
  const g = new OnnxGraph(opset);
  for (const o of lg.outputs) g.claim(o.name);
  const inputs = lg.inputs.map((i) => {
    g.inputs.push({ name: g.claim(i.name), dims: dims(i.name, i.shape) });
    return { name: i.name, shape: i.shape };
  });
  const ctx: MapContext = {
    g,
    // A model used as a layer is inlined: its own graph, mapped on the values it is given.
    map: (layer: Layer, ins: readonly Value[]) =>
      layer instanceof LayersModel
        ? mapNodes(ctx, layerGraphOf(layer), ins)
        : mappingOf(layer).map(ctx, layer as never, ins),
  };
  const values = mapNodes(ctx, lg, inputs);
  optimizeTransposes(g, new Set([...values.map((v) => v.name), ...inputs.map((i) => i.name)]));
  const outputs = lg.outputs.map(({ name }, k) => {
    g.output(values[k], name, dims(name, values[k].shape));
    return { name, shape: values[k].shape };
  });
  return { graph: g, inputs, outputs };
}

/**
 * Write a model as an ONNX file (opset 17 by default) that ONNX Runtime, Triton's onnxruntime backend or any ONNX
 * runtime serves: same outputs as `model.predict` (within float32 rounding). Channels-last layers become
 * Transposes around ONNX's channels-first Conv and pooling (cancelled between consecutive layers), LSTM and GRU
 * ONNX's recurrent ops, Dropout nothing. A layer without an ONNX form is a TensileError naming it.
 * The batch axis is dynamic ('batch'). Weights go to the file straight from the model's arrays.
 * @example
 * const info = await tl.exportOnnx(model, 'model.onnx', { opset: 17 });
 * // info.inputs[0].name: the input to feed, e.g. 'dense_input'; info.outputs[0].name: the output, e.g. 'dense_2'
 */
export async function exportOnnx(
  model: unknown,
  path: string,
  options: ExportOnnxOptions = {},
): Promise<ExportOnnxResult> {
  if (typeof path !== 'string' || path === '')
    throw new TensileError(
      'exportOnnx',
      `path must be a file path such as 'model.onnx', got ${typeof path === 'string' ? "''" : typeof path}`,
    );
  if (options === null || typeof options !== 'object')
    throw new TensileError('exportOnnx', `options must be an object such as { opset: 17 }, got ${String(options)}`);
  const opset = options.opset ?? 17;
  if (!OPSETS.includes(opset))
    throw new TensileError(
      'exportOnnx',
      `opset must be an integer from ${OPSETS[0]} to ${OPSETS[OPSETS.length - 1]}, got ${String(opset)}`,
    );
  const { graph, inputs, outputs } = buildOnnxGraph(model, opset);
  const bytes = await writeModel(path, graph, {
    graphName: (model as { name: string }).name,
    producerVersion: packageVersion(),
  });
  const ops: Record<string, number> = {};
  for (const n of graph.nodes) ops[n.opType] = (ops[n.opType] ?? 0) + 1;
  return { path, bytes, opset, inputs, outputs, ops };
}
