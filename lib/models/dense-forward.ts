import { isDebug } from '../autograd/index.js';
import type { MlpForwardLayer } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { DENSE_ACTIVATIONS, type DenseActivation } from '../backend/kinds.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { Tensor } from '../tensor/tensor.js';

const NONE = new Float32Array(0);

// predict's one native call for a Sequential stack of Dense layers (Backend.mlpForward). Training steps, of this
// model as of any other, are compiled steps (plan/compiled.ts, step.ts).

/**
 * A layer mlpForward computes exactly: Dense itself (a subclass may change call()), built, with a 2-D kernel of
 * no zero size (the op-by-op path gives those empty outputs) and an activation the kernels fuse.
 */
function fusable(l: Layer): l is Dense {
  if (!(l instanceof Dense) || l.constructor !== Dense || !l.built) return false;
  const shape = l.weights[0].shape;
  return (
    shape.length === 2 &&
    shape[0] > 0 &&
    shape[1] > 0 &&
    (DENSE_ACTIVATIONS as readonly string[]).includes(l.activationName)
  );
}

/** A Dense layer's weights as mlpForward takes them (views of its variables, read at each call). */
function forwardLayer(l: Dense): MlpForwardLayer {
  const [kernel, bias] = l.weights;
  const [k, n] = kernel.shape;
  return { w: kernel.value.raw, b: bias?.value.raw ?? NONE, k, n, act: l.activationName as DenseActivation };
}

/** The Dense layers of a stack and their arrays for mlpForward, per layer list (checked against it on each use). */
const forwardPlans = new WeakMap<readonly Layer[], { dense: readonly Layer[]; arrays: MlpForwardLayer[] }>();

/** The arrays of a stack of fusable layers, or null. */
function forwardArrays(layers: readonly Layer[]): MlpForwardLayer[] | null {
  const cached = forwardPlans.get(layers);
  if (cached && cached.dense.length === layers.length && cached.dense.every((l, i) => l === layers[i]))
    return cached.arrays;
  const arrays: MlpForwardLayer[] = [];
  for (const l of layers) {
    if (!fusable(l)) return null;
    arrays.push(forwardLayer(l));
  }
  forwardPlans.set(layers, { dense: [...layers], arrays });
  return arrays;
}

/**
 * The inference forward of a Sequential stack of Dense layers as one native call (Backend.mlpForward): the same
 * dense kernels as the op-by-op forward without an op dispatch and a Tensor per layer, and for one sample the first
 * two layers on two threads (W6 of BENCH.md). Null where only the op-by-op forward applies: another backend, debug
 * mode, any other layer, or x not [rows, k0].
 */
export function denseStackForward(layers: readonly Layer[], x: Tensor): Tensor | null {
  if (backend().name !== 'native' || isDebug() || layers.length === 0 || x.rank !== 2) return null;
  const arrays = forwardArrays(layers);
  if (!arrays || x.shape[1] !== arrays[0].k) return null;
  const rows = x.shape[0],
    n = arrays[arrays.length - 1].n;
  const out = new Float32Array(rows * n);
  backend().mlpForward(x.raw, arrays, rows, out);
  return new Tensor(out, [rows, n]);
}
