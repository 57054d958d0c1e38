import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import * as tf from '../../lib/tfjs/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  expectBackendsAgree,
  expectGradsAgree,
  expectPure,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
} from '../helpers/ops.js';

// pad with a constant other than 0; tfjs' integer division (tf.div of int32 by int32 = tf.floorDiv); slices
// given by lists shorter than the rank (tfjs' short form).
describe('pad with a constant', () => {
  it('hand values: the constant outside, x inside exactly, dtype kept; 0 as before', () => {
    expectTensor(tl.pad(tl.tensor([1, 2]), [[1, 2]], 9), [9, 1, 2, 9, 9]);
    expectTensor(
      tl.pad(
        tl.tensor([[1e-8, 2]]),
        [
          [1, 0],
          [0, 1],
        ],
        7,
      ),
      [
        [7, 7, 7],
        [1e-8, 2, 7],
      ],
      { rtol: 0, atol: 0 },
    );
    const nan = tl.pad(tl.tensor([1]), [[1, 1]], Number.NaN).dataSync();
    expect([Number.isNaN(nan[0]), nan[1], Number.isNaN(nan[2])]).toEqual([true, 1, true]);
    expectTensor(tl.pad(tl.tensor([3]), [[0, 1]], -Infinity), [3, -Infinity]);
    const i = tl.pad(tl.tensor([1, 2], undefined, { dtype: 'int32' }), [[1, 0]], -1);
    expect(i.dtype).toBe('int32');
    expectTensor(i, [-1, 1, 2]);
    // Size-1 and empty dimensions, and no padding at all.
    expectTensor(
      tl.pad(
        tl.zeros([0, 2]),
        [
          [1, 0],
          [0, 0],
        ],
        5,
      ),
      [[5, 5]],
    );
    expectTensor(
      tl.pad(
        tl.tensor([[4]]),
        [
          [0, 0],
          [0, 0],
        ],
        5,
      ),
      [[4]],
    );
    expectTensor(tf.pad(tf.tensor1d([1]), [[2, 0]], 3), [3, 3, 1]);
  });

  it('gradient: the padded region gets none, the inside passes through (gradcheck)', () => {
    gradcheck(
      (x) =>
        tl
          .pad(
            x,
            [
              [1, 0],
              [2, 1],
            ],
            0.5,
          )
          .square(),
      [seeded([2, 3], 1)],
    );
    const x = tl.tensor([1, 2], undefined, { requiresGrad: true });
    tl.pad(x, [[1, 1]], 4)
      .sum()
      .backward();
    expectTensor(x.grad!, [1, 1]);
    expectPure(
      (t) =>
        tl.pad(
          t,
          [
            [1, 1],
            [0, 2],
          ],
          -2,
        ),
      [seeded([3, 2], 2)],
    );
  });

  it.skipIf(!nativeLoaded)('native and reference agree, large values, NaN and Inf included', () => {
    for (const [shape, pads, c] of [
      [
        [3, 4],
        [
          [1, 2],
          [0, 3],
        ],
        1e30,
      ],
      [
        [1, 5, 1],
        [
          [0, 1],
          [2, 2],
          [1, 0],
        ],
        -7,
      ],
      [
        [2, 0],
        [
          [1, 1],
          [1, 0],
        ],
        3,
      ],
    ] as const) {
      const x = flavoredTensor(shape, 4, 'special');
      expectBackendsAgree((t) => tl.pad(t, pads, c), [x], { bitwise: true });
      expectGradsAgree((t) => tl.pad(t, pads, c), [flavoredTensor(shape, 5, 'normal')]);
    }
  });

  it('bad input: a TensileError naming pad', () => {
    expectTensileError(() => tl.pad(tl.ones([2]), [[1, 1]], 'x' as never), 'pad', 'constantValue');
    expectTensileError(() => tl.pad(tl.ones([2]), [[1]] as never, 1), 'pad', 'paddings');
    expectTensileError(() => tl.pad(tl.ones([2]), [[-1, 0]], 1), 'pad', 'paddings');
  });
});

describe("tfjs' division and short slices", () => {
  it('tf.div: int32 ÷ int32 floors (negative quotients toward −∞) with an int32 result; others divide truly', () => {
    const q = tf.div(tf.tensor1d([7, -7, 5, 0, -1], 'int32'), tf.tensor1d([2, 2, -2, 3, 4], 'int32'));
    expect(q.dtype).toBe('int32');
    expectTensor(q, [3, -4, -3, 0, -1]);
    expectTensor(tf.div(tf.tensor2d([[9], [-9]], undefined, 'int32'), tf.scalar(4, 'int32')), [[2], [-3]]);
    expectTensor(tf.div(tf.tensor1d([7], 'int32'), tf.tensor1d([2])), [3.5]);
    expectTensor(tf.floorDiv(tf.tensor1d([7.5, -0.5]), tf.scalar(2)), [3, -1]);
    expect(tf.floorDiv(tf.tensor1d([7.5]), tf.scalar(2)).dtype).toBe('float32');
    // tensile's own tl.div keeps true division whatever the dtypes.
    expectTensor(
      tl.div(tl.tensor([7], undefined, { dtype: 'int32' }), tl.tensor([2], undefined, { dtype: 'int32' })),
      [3.5],
    );
    expectTensileError(() => tf.div(tf.tensor1d([1], 'int32'), tf.tensor1d([0], 'int32')), 'floorDiv', 'by zero');
    expectTensileError(() => tf.floorDiv(tf.ones([2, 3]), tf.ones([4])), 'div');
  });

  it('slice with begin/size lists shorter than the rank (tfjs): the other axes whole; −1 sizes to the end', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expectTensor(tf.slice(x, [1]), [
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expectTensor(tf.slice(x, [0, 1], [-1, 1]), [[[3, 4]], [[7, 8]]]);
    expectTensor(x.slice([1, 0, 1], [-1, -1, -1]), [[[6], [8]]]);
    expectTensor(x.slice(1, 1), [
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expectTensileError(() => tf.slice(x, [0, 0, 0, 0]), 'slice', 'one entry per axis');
    expectTensileError(() => tl.slice(x, [1]), 'slice', 'one entry per axis');
  });
});
