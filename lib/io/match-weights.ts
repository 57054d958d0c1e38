import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import { fmt } from '../tensor/shape.js';
import { loadError } from './files.js';
import type { NamedWeight } from './weights.js';

// Which weight of the file goes into which variable. tensile names a variable '<layer>/<weight>' in
// Keras order (Dense: kernel, bias), as tfjs and Keras 2 name them in the manifest ('dense_1/kernel');
// Keras 3 and nested models may prefix a path ('sequential/dense/kernel'): a unique '/'-bounded suffix
// match takes those. A file whose names match none of ours falls back to Keras order when every shape agrees.
// A wrapper's weights are its inner layers' variables, named in files under the wrapper's name, as Keras and
// tfjs name them: 'bidirectional/forward_lstm/kernel', 'time_distributed/kernel'.

/** The names of a layer's weights in a file, in the order of layer.weights. */
export function weightNames(layer: Layer): string[] {
  const own = (name: string) => name.slice(name.lastIndexOf('/') + 1);
  if (layer.className === 'Bidirectional') return layer.weights.map((v) => `${layer.name}/${v.name}`);
  if (layer.className === 'TimeDistributed') return layer.weights.map((v) => `${layer.name}/${own(v.name)}`);
  return layer.weights.map((v) => v.name);
}

function byName(name: string, weights: Map<string, NamedWeight>, file: string): NamedWeight | undefined {
  const exact = weights.get(name);
  if (exact) return exact;
  const suffix = `/${name}`;
  const hits = [...weights.values()].filter((w) => w.name.endsWith(suffix));
  if (hits.length > 1)
    throw loadError(file, `weight ${name} is ambiguous: the file has ${hits.map((w) => w.name).join(', ')}`);
  if (hits.length === 1) return hits[0];
  // Keras 2 names a recurrent layer's weights through its cell: 'lstm/lstm_cell/kernel' is tensile's 'lstm/kernel'.
  const viaCell = [...weights.values()].filter((w) => {
    const plain = w.name.replace(/\/[^/]*_cell(_\d+)?\//, '/');
    return plain !== w.name && (plain === name || plain.endsWith(suffix));
  });
  if (viaCell.length > 1)
    throw loadError(file, `weight ${name} is ambiguous: the file has ${viaCell.map((w) => w.name).join(', ')}`);
  return viaCell[0];
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Pairs of (variable, values), all checked; throws naming the first missing or misshapen weight and the file. */
export function matchWeights(
  layers: readonly Layer[],
  weights: Map<string, NamedWeight>,
  file: string,
): [Variable, Float32Array][] {
  const variables = layers.flatMap((l) => [...l.weights]);
  const names = layers.flatMap(weightNames);
  if (variables.length === 0) return [];
  let found = names.map((name) => byName(name, weights, file));
  if (found.every((w) => w === undefined)) {
    const inOrder = [...weights.values()];
    if (inOrder.length === variables.length && inOrder.every((w, i) => sameShape(w.shape, variables[i].shape)))
      found = inOrder;
  }
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    const has =
      weights.size === 0
        ? 'no weights'
        : `${[...weights.keys()].slice(0, 8).join(', ')}${weights.size > 8 ? ', ...' : ''}`;
    throw loadError(file, `has no values for ${missing.join(', ')} (the file has ${has})`);
  }
  return variables.map((v, i) => {
    const w = found[i]!;
    if (!sameShape(w.shape, v.shape))
      throw loadError(
        file,
        `weight ${w.name} has shape ${fmt(w.shape)} in the file, but the layer needs ${fmt(v.shape)}`,
      );
    return [v, w.values];
  });
}
