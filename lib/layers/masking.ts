import type { Tensor } from '../tensor/tensor.js';

// Keras' implicit masks: a layer that makes one (embedding with maskZero) attaches it to its output, a layer
// that consumes one (the recurrent layers) reads it from its input, and layers that keep the time axis
// (returnSequences, timeDistributed, bidirectional) pass it on. Keyed weakly by the tensor, so a mask
// lives exactly as long as the activation it describes, and any chain of layer calls carries it
// (Sequential's or a user's own) without a second argument through every call.
const masks = new WeakMap<Tensor, Tensor>();

/** Attach a [batch, time] mask of 0/1 to t (null: none); returns t. */
export function withMask(t: Tensor, mask: Tensor | null | undefined): Tensor {
  if (mask) masks.set(t, mask);
  return t;
}

/** The mask attached to t, if any. */
export function maskOf(t: Tensor): Tensor | null {
  return masks.get(t) ?? null;
}
