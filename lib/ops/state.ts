import { backend } from '../backend/index.js';
import { hostStep } from '../backend/recording.js';
import { TensileError } from '../errors.js';
import { bernoulliFill } from '../tensor/random.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { hostWritten } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './elementwise-binary.js';

// The two places where a step changes state outside its outputs, written so that a recorded step replays them
// (backend/recording.ts): a random mask is a host step, a weight's new value is a kernel's copy.

/**
 * x with a random fraction `rate` of its elements zeroed and the rest scaled by 1/(1 − rate) (inverted dropout);
 * the mask is drawn from the seeded generator.
 * @example tl.dropout(tl.ones([2, 4]), 0.5) // each element 0 or 2
 */
export function dropout(x: Tensor, rate: number): Tensor {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new TensileError('dropout', `rate must be a number in [0, 1), got ${String(rate)}`);
  const keep = 1 - rate;
  const mask = new Float32Array(x.size);
  hostStep([mask], () => {
    bernoulliFill(mask, keep, 1 / keep);
    hostWritten(mask);
  });
  return mul(x, new Tensor(mask, x.shape));
}

/** @internal Write value's values into target's array (a weight's moving statistics), through a kernel. */
export function assignValues(target: Tensor, value: Tensor): void {
  if (!shapesEqual(target.shape, value.shape))
    throw new TensileError('assign', `value of shape ${fmt(value.shape)} does not match the target's shape ${fmt(target.shape)}`);
  backend().copy(value.data, target.data);
}
