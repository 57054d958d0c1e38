import { type OnnxGraph, type OnnxNode, attr } from './graph.js';

// Layout changes cost memory traffic at run time: each NHWC layer mapped to an NCHW ONNX op is wrapped in
// Transposes, and back-to-back layers leave pairs that undo each other (tf2onnx's transpose optimizer does
// the same). Two rewrites, repeated until nothing changes:
//  - a Transpose read only by an element-wise op moves after it (the op does not care about layout);
//  - Transpose(P) read only by Transpose(Q) becomes one Transpose(P∘Q), or nothing when that is the identity.

/** Ops that map each element on its own, whatever the layout. */
const ELEMENTWISE = new Set([
  'Relu',
  'Sigmoid',
  'Tanh',
  'Elu',
  'Selu',
  'Softplus',
  'Softsign',
  'LeakyRelu',
  'HardSigmoid',
  'Erf',
  'Identity',
  'Neg',
  'Exp',
  'Abs',
]);

const permOf = (n: OnnxNode): readonly number[] => {
  const a = n.attributes.perm;
  return a && a.kind === 'ints' ? a.value : [];
};

/** Rewrite `g` in place; values named in `keep` (the model's outputs) stay produced under their names. */
export function optimizeTransposes(g: OnnxGraph, keep: ReadonlySet<string>): void {
  for (let changed = true; changed;) changed = pushThroughElementwise(g, keep) || mergePairs(g, keep);
}

/** The one node reading `name`, if exactly one reads it and it is not a kept value. */
function soleConsumer(g: OnnxGraph, name: string, keep: ReadonlySet<string>): OnnxNode | null {
  if (keep.has(name)) return null;
  const c = g.consumers(name);
  return c.length === 1 && c[0].inputs.filter((i) => i === name).length === 1 ? c[0] : null;
}

function pushThroughElementwise(g: OnnxGraph, keep: ReadonlySet<string>): boolean {
  for (const t of g.nodes) {
    if (t.opType !== 'Transpose') continue;
    const u = soleConsumer(g, t.outputs[0], keep);
    if (!u || !ELEMENTWISE.has(u.opType) || u.inputs.length !== 1) continue;
    // x → T → t0 → U → u0   becomes   x → U → t0 → T → u0 (t0 now holds the un-transposed result).
    const [x, t0, u0] = [t.inputs[0], t.outputs[0], u.outputs[0]];
    u.inputs = [x];
    u.outputs = [t0];
    t.inputs = [t0];
    t.outputs = [u0];
    // Keep execution order: U now runs before T.
    const ti = g.nodes.indexOf(t),
      ui = g.nodes.indexOf(u);
    g.nodes.splice(ui, 1);
    g.nodes.splice(ti, 0, u);
    return true;
  }
  return false;
}

function mergePairs(g: OnnxGraph, keep: ReadonlySet<string>): boolean {
  for (const first of g.nodes) {
    if (first.opType !== 'Transpose') continue;
    const second = soleConsumer(g, first.outputs[0], keep);
    if (!second || second.opType !== 'Transpose') continue;
    const p = permOf(first),
      q = permOf(second);
    // transpose(transpose(x, P), Q)[i] takes axis P[Q[i]] of x.
    const r = q.map((i) => p[i]);
    g.nodes.splice(g.nodes.indexOf(first), 1);
    if (r.some((v, i) => v !== i)) {
      second.inputs = [first.inputs[0]];
      second.attributes.perm = attr.ints(r);
      return true;
    }
    // The identity: readers of the second's output read x instead (unless that output must keep its name).
    const [x, y] = [first.inputs[0], second.outputs[0]];
    if (keep.has(y)) {
      // y must stay: x's producer writes y directly when nothing else reads x (first is gone), else an identity Transpose copies.
      const producer = g.nodes.find((n) => n.outputs.includes(x));
      if (producer && !keep.has(x) && g.consumers(x).length === 0) {
        producer.outputs = producer.outputs.map((o) => (o === x ? y : o));
        g.nodes.splice(g.nodes.indexOf(second), 1);
      } else {
        second.inputs = [x];
        second.attributes.perm = attr.ints(r);
      }
      return true;
    }
    g.nodes.splice(g.nodes.indexOf(second), 1);
    for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === y ? x : i));
    return true;
  }
  return false;
}
