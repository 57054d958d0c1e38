import { describe, expect, it } from 'vitest';
import { defineOp } from '../../lib/autograd/index.js';
import { mul, scalar } from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seeded } from '../helpers/ops.js';

// The checker itself: it must pass a right gradient and catch wrong or missing ones.
const squareWith = (backward: (dy: Tensor, x: Tensor) => Tensor | null) => {
  const op = defineOp({
    name: 'testSquare',
    outShape: ([x]) => x.shape,
    forward: (k, [x], out) => k.unary('square', x.data, out),
    backward: (dy, [x]) => [backward(dy, x)],
  });
  return (x: Tensor) => op([x], undefined);
};

describe('gradcheck', () => {
  const x = seeded([2, 3], 1);
  it('passes a correct gradient', () =>
    gradcheck(
      squareWith((dy, t) => mul(dy, mul(t, scalar(2)))),
      [x],
    ));
  it('catches a gradient off by a factor', () => {
    expect(() =>
      gradcheck(
        squareWith((dy, t) => mul(dy, t)),
        [x],
      ),
    ).toThrow(/gradient of input 0/);
  });
  it('catches a missing gradient', () => {
    expect(() =>
      gradcheck(
        squareWith(() => null),
        [x],
      ),
    ).toThrow(/analytic 0/);
  });
  it('catches a gradient that ignores the output gradient', () => {
    expect(() =>
      gradcheck(
        squareWith((_dy, t) => mul(t, scalar(2))),
        [x],
      ),
    ).toThrow(/differs from central differences/);
  });
});
