import { backend } from '../backend/index.js';
import type { Backend } from '../backend/backend.js';
import type { DType } from '../tensor/dtype.js';
import { type Shape, checkShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFinite, debugEnabled, tracedBackward } from './debug.js';
import { isGradEnabled } from './graph.js';

/** An op: how to check and size its output, compute it on a backend, and differentiate it. */
export interface OpDef<A> {
  readonly name: string;
  /** Validate the inputs (throwing a TensileError that names the op and shapes) and give the output shape. */
  outShape(inputs: readonly Tensor[], attrs: A): Shape;
  /** Fill `out` (freshly allocated, zeroed) from the inputs. */
  forward(k: Backend, inputs: readonly Tensor[], out: Float32Array, outShape: Shape, attrs: A): void;
  /** Gradients of the inputs from the output's gradient, written with ops; null where none is needed. */
  backward?(dy: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: A): readonly (Tensor | null)[];
  /**
   * For an op whose output holds an input's values unchanged (reshape): those values, shared instead of
   * allocated and copied (values are immutable; forward is then not called).
   */
  view?(inputs: readonly Tensor[], attrs: A): Float32Array;
  /** The output's dtype (default float32); an op whose output is int32 or bool records no gradient. */
  dtype?(inputs: readonly Tensor[], attrs: A): DType;
}

/** For ops that move values without changing them (reshape, transpose, slice, gather, concat): the inputs' dtype when they agree. */
export const sameDtype = (inputs: readonly Tensor[]): DType =>
  inputs.every((t) => t.dtype === inputs[0].dtype) ? inputs[0].dtype : 'float32';

export type Op<A> = (inputs: readonly Tensor[], attrs: A) => Tensor;

/**
 * Turn an OpDef into a function of tensors. It checks shapes, allocates the output, runs the kernel
 * and records a graph node only when an input requires grad; nothing else knows how the tape works.
 */
export function defineOp<A = undefined>(def: OpDef<A>): Op<A> {
  const { name, backward } = def;
  return (inputs, attrs) => {
    const shape = checkShape(name, def.outShape(inputs, attrs)); // an output too large for a Float32Array is a TensileError
    const out = def.view ? def.view(inputs, attrs) : new Float32Array(sizeOf(shape));
    if (!def.view) def.forward(backend(), inputs, out, shape, attrs);
    if (debugEnabled) checkFinite(name, inputs, out, shape);
    const dtype = def.dtype ? def.dtype(inputs, attrs) : 'float32';
    const y = new Tensor(out, shape, false, dtype);
    if (backward && dtype === 'float32' && isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
      y.requiresGrad = true;
      const grad = (dy: Tensor) => backward(dy, inputs, y, attrs);
      y.node = { op: name, inputs, backward: debugEnabled ? tracedBackward(name, grad) : grad };
    }
    return y;
  };
}
