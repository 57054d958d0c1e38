import { TensileError } from '../errors.js';
import { Dataset } from './dataset.js';

/**
 * A dataset of the items of an array (not copied: the dataset reads the array at each pass).
 * @example const ds = tl.data.array([{ xs: [0, 1], ys: [1] }, { xs: [1, 0], ys: [0] }]).batch(2);
 */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items))
    throw new TensileError('data.array', `expected an array, got ${items === null ? 'null' : typeof items}`);
  return new Dataset(() => items[Symbol.iterator](), items.length);
}

/**
 * A dataset from a generator function, sync or async, called once per pass (so each epoch starts again).
 * @example
 * const ds = tl.data.generator(function* () {
 *   for (let i = 0; i < 100; i++) yield { xs: [i / 100], ys: [2 * i / 100] };
 * });
 */
export function generator<T>(fn: () => Iterator<T> | AsyncIterator<T>): Dataset<T> {
  if (typeof fn !== 'function')
    throw new TensileError(
      'data.generator',
      `expected a generator function (function* () { yield ... }), got ${typeof fn}`,
    );
  return new Dataset(() => {
    const it = fn();
    if (it === null || typeof it !== 'object' || typeof (it as Iterator<T>).next !== 'function')
      throw new TensileError(
        'data.generator',
        'the function must return an iterator: write it as function* () { yield ... } or async function* () { ... }',
      );
    return it;
  });
}
