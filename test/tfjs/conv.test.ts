// tensile/tfjs' convolution and pooling calls against @tensorflow/tfjs 4 itself, with tfjs' positional signatures.
import type * as TF from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as tf from '../../lib/tfjs/index.js';
import { TensileError } from '../../lib/errors.js';
import { randomValues } from '../helpers/random.js';
import { expectClose, useTfjs } from '../io/tfjs.js';

const real = useTfjs();
const values = (shape: number[], seed: number) => Array.from(randomValues([shape], seed)[0]);

describe('tensile/tfjs convolution and pooling', () => {
  const cases: { shape: number[]; kernel: number[]; strides: number | [number, number]; pad: 'valid' | 'same' }[] = [
    { shape: [2, 7, 6, 3], kernel: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { shape: [1, 8, 8, 2], kernel: [3, 2, 2, 5], strides: [2, 1], pad: 'valid' },
    { shape: [5, 5, 3], kernel: [2, 2, 3, 2], strides: 2, pad: 'same' }, // rank 3: one image
  ];
  it.each(cases)('conv2d(x $shape, filter $kernel, $strides, $pad) gives tfjs numbers', (c) => {
    const t = real();
    const x = values(c.shape, 1),
      k = values(c.kernel, 2);
    const ours = tf.conv2d(tf.tensor(x, c.shape), tf.tensor(k, c.kernel), c.strides, c.pad);
    const input = t.tensor(x, c.shape as never) as TF.Tensor4D;
    const theirs = t.conv2d(input, t.tensor4d(k, c.kernel as [number, number, number, number]), c.strides, c.pad);
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours.dataSync(), theirs.dataSync() as Float32Array);
  });

  it('depthwiseConv2d and conv2dTranspose give tfjs numbers', () => {
    const t = real();
    const x = values([2, 6, 6, 3], 3),
      dk = values([3, 3, 3, 2], 4),
      tk = values([3, 3, 4, 3], 5);
    const dw = tf.depthwiseConv2d(tf.tensor(x, [2, 6, 6, 3]), tf.tensor(dk, [3, 3, 3, 2]), 1, 'same');
    const dwT = t.depthwiseConv2d(t.tensor4d(x, [2, 6, 6, 3]), t.tensor4d(dk, [3, 3, 3, 2]), 1, 'same');
    expect(dw.shape).toEqual(dwT.shape);
    expectClose(dw.dataSync(), dwT.dataSync() as Float32Array);
    const up = tf.conv2dTranspose(tf.tensor(x, [2, 6, 6, 3]), tf.tensor(tk, [3, 3, 4, 3]), [2, 12, 12, 4], 2, 'same');
    const upT = t.conv2dTranspose(t.tensor4d(x, [2, 6, 6, 3]), t.tensor4d(tk, [3, 3, 4, 3]), [2, 12, 12, 4], 2, 'same');
    expect(up.shape).toEqual([2, 12, 12, 4]);
    expectClose(up.dataSync(), upT.dataSync() as Float32Array);
    expect(() =>
      tf.conv2dTranspose(tf.tensor(x, [2, 6, 6, 3]), tf.tensor(tk, [3, 3, 4, 3]), [2, 13, 13, 4], 2, 'same'),
    ).toThrow(/outputShape \[2, 13, 13, 4\] does not match .* \[2, 12, 12, 4\]/);
  });

  it('maxPool and avgPool (filterSize, strides, pad) give tfjs numbers', () => {
    const t = real();
    const x = values([2, 7, 7, 3], 6);
    for (const [f, g] of [
      [tf.maxPool, t.maxPool],
      [tf.avgPool, t.avgPool],
    ] as const) {
      const ours = f(tf.tensor(x, [2, 7, 7, 3]), 3, 2, 'same'),
        theirs = g(t.tensor4d(x, [2, 7, 7, 3]), 3, 2, 'same');
      expect(ours.shape).toEqual(theirs.shape);
      expectClose(ours.dataSync(), theirs.dataSync() as Float32Array);
    }
  });

  it('a format or pad tensile does not support is a TensileError naming the op', () => {
    const x = tf.zeros([1, 4, 4, 1]),
      k = tf.zeros([2, 2, 1, 1]);
    expect(() => tf.conv2d(x, k, 1, 'valid', 'NCHW' as 'NHWC')).toThrow(TensileError);
    expect(() => tf.conv2d(x, k, 1, 'valid', 'NCHW' as 'NHWC')).toThrow(/conv2d: supports dataFormat 'NHWC' only/);
    expect(() => tf.maxPool(x, 2, 2, 1 as unknown as 'same')).toThrow(/maxPool: supports pad 'valid' or 'same'/);
  });
});
