import { toCamel } from '../internal/names.js';
import type { Layer } from '../layers/layer.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { LayersModel } from '../models/model.js';
import { isRecord, show } from './format.js';
import { problem } from './problem.js';

// The graph of a Functional/Model config: which call of which layer takes which tensors. Keras 2 and tfjs
// write a call as [[layer, node, tensor, kwargs], ...]; Keras 3 as {args, kwargs} holding __keras_tensor__
// objects whose keras_history is [layer, node, tensor]. input_layers/output_layers are lists of triples, or
// Keras 3's single triple.

type Ref = { layer: string; node: number; tensor: number };
/** One call as the file gives it: its inputs (a list or one), and keyword arguments that may hold tensors. */
interface CallData {
  inputs: Ref[];
  inputIsList: boolean;
  kwargs: Record<string, unknown>;
}
const TENSOR = Symbol('tensor ref');
type KwRef = { [TENSOR]: Ref };

function kerasTensor(v: unknown): Ref | undefined {
  if (
    !isRecord(v) ||
    v.class_name !== '__keras_tensor__' ||
    !isRecord(v.config) ||
    !Array.isArray(v.config.keras_history)
  )
    return undefined;
  const [layer, node, tensor] = v.config.keras_history as unknown[];
  if (typeof layer !== 'string')
    problem(`a __keras_tensor__ has keras_history ${show(v.config.keras_history)}; expected [layer, node, tensor]`);
  return { layer, node: Number(node ?? 0), tensor: Number(tensor ?? 0) };
}
const refOf = (r: unknown[]): Ref => ({ layer: String(r[0]), node: Number(r[1] ?? 0), tensor: Number(r[2] ?? 0) });

