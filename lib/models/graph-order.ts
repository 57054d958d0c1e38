import { TensileError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { type Node, producer } from '../layers/node.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';

/** The calls between a model's inputs and outputs, in an order that runs them, and its layers in Keras order. */
export interface GraphOrder {
  /** Every node from the inputs to the outputs, each after the nodes it takes from; the inputs' own nodes excluded. */
  readonly nodes: readonly Node[];
  /** The layers, deepest (the inputs) first, ties in the order a walk back from the outputs meets them (tfjs' order). */
  readonly layers: readonly Layer[];
}

function checkEnds(op: string, what: string, ts: readonly unknown[]): SymbolicTensor[] {
  if (ts.length === 0) throw new TensileError(op, `${what} is empty; give at least one symbolic tensor`);
  ts.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor))
      throw new TensileError(
        op,
        `${what}[${i}] is not a symbolic tensor (from tl.input() or layer.apply() on one), got ${t === null ? 'null' : typeof t === 'object' ? (t as object).constructor.name : typeof t}`,
      );
  });
  return ts as SymbolicTensor[];
}

/**
 * Order the graph between inputs and outputs, as tfjs' Container does: a depth-first walk back from the outputs
 * (refusing cycles), node depths from the outputs, layers grouped by depth. Refuses inputs that are not
 * tl.input() tensors, an output that needs a tensor which is not among the inputs, and an input no output uses.
 */
export function orderGraph(op: string, inputsIn: readonly unknown[], outputsIn: readonly unknown[]): GraphOrder {
  const inputs = checkEnds(op, 'inputs', inputsIn);
  const outputs = checkEnds(op, 'outputs', outputsIn);
  for (const x of inputs) {
    if (!(x.sourceLayer instanceof InputLayer))
      throw new TensileError(
        op,
        `input ${x.name} comes from layer '${x.sourceLayer.name}' (${x.sourceLayer.className}); a model's inputs must be tl.input() tensors`,
      );
  }
  const dup = inputs.find((x, i) => inputs.indexOf(x) !== i);
  if (dup) throw new TensileError(op, `the input ${dup.name} is listed twice`);
  const inputIds = new Set(inputs.map((x) => x.id));

  const postOrder: Node[] = [];
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const layerIndex = new Map<Layer, number>();
  const visit = (t: SymbolicTensor, from: string) => {
    const node = producer(t);
    if (!node)
      throw new TensileError(op, `tensor ${t.name} at '${from}' has no recorded call of layer '${t.sourceLayer.name}'`);
    if (inProgress.has(node)) throw new TensileError(op, `the tensor ${t.name} at layer '${from}' is part of a cycle`);
    if (finished.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    // A model input stops the walk: what made it (an InputLayer) is all it needs.
    if (!inputIds.has(t.id)) for (const x of node.dependencies) visit(x, node.layer.name);
    inProgress.delete(node);
    finished.add(node);
    postOrder.push(node);
  };
  for (const y of outputs) visit(y, y.sourceLayer.name);

  // Depths, as tfjs computes them: an output's node is 0, a node is one deeper than its deepest consumer.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...postOrder].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const x of node.dependencies) {
      const inbound = producer(x);
      nodeDepth.set(inbound, Math.max(depth + 1, nodeDepth.get(inbound) ?? 0));
    }
  }
  const layers = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!,
  );

  // Every tensor a node takes must come from the inputs through nodes that run before it.
  const computable = new Set(inputIds);
  const nodes: Node[] = [];
  for (const node of postOrder) {
    if (node.layer instanceof InputLayer && node.inputs.length === 0) {
      const x = node.outputs[0];
      if (!computable.has(x.id))
        throw new TensileError(
          op,
          `graph disconnected: layer '${consumerOf(postOrder, x)}' needs the input '${node.layer.name}', which is not among the model's inputs (${inputs.map((i) => i.name).join(', ')})`,
        );
      continue;
    }
    for (const x of node.dependencies) {
      if (!computable.has(x.id))
        throw new TensileError(
          op,
          `graph disconnected: cannot obtain ${x.name} at layer '${node.layer.name}' from the model's inputs (${inputs.map((i) => i.name).join(', ')})`,
        );
    }
    for (const y of node.outputs) computable.add(y.id);
    nodes.push(node);
  }
  const used = new Set<number>();
  for (const node of nodes) for (const x of node.dependencies) used.add(x.id);
  for (const y of outputs) used.add(y.id);
  const unused = inputs.filter((x) => !used.has(x.id));
  if (unused.length > 0)
    throw new TensileError(
      op,
      `input${unused.length > 1 ? 's' : ''} ${unused.map((x) => `'${x.name}'`).join(', ')} reach${unused.length > 1 ? '' : 'es'} no output (${outputs.map((y) => y.name).join(', ')})`,
    );
  return { nodes, layers };
}

function consumerOf(nodes: readonly Node[], x: SymbolicTensor): string {
  return nodes.find((n) => n.dependencies.includes(x))?.layer.name ?? x.sourceLayer.name;
}
