import { inLayer } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { Activation } from '../layers/core.js';
import { Dense } from '../layers/dense.js';
import { nodeContext, type SymbolicShape, fmtSym } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { ACTIVATIONS } from '../layers/activations.js';
import type { Loss } from '../losses/index.js';
import type { Tensor } from '../tensor/tensor.js';

/** What a loss may fuse with an output's last activation (softmax or sigmoid with crossentropy). */
export type Fuse = Loss['fused'];

/** Real tensors for the model's inputs must have the inputs' ranks and known dimensions. */
export function checkInputs(inputs: readonly SymbolicTensor[], xs: readonly Tensor[], op = 'model'): void {
  if (xs.length !== inputs.length)
    throw new TensileError(
      op,
      `the model has ${inputs.length} inputs (${inputs.map((x) => x.name).join(', ')}), got ${xs.length} tensors`,
    );
  inputs.forEach((x, i) => {
    const got = xs[i].shape;
    const want: SymbolicShape = x.shape;
    if (got.length !== want.length || want.some((d, j) => j > 0 && d !== null && d !== got[j]))
      throw new TensileError(
        x.sourceLayer.name,
        `expected input of shape ${fmtSym([null, ...want.slice(1)])}, got [${got.join(', ')}]`,
      );
  });
}

/** The real values of symbolic kwargs (a mask from another layer), the rest as given. */
function kwargsOf(node: Node, values: Map<number, Tensor>): Readonly<Record<string, unknown>> {
  const sub = (v: unknown): unknown =>
    v instanceof SymbolicTensor ? values.get(v.id) : Array.isArray(v) ? v.map(sub) : v;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(node.kwargs)) {
    const r = sub(v);
    if (r !== v || Array.isArray(v)) (out ??= { ...node.kwargs })[k] = r;
  }
  return out ?? node.kwargs;
}

/**
 * Run the nodes in order on real inputs; outputs in the order of `outputs`. With `fuse` (one entry an output), an
 * output made by a Dense or Activation layer whose activation the loss fuses also gives its pre-activation values
 * (`logits`), so the loss can use the stable fused form.
 */
export function runGraph(
  nodes: readonly Node[],
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
  xs: readonly Tensor[],
  training: boolean,
  fuse?: readonly Fuse[],
): { outputs: Tensor[]; logits: (Tensor | undefined)[] } {
  const values = new Map<number, Tensor>();
  inputs.forEach((x, i) => values.set(x.id, xs[i]));
  const logits = new Map<number, Tensor>();
  const fusedAt = new Map<number, Fuse>();
  if (fuse) outputs.forEach((y, i) => fuse[i] && fusedAt.set(y.id, fuse[i]));
  for (const node of nodes) {
    const layer = node.layer;
    const args = node.inputs.map((x) => values.get(x.id)!);
    const y0 = node.outputs[0];
    const f = node.outputs.length === 1 ? fusedAt.get(y0.id) : undefined;
    const input = node.inputIsList ? args : args[0];
    if (
      f &&
      !node.inputIsList &&
      layer instanceof Dense &&
      layer.activationName === f.activation &&
      !layer.regularized
    ) {
      const z = inLayer(layer.name, () => layer.preActivation(args[0]));
      logits.set(y0.id, z);
      values.set(
        y0.id,
        inLayer(layer.name, () => ACTIVATIONS[f.activation](z)),
      );
      continue;
    }
    if (f && !node.inputIsList && layer instanceof Activation && layer.activationName === f.activation)
      logits.set(y0.id, args[0]);
    const ctx = nodeContext(kwargsOf(node, values), training);
    const out = inLayer(layer.name, () => layer.call(input, ctx));
    const list = Array.isArray(out) ? out : [out];
    if (list.length !== node.outputs.length)
      throw new TensileError(
        layer.name,
        `gave ${list.length} outputs where its call in the graph made ${node.outputs.length}`,
      );
    node.outputs.forEach((y, i) => values.set(y.id, list[i]));
  }
  return { outputs: outputs.map((y) => values.get(y.id)!), logits: outputs.map((y) => logits.get(y.id)) };
}