/** Keyword arguments in camelCase, tensors among them as references; nulls dropped (Keras 3 writes mask: null). */
function readKwargs(v: unknown): Record<string, unknown> {
  if (!isRecord(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    const t = kerasTensor(x);
    out[toCamel(k)] = t ? ({ [TENSOR]: t } satisfies KwRef) : x;
  }
  return out;
}

function readCall(node: unknown, layer: string): CallData {
  if (Array.isArray(node)) {
    const refs = node.map((r) =>
      Array.isArray(r) && typeof r[0] === 'string'
        ? r
        : problem(`layer '${layer}': inbound node entry ${show(r)} is not [layer, node, tensor, kwargs]`),
    );
    return { inputs: refs.map(refOf), inputIsList: refs.length > 1, kwargs: readKwargs(refs[0]?.[3]) };
  }
  if (!isRecord(node))
    problem(`layer '${layer}': inbound node ${show(node)} is neither a list of tensor references nor {args, kwargs}`);
  const args = Array.isArray(node.args) ? node.args : [];
  const one = args.length === 1 ? kerasTensor(args[0]) : undefined;
  if (one) return { inputs: [one], inputIsList: false, kwargs: readKwargs(node.kwargs) };
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  const inputs = list.map(
    (a) => kerasTensor(a) ?? problem(`layer '${layer}': call argument ${show(a)} is not a tensor`),
  );
  return { inputs, inputIsList: true, kwargs: readKwargs(node.kwargs) };
}

/** input_layers / output_layers: [[name, node, tensor], ...], or Keras 3's single [name, node, tensor]. */
function endpoints(v: unknown, what: string): Ref[] {
  if (!Array.isArray(v) || v.length === 0) problem(`${what} is missing or empty`);
  const refs = typeof v[0] === 'string' ? [v] : v;
  return refs.map((r) =>
    Array.isArray(r) && typeof r[0] === 'string'
      ? refOf(r)
      : problem(`${what} entry ${show(r)} is not [layer, node, tensor]`),
  );
}

export interface GraphEntry {
  layer: Layer;
  inboundNodes: unknown;
}

/**
 * Apply the layers as the file's inbound_nodes say, in an order where every call finds its inputs made (as
 * Keras' reconstruction does), and make the model. Refuses references to missing layers, calls or outputs,
 * and cycles, naming the layers.
 */
export function readGraph(
  name: string | undefined,
  entries: readonly GraphEntry[],
  config: Record<string, unknown>,
): LayersModel {
  const byName = new Map(entries.map((e) => [e.layer.name, e.layer]));
  const calls = entries.map((e) => {
    if (e.inboundNodes !== undefined && !Array.isArray(e.inboundNodes))
      problem(`layer '${e.layer.name}' has inbound_nodes that are not a list`);
    return { layer: e.layer, queue: ((e.inboundNodes ?? []) as unknown[]).map((n) => readCall(n, e.layer.name)) };
  });
  const inputs = endpoints(config.input_layers, 'input_layers');
  const outputs = endpoints(config.output_layers, 'output_layers');
  const allRefs = [
    ...inputs,
    ...outputs,
    ...calls.flatMap((c) => c.queue.flatMap((d) => [...d.inputs, ...kwargRefs(d.kwargs)])),
  ];
  for (const r of allRefs)
    if (!byName.has(r.layer)) problem(`a call refers to layer '${r.layer}', which is not in the model`);

  // What each layer's calls made, by the file's node index; a nested model's count starts at 1 (its own call is 0).
  const made = new Map<string, (SymbolicTensor[] | null)[]>();
  for (const { layer } of calls) {
    const offset = layer instanceof LayersModel && !allRefs.some((r) => r.layer === layer.name && r.node === 0) ? 1 : 0;
    made.set(
      layer.name,
      layer.className === 'InputLayer'
        ? [layer.inboundNodes[0].outputs as SymbolicTensor[]]
        : new Array(offset).fill(null),
    );
  }
  const tensorOf = (r: Ref): SymbolicTensor | undefined => made.get(r.layer)?.[r.node]?.[r.tensor];
  const resolve = (r: Ref, where: string): SymbolicTensor => {
    const t = tensorOf(r);
    if (!t)
      problem(`${where} refers to output ${r.tensor} of call ${r.node} of '${r.layer}', which the file does not make`);
    return t;
  };
  for (let progress = true; progress;) {
    progress = false;
    for (const c of calls) {
      while (
        c.queue.length > 0 &&
        [...c.queue[0].inputs, ...kwargRefs(c.queue[0].kwargs)].every(
          (r) => tensorOf(r) || !canStillMake(r, made, calls),
        )
      ) {
        const d = c.queue.shift()!;
        const xs = d.inputs.map((r) => resolve(r, `layer '${c.layer.name}'`));
        const kwargs = Object.fromEntries(
          Object.entries(d.kwargs).map(([k, v]) => [k, isKwRef(v) ? resolve(v[TENSOR], `layer '${c.layer.name}'`) : v]),
        );
        const out = c.layer.applyAll(d.inputIsList ? xs : xs[0], kwargs);
        made.get(c.layer.name)!.push(out);
        progress = true;
      }
    }
  }
  const stuck = calls.filter((c) => c.queue.length > 0);
  if (stuck.length > 0)
    problem(
      `the calls of ${stuck.map((c) => `'${c.layer.name}'`).join(', ')} wait on each other's outputs (a cycle) and cannot be made`,
    );
  return new LayersModel({
    ...(name ? { name } : {}),
    inputs: inputs.length === 1 ? resolve(inputs[0], 'input_layers') : inputs.map((r) => resolve(r, 'input_layers')),
    outputs:
      outputs.length === 1 ? resolve(outputs[0], 'output_layers') : outputs.map((r) => resolve(r, 'output_layers')),
  });
}

const isKwRef = (v: unknown): v is KwRef => isRecord(v) && TENSOR in v;
const kwargRefs = (kwargs: Record<string, unknown>): Ref[] =>
  Object.values(kwargs)
    .filter(isKwRef)
    .map((v) => v[TENSOR]);

/** Whether a call not yet made could still make r (its layer has calls left), so waiting for it makes sense. */
function canStillMake(r: Ref, made: Map<string, unknown[]>, calls: { layer: Layer; queue: unknown[] }[]): boolean {
  const c = calls.find((x) => x.layer.name === r.layer);
  return c !== undefined && (made.get(r.layer)?.length ?? 0) + c.queue.length > r.node;
}
