import { expect } from 'vitest';

/** Element-wise |a − b| ≤ atol + rtol·|b|, with NaN matching NaN and ±Infinity matching exactly. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b)))
        expect.fail(`element ${i}: got ${a}, expected ${b}`);
      continue;
    }
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)))
      expect.fail(`element ${i}: got ${a}, expected ${b} (rtol ${rtol}, atol ${atol})`);
  }
}
