import { TensileError } from '../errors.js';
import { arange, tensor } from './create.js';
import { type DType, checkDtype } from './dtype.js';
import type { Tensor } from './tensor.js';

/** start, start + step, … below stop (above it for a negative step), as tfjs' range. @example tl.range(0, 6, 2).arraySync() // [0, 2, 4] */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  return arange(start, stop, step, { dtype: checkDtype('range', dtype) });
}

/** num evenly spaced values from start to stop, both included. @example tl.linspace(0, 1, 3).arraySync() // [0, 0.5, 1] */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (![start, stop].every(Number.isFinite) || !Number.isInteger(num) || num < 0)
    throw new TensileError(
      'linspace',
      `needs finite start and stop and a non-negative integer num, got ${start}, ${stop}, ${num}`,
    );
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  return tensor(
    Float32Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : start + i * step)),
    [num],
  );
}
