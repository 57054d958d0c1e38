import { backend } from '../backend/index.js';
import { TensileError } from '../errors.js';
import { generatorState } from '../tensor/random.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './elementwise-binary.js';

// The two places where a step changes state outside its outputs, written so that a recorded step replays them
// (backend/recording.ts): a random mask and a moving average are each made in place by a kernel.

/**
 * x with a random fraction `rate` of its elements zeroed and the rest scaled by 1/(1 − rate) (inverted dropout);
 * the mask is drawn from the seeded generator.
 * @example tl.dropout(tl.ones([2, 4]), 0.5) // each element 0 or 2
 */
export function dropout(x: Tensor, rate: number): Tensor {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
    throw new TensileError('dropout', `rate must be a number in [0, 1), got ${String(rate)}`);
  return mul(x, new Tensor(dropoutMask(x.size, rate), x.shape));
}

/**
 * @internal n values of an inverted-dropout mask (0, or 1/(1 − rate)), drawn from the seeded generator by a
 * kernel (a replayed step draws a new mask each time, the very one the op-by-op step would).
 */
export function dropoutMask(n: number, rate: number): Float32Array {
  const keep = 1 - rate;
  const mask = new Float32Array(n);
  backend().bernoulli(generatorState(), mask, keep, 1 / keep);
  return mask;
}

/**
 * @internal target ← target·momentum + value·(1 − momentum) in place, through one kernel (a weight's moving
 * statistics): the numbers of mul, mul and add in float32.
 */
export function updateMovingAverage(target: Tensor, value: Tensor, momentum: number): void {
  if (!shapesEqual(target.shape, value.shape))
    throw new TensileError(
      'movingAverage',
      `value of shape ${fmt(value.shape)} does not match the target's shape ${fmt(target.shape)}`,
    );
  backend().movingAverage(target.raw, value.raw, momentum);
}
