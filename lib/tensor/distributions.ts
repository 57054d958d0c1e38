import { TensileError } from '../errors.js';
import { tensor } from './create.js';
import { type DType, checkDtype } from './dtype.js';
import { normal, uniform, withSeed } from './random.js';
import { checkShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

// tfjs' random tensors, with its positional arguments; each draws from tensile's seeded stream, or from its own
// generator when given a seed (the global stream is then left where it was).

function draw(
  op: string,
  shape: readonly number[],
  seed: number | undefined,
  dtype: DType,
  sample: () => number,
): Tensor {
  const s = checkShape(op, shape);
  const d = checkDtype(op, dtype);
  if (d === 'bool') throw new TensileError(op, "dtype must be 'float32' or 'int32', got 'bool'");
  const values = withSeed(op, seed, () => Float32Array.from({ length: sizeOf(s) }, sample));
  return tensor(values, s, { dtype: d });
}

/** Normal values. @example tl.randomNormal([2, 3], 0, 0.1) */
export function randomNormal(
  shape: readonly number[],
  mean = 0,
  stdDev = 1,
  dtype: DType = 'float32',
  seed?: number,
): Tensor {
  return draw('randomNormal', shape, seed, dtype, () => mean + stdDev * normal());
}

/** Uniform values in [minval, maxval). @example tl.randomUniform([3], -1, 1) */
export function randomUniform(
  shape: readonly number[],
  minval = 0,
  maxval = 1,
  dtype: DType = 'float32',
  seed?: number,
): Tensor {
  if (!(maxval >= minval))
    throw new TensileError('randomUniform', `needs minval ≤ maxval, got ${minval} and ${maxval}`);
  return draw('randomUniform', shape, seed, dtype, () => minval + (maxval - minval) * uniform());
}

/** Normal values redrawn until within two standard deviations of the mean, as tfjs. @example tl.truncatedNormal([4], 0, 0.05) */
export function truncatedNormal(
  shape: readonly number[],
  mean = 0,
  stdDev = 1,
  dtype: DType = 'float32',
  seed?: number,
): Tensor {
  return draw('truncatedNormal', shape, seed, dtype, () => {
    let z = normal();
    while (Math.abs(z) > 2) z = normal();
    return mean + stdDev * z;
  });
}
